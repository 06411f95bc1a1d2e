/**
 * Scheduling against Placement: select and claim with alternates (Nova's select_destinations),
 * reschedule after a failed build, and the host-state source compute reports feed.
 *
 * ```ts
 * import { createClaimScheduler, createSelector, MemoryPlacementStore, PlacementState,
 *   ReportedHostStates, StorePlacementClient, buildRequestSpec } from "@stratus/scheduler";
 *
 * const store = new MemoryPlacementStore(new PlacementState());
 * const hostStates = new ReportedHostStates(store);
 * await hostStates.update(report);                     // a HypervisorReport from each compute
 * const scheduler = createClaimScheduler({
 *   placement: new StorePlacementClient(store), hostStates, selector: createSelector({ maxAttempts: 3 }),
 * });
 * const [placed] = await scheduler.selectDestinations(
 *   buildRequestSpec({ flavor: { vcpus: 2, memoryMb: 2048 }, instanceUuids: [vm] }),
 *   { projectId, userId },
 * );                                                  // throws no_valid_host with details.trace
 * const next = await scheduler.reschedule(placed!);   // the build failed: release, claim an alternate
 * ```
 */
export { candidatesQueryFor } from "./candidates-query.js";
export {
  type ClaimScheduler,
  type ClaimSchedulerOptions,
  ClaimSchedulerOptionsSchema,
  createClaimScheduler,
} from "./claim-scheduler.js";
export type { ClaimFailure, ConsumerOwner, HostChoice, InstancePlacement } from "./claim-types.js";
export {
  type DesiredProvider,
  desiredTree,
  pciModelTrait,
  pciProviderUuid,
  physnetTrait,
} from "./desired-tree.js";
export { FakeComputeFleet, type FakeComputeFleetOptions, type NodeShape } from "./fake-fleet.js";
export type { AggregateReport, HypervisorReport, PciDeviceReport, ServiceReport } from "./hypervisor-report.js";
export type { HostStateSource, PlacementClient } from "./ports.js";
export { type ProviderTreeSyncResult, syncProviderTree } from "./provider-tree-sync.js";
export {
  hostStateFromReport,
  ReportedHostStates,
  type ReportedHostStatesOptions,
} from "./reported-host-states.js";
export { StorePlacementClient } from "./store-placement-client.js";
