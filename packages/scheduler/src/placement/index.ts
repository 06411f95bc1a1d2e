/**
 * Placement's core in memory: resource providers in trees, inventories, traits, aggregates,
 * allocations with generations, and allocation candidates. No HTTP and no SQL here; the REST
 * API and SQL repositories sit on top of these.
 *
 * ```ts
 * import { PlacementState, allocationCandidates, parseCandidatesQuery } from "@stratus/scheduler";
 *
 * const state = new PlacementState();
 * state.createProvider({ uuid: host, name: "compute1" });
 * state.setInventories(host, 0, { VCPU: { total: 16, allocation_ratio: 4 }, MEMORY_MB: { total: 65536 } });
 *
 * const query = parseCandidatesQuery("resources=VCPU:2,MEMORY_MB:2048&limit=10", state);
 * const { allocation_requests } = allocationCandidates(state, query);
 * const pick = allocation_requests[0]!;
 * const allocations = Object.fromEntries(Object.entries(pick.allocations).map(([rp, a]) => [rp, a.resources]));
 * // Throws conflict (details.errorCode "placement.concurrent_update") on a stale consumer
 * // generation, or "Unable to allocate inventory: ..." when another claim took the room first.
 * state.claim(instance, { allocations, consumerGeneration: null, projectId, userId });
 * ```
 */
export {
  RESOURCE_CLASSES_SOURCE_VERSION,
  STANDARD_RESOURCE_CLASSES,
  type StandardResourceClass,
} from "../generated/resource-classes.gen.js";
export { STANDARD_TRAITS, type StandardTrait, TRAITS_SOURCE_VERSION } from "../generated/traits.gen.js";
export {
  type AllocationCandidates,
  type AllocationRequest,
  allocationCandidates,
  allocationCandidatesBody,
  allocationCandidatesJson,
  type BodyBuffers,
  type CandidateLimits,
  type ProviderSummary,
} from "./candidates.js";
export {
  concurrentUpdate,
  PLACEMENT_CODES,
  placementBadRequest,
  placementConflict,
  unableToAllocate,
} from "./errors.js";
export {
  type ClaimRequest,
  type ConsumerAllocations,
  capacityOf,
  type Inventory,
  type InventoryInput,
  type ReshapeInventories,
  type ResourceProvider,
  type Resources,
  UNKNOWN_CONSUMER_TYPE,
  withInventoryDefaults,
} from "./model.js";
export { isCustomName, isStandardResourceClass, isStandardTrait } from "./names.js";
export { type ProviderNode, type ProviderRecord, ProviderStore } from "./provider-store.js";
export {
  type CandidatesQuery,
  parseCandidatesQuery,
  type RawQuery,
  type RequestGroup,
  type Vocabulary,
} from "./query.js";
export { SqlPlacementStore } from "./sql-store.js";
export { noSuchResourceClass, type PlacementSnapshot, PlacementState } from "./state.js";
export { MemoryPlacementStore, type PlacementStore, type Touched } from "./store.js";
