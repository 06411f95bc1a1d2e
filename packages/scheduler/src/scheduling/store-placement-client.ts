/** `PlacementClient` over a `PlacementStore` in the same process: no HTTP, same semantics. */
import { allocationCandidates, type CandidateLimits } from "../placement/candidates.js";
import type { Resources } from "../placement/model.js";
import { parseCandidatesQuery, type RawQuery } from "../placement/query.js";
import type { PlacementStore } from "../placement/store.js";
import type { PlacementClient } from "./ports.js";

/**
 * Reads candidates from the store's live state and writes claims through `store.write`, so a
 * durable store saves them and a conflict found while saving surfaces as a 409 like over HTTP.
 */
export class StorePlacementClient implements PlacementClient {
  constructor(
    private readonly store: PlacementStore,
    private readonly limits: CandidateLimits = {},
  ) {}

  async getAllocationCandidates(query: RawQuery) {
    const state = this.store.state;
    return allocationCandidates(state, parseCandidatesQuery(query, state), this.limits);
  }

  claim(
    consumerUuid: string,
    allocations: Readonly<Record<string, Resources>>,
    consumerGeneration: number | null,
    projectId: string,
    userId: string,
  ): Promise<number | null> {
    return this.store.write((s) => s.claim(consumerUuid, { allocations, consumerGeneration, projectId, userId }), {
      consumers: [consumerUuid],
    });
  }

  release(consumerUuid: string): Promise<boolean> {
    return this.store.write((s) => s.deleteAllocations(consumerUuid), { consumers: [consumerUuid] });
  }
}
