/** A fleet, Placement in memory and a claim scheduler wired together, for the tests here. */

import type { Resources } from "../placement/model.js";
import { PlacementState } from "../placement/state.js";
import { MemoryPlacementStore } from "../placement/store.js";
import { DEFAULT_FILTERS } from "../selection/registry-defaults.js";
import { createSelector } from "../selection/selector.js";
import { type ClaimScheduler, createClaimScheduler } from "./claim-scheduler.js";
import { FakeComputeFleet, type FakeComputeFleetOptions } from "./fake-fleet.js";
import type { PlacementClient } from "./ports.js";
import { ReportedHostStates } from "./reported-host-states.js";
import { StorePlacementClient } from "./store-placement-client.js";

/** Runs `before` ahead of every claim (to let "another scheduler" win a race), then claims. */
export class RacingPlacement implements PlacementClient {
  constructor(
    private readonly inner: PlacementClient,
    private readonly before: (
      consumer: string,
      allocations: Readonly<Record<string, Resources>>,
    ) => Promise<void> | void,
  ) {}
  getAllocationCandidates(q: Parameters<PlacementClient["getAllocationCandidates"]>[0]) {
    return this.inner.getAllocationCandidates(q);
  }
  async claim(c: string, a: Readonly<Record<string, Resources>>, g: number | null, p: string, u: string) {
    await this.before(c, a);
    return this.inner.claim(c, a, g, p, u);
  }
  release(c: string) {
    return this.inner.release(c);
  }
}

export interface Testbed {
  readonly store: MemoryPlacementStore;
  readonly fleet: FakeComputeFleet;
  readonly hostStates: ReportedHostStates;
  readonly client: StorePlacementClient;
  readonly scheduler: ClaimScheduler;
  /** Node UUID of `computeN`. */
  uuidOf(host: string): string;
}

export async function testbed(
  fleetOptions: FakeComputeFleetOptions,
  options: { maxAttempts?: number; wrap?: (client: PlacementClient) => PlacementClient } = {},
): Promise<Testbed> {
  const store = new MemoryPlacementStore(new PlacementState());
  const fleet = new FakeComputeFleet(fleetOptions);
  const hostStates = new ReportedHostStates(store);
  await fleet.reportTo(hostStates);
  const client = new StorePlacementClient(store);
  const maxAttempts = options.maxAttempts ?? 3;
  const scheduler = createClaimScheduler({
    placement: options.wrap?.(client) ?? client,
    hostStates,
    selector: createSelector({ filters: [...DEFAULT_FILTERS], weighers: ["RAMWeigher"], maxAttempts }),
    maxAttempts,
  });
  return { store, fleet, hostStates, client, scheduler, uuidOf: (h) => fleet.report(h).nodeUuid };
}

/** `vm-<n>` style UUIDs. */
export function vm(n: number): string {
  return `00000000-0000-4000-9000-${n.toString(16).padStart(12, "0")}`;
}
