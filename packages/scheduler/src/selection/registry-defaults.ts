/** The one place the built-in filters and weighers are listed. */
import { aggregateInstanceExtraSpecsFilter } from "./filters/aggregate-extra-specs.js";
import { availabilityZoneFilter, computeFilter } from "./filters/compute.js";
import { computeCapabilitiesFilter } from "./filters/compute-capabilities.js";
import { differentHostFilter, sameHostFilter } from "./filters/host-hints.js";
import { imagePropertiesFilter } from "./filters/image-properties.js";
import { isolatedHostsFilter } from "./filters/isolated-hosts.js";
import { numaTopologyFilter, pciPassthroughFilter } from "./filters/numa-pci.js";
import { serverGroupAffinityFilter, serverGroupAntiAffinityFilter } from "./filters/server-group.js";
import type { HostFilter, HostWeigher } from "./plugin.js";
import { Registry } from "./registry.js";
import {
  buildFailureWeigher,
  cpuWeigher,
  diskWeigher,
  ioOpsWeigher,
  numInstancesWeigher,
  ramWeigher,
} from "./weighers/resources.js";
import { serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher } from "./weighers/server-group.js";

const STATELESS_FILTERS: readonly HostFilter[] = [
  computeFilter,
  availabilityZoneFilter,
  aggregateInstanceExtraSpecsFilter,
  computeCapabilitiesFilter,
  imagePropertiesFilter,
  serverGroupAffinityFilter,
  serverGroupAntiAffinityFilter,
  sameHostFilter,
  differentHostFilter,
  numaTopologyFilter,
  pciPassthroughFilter,
];

const WEIGHERS: readonly HostWeigher[] = [
  ramWeigher,
  cpuWeigher,
  diskWeigher,
  ioOpsWeigher,
  numInstancesWeigher,
  buildFailureWeigher,
  serverGroupSoftAffinityWeigher,
  serverGroupSoftAntiAffinityWeigher,
];

/** Nova's default multipliers (`[filter_scheduler] *_weight_multiplier`). */
export const DEFAULT_WEIGHER_MULTIPLIERS: Readonly<Record<string, number>> = {
  RAMWeigher: 1.0,
  CPUWeigher: 1.0,
  DiskWeigher: 1.0,
  IoOpsWeigher: -1.0,
  NumInstancesWeigher: 0.0,
  BuildFailureWeigher: 1_000_000.0,
  ServerGroupSoftAffinityWeigher: 1.0,
  ServerGroupSoftAntiAffinityWeigher: 1.0,
};

/** Nova's default enabled filters (`[filter_scheduler] enabled_filters`), in order. */
export const DEFAULT_FILTERS: readonly string[] = [
  "ComputeFilter",
  "AvailabilityZoneFilter",
  "ComputeCapabilitiesFilter",
  "ImagePropertiesFilter",
  "ServerGroupAntiAffinityFilter",
  "ServerGroupAffinityFilter",
];

/** A new registry holding every built-in filter and weigher; users register their own on it. */
export function createDefaultRegistry(): Registry {
  const registry = new Registry();
  for (const f of STATELESS_FILTERS) registry.registerFilter(f.name, () => f);
  registry.registerFilter("IsolatedHostsFilter", isolatedHostsFilter);
  for (const w of WEIGHERS) registry.registerWeigher(w.name, () => w);
  return registry;
}
