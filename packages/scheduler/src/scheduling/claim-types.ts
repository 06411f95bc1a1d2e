/** The data claim-and-retry hands back: where each instance was claimed and where it may go next. */
import type { Resources } from "../placement/model.js";
import type { HostState } from "../selection/host-state.js";

/** One host an instance may be built on, with the allocation request to claim there. */
export interface HostChoice {
  /** UUID of the compute node's root resource provider. */
  readonly computeNodeUuid: string;
  /** The host as the selector saw it. */
  readonly host: HostState;
  /** Amounts per provider UUID, as Placement's allocation candidate gave them. */
  readonly allocations: Readonly<Record<string, Resources>>;
}

/** A claim that did not go through, and why (kept for the NoValidHost details). */
export interface ClaimFailure {
  /** The host name. */
  readonly host: string;
  /** The compute node's root provider UUID. */
  readonly computeNodeUuid: string;
  /** Placement's message (a lost race, a deleted provider, ...). */
  readonly reason: string;
}

/**
 * One instance's claimed host and its alternates (Nova's list of Selection objects the conductor
 * carries). Plain data: it can cross a process boundary and come back to `reschedule`.
 */
export interface InstancePlacement {
  /** The instance (Placement consumer) UUID. */
  readonly instanceUuid: string;
  /** Project owning the allocations. */
  readonly projectId: string;
  /** User owning the allocations. */
  readonly userId: string;
  /** The host the instance's allocations are claimed on now. */
  readonly claimed: HostChoice;
  /** Next hosts to try on a build failure, best first; not claimed. */
  readonly alternates: readonly HostChoice[];
  /** Which build attempt this is: 1 for the first host, +1 per reschedule. */
  readonly attempt: number;
}

/** Who the allocations belong to. */
export interface ConsumerOwner {
  /** Project of the instances. */
  readonly projectId: string;
  /** User of the instances. */
  readonly userId: string;
}
