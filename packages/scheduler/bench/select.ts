/**
 * Full host selection at scale: 10 filters and 6 weighers (Nova's FilterScheduler model) over
 * 10,000 and 100,000 synthetic hosts, one instance per select with a dedicated-CPU NUMA guest
 * and an SR-IOV port, so the NUMA and PCI fits run on every host that reaches them. The spec is
 * rebuilt for every select (it counts), so nothing is memoized across selects. Placement
 * candidates are not part of this figure (see the placement bench).
 *
 *   npx tsx --conditions @stratus/source packages/scheduler/bench/select.ts
 *   BENCH_ROUNDS=50 ... (selects per size and variant; default 300 at 10k, 60 at 100k)
 */
import { pathToFileURL } from "node:url";
import { buildRequestSpec, createSelector, type HostState, type RequestSpec } from "../src/selection/index.js";
import { makeHost } from "../src/selection/testing.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const FILTERS = [
  "ComputeFilter",
  "AvailabilityZoneFilter",
  "AggregateInstanceExtraSpecsFilter",
  "ComputeCapabilitiesFilter",
  "ImagePropertiesFilter",
  "ServerGroupAntiAffinityFilter",
  "DifferentHostFilter",
  { name: "IsolatedHostsFilter", options: { isolatedHosts: ["h7"], isolatedImages: ["img-isolated"] } },
  "NUMATopologyFilter",
  "PciPassthroughFilter",
];
const WEIGHERS = [
  "RAMWeigher",
  "CPUWeigher",
  "DiskWeigher",
  "IoOpsWeigher",
  "BuildFailureWeigher",
  "ServerGroupSoftAntiAffinityWeigher",
];

/** Deterministic pseudo-random numbers (xorshift), so every run weighs the same cloud. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** `n` hosts: 2% disabled, 1% down, 3 zones, every host with 2 NUMA cells and SR-IOV VFs. */
export function syntheticHosts(n: number): HostState[] {
  const r = prng(42);
  return Array.from({ length: n }, (_, i) => {
    const name = `h${i}`;
    const pinned = Math.floor(r() * 9);
    return makeHost(name, {
      cell: `cell${i % 4}`,
      availabilityZone: `az${i % 3}`,
      aggregates: [{ name: "ssd", metadata: { ssd: i % 5 === 0 ? "false" : "true", generation: String(i % 9) } }],
      enabled: r() > 0.02,
      up: r() > 0.01,
      freeRamMb: Math.floor(r() * 256_000),
      freeDiskMb: Math.floor(r() * 2_000_000),
      vcpusUsed: Math.floor(r() * 60),
      numIoOps: Math.floor(r() * 8),
      numInstances: Math.floor(r() * 40),
      failedBuilds: r() > 0.99 ? 1 : 0,
      capabilities: { cpu_info: { features: "avx avx2 sse4_2" } },
      instances: new Set([`vm-${i}-a`, `vm-${i}-b`]),
      numaCells: [0, 1].map((id) => ({
        id,
        cpus: Array.from({ length: 8 }, (_, c) => id * 8 + c),
        pinnedCpus: Array.from({ length: id === 0 ? pinned : 8 - pinned }, (_, c) => id * 8 + c),
        memoryMb: 131072,
        memoryUsedMb: Math.floor(r() * 100_000),
        mempages: [],
        siblings: [],
      })),
      pciPools: [
        {
          vendorId: "8086",
          productId: "154c",
          devType: "type-VF",
          physicalNetwork: "physnet1",
          numaNode: 0,
          count: Math.floor(r() * 4),
        },
        {
          vendorId: "8086",
          productId: "154c",
          devType: "type-VF",
          physicalNetwork: "physnet1",
          numaNode: 1,
          count: Math.floor(r() * 4),
        },
      ],
    });
  });
}

function spec(): RequestSpec {
  return buildRequestSpec({
    flavor: {
      name: "nfv.medium",
      vcpus: 4,
      memoryMb: 8192,
      rootGb: 20,
      extraSpecs: {
        "hw:cpu_policy": "dedicated",
        "aggregate_instance_extra_specs:ssd": "true",
        "capabilities:cpu_info:features": "<in> avx2",
      },
    },
    image: { id: "img-1", properties: { hw_architecture: "x86_64", img_hv_type: "qemu" } },
    availabilityZone: "az1",
    serverGroup: { policy: "anti-affinity", hosts: ["h1", "h4"], members: ["vm-1-a", "vm-4-a"] },
    hints: { differentHost: ["vm-10-a", "vm-13-b"] },
    sriovPorts: [{ physicalNetwork: "physnet1", numaPolicy: "required" }],
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs the bench and returns p50/p95/p99 per select at each size (milliseconds): once over the
 * same hosts, once with one host replaced by an updated copy before every select (as a host
 * state refresh after a claim would), so nothing keyed to host objects can carry over.
 */
export function benchSelect(sizes: readonly number[] = [10_000, 100_000]): Figure[] {
  const selector = createSelector({ filters: FILTERS, weighers: WEIGHERS, maxAttempts: 3 });
  const figures: Figure[] = [];
  for (const n of sizes) {
    const hosts = syntheticHosts(n);
    const rounds = Number(process.env["BENCH_ROUNDS"] ?? (n >= 100_000 ? 60 : 300));
    for (let i = 0; i < 5; i++) selector.select(hosts, spec());
    for (const changing of [false, true]) {
      const times: number[] = [];
      let survivors = 0;
      for (let i = 0; i < rounds; i++) {
        if (changing) {
          const j = (i * 7919) % n;
          const h = hosts[j]!;
          hosts[j] = { ...h, vcpusUsed: h.vcpusUsed + 1, freeRamMb: h.freeRamMb - 1 };
        }
        const t0 = performance.now();
        const result = selector.select(hosts, spec());
        times.push(performance.now() - t0);
        const trace = result.traces[0]!;
        const last = trace[trace.length - 1]!;
        survivors = last.hostsIn - last.removed.length;
      }
      times.sort((a, b) => a - b);
      const how = changing ? ", a host changed before each" : "";
      const label = `select ${n.toLocaleString("en-US")} hosts (10 filters, 6 weighers, ${survivors} pass${how})`;
      for (const p of [50, 95, 99]) {
        figures.push({ name: `${label} p${p}`, value: Number(percentile(times, p).toFixed(2)), unit: "ms" });
      }
    }
  }
  return figures;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const f of benchSelect()) console.log(`${f.name}: ${f.value} ${f.unit}`);
}
