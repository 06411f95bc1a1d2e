/**
 * Host selection (Nova's FilterScheduler): pure data in, ordered hosts out.
 *
 * ```ts
 * import { buildRequestSpec, createDefaultRegistry, createSelector } from "@stratus/scheduler";
 *
 * const registry = createDefaultRegistry().registerFilter("RackFilter", () => ({
 *   name: "RackFilter",
 *   filter: (host) => (host.capabilities["rack"] === "r1" ? { ok: true } : { ok: false, reason: "not rack r1" }),
 * }));
 * const selector = createSelector({
 *   registry,
 *   filters: ["ComputeFilter", "AvailabilityZoneFilter", "NUMATopologyFilter", "PciPassthroughFilter", "RackFilter"],
 *   weighers: [{ name: "RAMWeigher", multiplier: 1 }, { name: "IoOpsWeigher" }],
 *   hostSubsetSize: 1,
 *   maxAttempts: 3,
 * });
 * const spec = buildRequestSpec(
 *   { flavor: { vcpus: 4, memoryMb: 4096, extraSpecs: { "hw:cpu_policy": "dedicated", "pci_passthrough:alias": "gpu:1" } } },
 *   { gpu: { vendorId: "10de", productId: "1eb8", numaPolicy: "required" } },
 * );
 * const { selections } = selector.select(hosts, spec); // throws no_valid_host with details.trace
 * ```
 */
export {
  buildRequestSpec,
  type PciAlias,
  parsePageSize,
  type RequestSpecInput,
  type SriovPortRequest,
} from "./build-request-spec.js";
export { consumeFromRequest } from "./consume.js";
export { matchExtraSpec } from "./extra-specs-ops.js";
export {
  describeTrace,
  type FilterOutcome,
  type FilterTraceEntry,
  type RemovedHost,
  runFilters,
} from "./filter-pipeline.js";
export { aggregateInstanceExtraSpecsFilter } from "./filters/aggregate-extra-specs.js";
export { availabilityZoneFilter, computeFilter } from "./filters/compute.js";
export { computeCapabilitiesFilter } from "./filters/compute-capabilities.js";
export { differentHostFilter, sameHostFilter } from "./filters/host-hints.js";
export { decodeHypervisorVersion, imagePropertiesFilter } from "./filters/image-properties.js";
export { IsolatedHostsOptions, isolatedHostsFilter } from "./filters/isolated-hosts.js";
export { numaFitFor, numaTopologyFilter, pciPassthroughFilter } from "./filters/numa-pci.js";
export {
  groupMembersOnHost,
  serverGroupAffinityFilter,
  serverGroupAntiAffinityFilter,
} from "./filters/server-group.js";
export {
  freeVcpus,
  type HostAggregate,
  type HostMemPages,
  type HostNumaCell,
  type HostState,
  type PciDevicePool,
  type SupportedInstance,
} from "./host-state.js";
export { fitNumaTopology, type GuestCellPlacement, type NumaFitResult } from "./numa-fit.js";
export { fitPciRequests, type PciAssignment, type PciFitResult } from "./pci-fit.js";
export { type FilterResult, fail, type HostFilter, type HostWeigher, PASS } from "./plugin.js";
export { type FilterFactory, Registry, type WeigherFactory } from "./registry.js";
export { createDefaultRegistry, DEFAULT_FILTERS, DEFAULT_WEIGHER_MULTIPLIERS } from "./registry-defaults.js";
export type {
  Flavor,
  GuestNumaCell,
  GuestNumaTopology,
  ImageRef,
  PciDeviceSpec,
  PciNumaPolicy,
  PciRequest,
  RequestSpec,
  SchedulerHints,
  ServerGroupPolicy,
  ServerGroupSpec,
} from "./request-spec.js";
export {
  createSelector,
  type Selection,
  type SelectionResult,
  type Selector,
  type SelectorOptions,
  SelectorOptionsSchema,
} from "./selector.js";
export {
  buildFailureWeigher,
  cpuWeigher,
  diskWeigher,
  ioOpsWeigher,
  numInstancesWeigher,
  ramWeigher,
} from "./weighers/resources.js";
export { serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher } from "./weighers/server-group.js";
export {
  compareWeighed,
  normalize,
  rankHosts,
  topIndices,
  type WeighedHost,
  type WeigherWithMultiplier,
  weighHosts,
} from "./weighing.js";
