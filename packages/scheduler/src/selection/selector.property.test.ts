import { seededRandom } from "@stratus/core/testing";
import { describe, expect, it } from "vitest";
import { numaFitFor } from "./filters/numa-pci.js";
import type { HostNumaCell, HostState, PciDevicePool } from "./host-state.js";
import { fitNumaTopology, numaTopologyFits } from "./numa-fit.js";
import { fitPciRequests, pciFitsOnCell } from "./pci-fit.js";
import { fail, type HostFilter, PASS } from "./plugin.js";
import { createDefaultRegistry } from "./registry-defaults.js";
import type { RequestSpec } from "./request-spec.js";
import { createSelector } from "./selector.js";
import { makeHost, makeSpec } from "./testing.js";
import { rankHosts, type WeigherWithMultiplier } from "./weighing.js";

const FILTERS = [
  "ComputeFilter",
  "AvailabilityZoneFilter",
  "AggregateInstanceExtraSpecsFilter",
  "ComputeCapabilitiesFilter",
  "ImagePropertiesFilter",
  "ServerGroupAntiAffinityFilter",
  "DifferentHostFilter",
  "NUMATopologyFilter",
  "PciPassthroughFilter",
];
const WEIGHERS = ["RAMWeigher", "CPUWeigher", "DiskWeigher", "IoOpsWeigher", "BuildFailureWeigher"];

function randomCell(random: () => number, id: number): HostNumaCell {
  const cpus = Array.from({ length: 4 + Math.floor(random() * 5) }, (_, c) => id * 16 + c);
  // Now and then a pinned CPU the cell does not list, to hold the fast check to the full fit there too.
  const pinned = cpus.filter(() => random() < 0.4);
  if (random() < 0.1) pinned.push(id * 16 + 15);
  const siblings = random() < 0.3 ? [cpus.slice(0, 2), cpus.slice(2, 4)] : [];
  const mempages =
    random() < 0.3
      ? [
          { sizeKb: 4, total: 1 << 20, used: 0 },
          { sizeKb: 2048, total: 64, used: Math.floor(random() * 64) },
        ]
      : [];
  return {
    id,
    cpus,
    pinnedCpus: pinned,
    memoryMb: 16384,
    memoryUsedMb: Math.floor(random() * 16384),
    mempages,
    siblings,
  };
}

function randomPools(random: () => number): PciDevicePool[] {
  const pools: PciDevicePool[] = [];
  for (const numaNode of [0, 1, undefined]) {
    if (random() < 0.4) continue;
    pools.push({
      vendorId: "8086",
      productId: random() < 0.8 ? "154c" : "1572",
      devType: "type-VF",
      physicalNetwork: random() < 0.8 ? "physnet1" : "physnet2",
      ...(numaNode === undefined ? {} : { numaNode }),
      count: Math.floor(random() * 3),
    });
  }
  return pools;
}

function randomHosts(random: () => number, n: number): HostState[] {
  return Array.from({ length: n }, (_, i) =>
    makeHost(`h${i}`, {
      cell: `cell${i % 3}`,
      availabilityZone: `az${i % 2}`,
      aggregates: random() < 0.8 ? [{ name: "a", metadata: { ssd: random() < 0.7 ? "true" : "false" } }] : [],
      enabled: random() > 0.1,
      up: random() > 0.05,
      // Few distinct values, so weights tie and the name tie-break decides.
      freeRamMb: 1024 * Math.floor(random() * 4),
      freeDiskMb: 1024 * Math.floor(random() * 3),
      vcpusUsed: Math.floor(random() * 4),
      numIoOps: Math.floor(random() * 3),
      failedBuilds: random() < 0.05 ? 1 : 0,
      capabilities: random() < 0.9 ? { cpu_info: { features: random() < 0.8 ? "avx avx2" : "sse" } } : {},
      instances: new Set(random() < 0.1 ? ["vm-a"] : []),
      numaCells: [randomCell(random, 0), randomCell(random, 1)],
      pciPools: randomPools(random),
    }),
  );
}

function randomSpec(random: () => number): RequestSpec {
  const dedicated = random() < 0.6;
  const extraSpecs: Record<string, string> = {
    "aggregate_instance_extra_specs:ssd": "true",
    "capabilities:cpu_info:features": "<in> avx2",
    ...(dedicated ? { "hw:cpu_policy": "dedicated" } : {}),
    ...(random() < 0.3 ? { "hw:numa_nodes": "2" } : {}),
    ...(random() < 0.2 ? { "hw:mem_page_size": "large" } : {}),
  };
  return makeSpec({
    flavor: { vcpus: 2 * (1 + Math.floor(random() * 2)), memoryMb: 2048 * (1 + Math.floor(random() * 4)), extraSpecs },
    image: { properties: { hw_architecture: "x86_64" } },
    ...(random() < 0.5 ? { availabilityZone: "az1" } : {}),
    serverGroup: { policy: "anti-affinity", hosts: ["h3"], members: ["vm-a"] },
    hints: { differentHost: ["vm-a"] },
    ...(random() < 0.7
      ? { sriovPorts: [{ physicalNetwork: "physnet1", numaPolicy: random() < 0.5 ? "required" : "preferred" }] }
      : {}),
  } as Parameters<typeof makeSpec>[0]);
}

/** NUMATopologyFilter and PciPassthroughFilter as plain functions of the full fits (no memo). */
const plainFilters: Readonly<Record<string, HostFilter>> = {
  NUMATopologyFilter: {
    name: "NUMATopologyFilter",
    filter(host, spec) {
      if (spec.numaTopology === undefined) return PASS;
      const fit = fitNumaTopology(host, spec.numaTopology, spec.pciRequests);
      return fit.ok ? PASS : fail(fit.reason);
    },
  },
  PciPassthroughFilter: {
    name: "PciPassthroughFilter",
    filter(host, spec) {
      if (spec.pciRequests.length === 0) return PASS;
      const fit = spec.numaTopology && fitNumaTopology(host, spec.numaTopology, spec.pciRequests);
      if (fit?.ok === true) return PASS;
      const plain = fitPciRequests(host.pciPools, spec.pciRequests);
      if (!plain.ok) return fail(plain.reason);
      if (fit === undefined) return PASS;
      return fail(`PCI devices cannot follow the guest's NUMA cells: ${fit.reason}`);
    },
  },
};

/** The filters one after the other over the previous one's survivors, as Nova runs them. */
function filterMajor(hosts: readonly HostState[], spec: RequestSpec, filters: readonly HostFilter[]) {
  let current = hosts;
  const trace: { filter: string; hostsIn: number; removed: { host: string; reason: string }[] }[] = [];
  for (const filter of filters) {
    if (current.length === 0) break;
    const next: HostState[] = [];
    const removed: { host: string; reason: string }[] = [];
    for (const host of current) {
      const verdict = filter.filter(host, spec);
      if (verdict.ok) next.push(host);
      else removed.push({ host: host.host, reason: verdict.reason });
    }
    trace.push({ filter: filter.name, hostsIn: current.length, removed });
    current = next;
  }
  return { hosts: current, trace };
}

describe("selection: fast paths against the plain algorithm", () => {
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))(
    "on random cloud %i the selector's survivors, trace, choice and alternates equal filter-by-filter runs and a full sort",
    (seed) => {
      const random = seededRandom(seed);
      const registry = createDefaultRegistry();
      const filters = FILTERS.map((name) => plainFilters[name] ?? registry.filter(name));
      const weighers: WeigherWithMultiplier[] = WEIGHERS.map((name) => ({
        weigher: registry.weigher(name),
        multiplier: name === "IoOpsWeigher" ? -1 : name === "BuildFailureWeigher" ? 1e6 : 1,
      }));
      const hosts = randomHosts(random, 400);
      for (let round = 0; round < 6; round++) {
        const spec = randomSpec(random);
        const subset = 1 + Math.floor(random() * 3);
        const draw = random();
        const selector = createSelector({
          filters: FILTERS,
          weighers: WEIGHERS,
          hostSubsetSize: subset,
          maxAttempts: 4,
          random: () => draw,
        });
        const expected = filterMajor(hosts, spec, filters);
        let result: ReturnType<typeof selector.select> | undefined;
        try {
          result = selector.select(hosts, spec);
        } catch {
          expect(expected.hosts).toHaveLength(0);
          continue;
        }
        const trace = result.traces[0]!.map((e) => ({
          filter: e.filter,
          hostsIn: e.hostsIn,
          removed: e.removed.map((r) => ({ host: r.host, reason: r.reason })),
        }));
        expect(trace).toEqual(expected.trace);
        const ranked = rankHosts(expected.hosts, spec, weighers);
        const top = ranked.slice(0, Math.min(subset, ranked.length));
        const chosen = top[Math.min(top.length - 1, Math.floor(draw * top.length))]!;
        expect(result.hosts[0]!.host).toBe(chosen.host.host);
        expect(result.selections[0]!.weight).toBe(chosen.weight);
        const alternates = ranked
          .filter((w) => w.host.cell === chosen.host.cell && w.host !== chosen.host)
          .slice(0, 3)
          .map((w) => w.host.host);
        expect(result.selections[0]!.alternates.map((h) => h.host)).toEqual(alternates);
      }
    },
  );

  it.each(Array.from({ length: 8 }, (_, i) => i + 1))(
    "on random hosts %i the NUMA fit check without allocation agrees with the full fit, and the remembered fit is the fit",
    (seed) => {
      const random = seededRandom(seed + 100);
      for (const host of randomHosts(random, 150)) {
        const spec = randomSpec(random);
        const topology = spec.numaTopology;
        if (topology === undefined) continue;
        const full = fitNumaTopology(host, topology, spec.pciRequests);
        expect(numaTopologyFits(host, topology, spec.pciRequests)).toBe(full.ok);
        for (const cell of [0, 1, 2]) {
          const plain = fitPciRequests(host.pciPools, spec.pciRequests, [cell]).ok;
          expect(pciFitsOnCell(host.pciPools, spec.pciRequests, cell)).toBe(plain);
        }
        expect(numaFitFor(host, spec)).toEqual(full);
      }
    },
  );
});
