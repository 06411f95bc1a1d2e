/**
 * What claim-and-retry needs from the outside: Placement (in process here, over HTTP later) and
 * the scheduler's view of compute nodes. Both are owned by this consumer and kept small.
 */
import type { AllocationCandidates } from "../placement/candidates.js";
import type { Resources } from "../placement/model.js";
import type { RawQuery } from "../placement/query.js";
import type { HostState } from "../selection/host-state.js";

/** The slice of the Placement API the scheduler and conductor use. */
export interface PlacementClient {
  /**
   * GET /allocation_candidates. Returns the candidates for a raw query (string, params or
   * record). Throws bad_request for a malformed query or unknown classes/traits. Read-only.
   */
  getAllocationCandidates(query: RawQuery): Promise<AllocationCandidates>;
  /**
   * PUT /allocations/{consumer}: replaces the consumer's allocations at once and returns its new
   * generation. `consumerGeneration` null means "the consumer must be new". Throws conflict
   * (`placement.concurrent_update` for a stale generation, `placement.undefined_code` when the
   * room was taken) and bad_request. Not idempotent under a null generation.
   */
  claim(
    consumerUuid: string,
    allocations: Readonly<Record<string, Resources>>,
    consumerGeneration: number | null,
    projectId: string,
    userId: string,
  ): Promise<number | null>;
  /** DELETE /allocations/{consumer}. Returns false when it had none; idempotent. */
  release(consumerUuid: string): Promise<boolean>;
}

/** The scheduler's view of compute nodes (Nova's HostManager.get_host_states_by_uuids). */
export interface HostStateSource {
  /**
   * The HostState of each compute node whose root provider UUID is given, keyed by that UUID.
   * Unknown nodes are left out (never an error): Placement may know nodes the source has not
   * heard from yet. Read-only.
   */
  hostStates(computeNodeUuids: readonly string[]): Promise<ReadonlyMap<string, HostState>>;
}
