/**
 * Allocation candidates in process (no HTTP): flat clouds of 1,000 and 10,000 root providers,
 * and 1,000 compute trees each with 8 PCI (SR-IOV PF) children asked for by 8 granular groups.
 * Each query is parsed and answered afresh. "objects" builds the response objects; "JSON body"
 * writes the response bytes (`allocationCandidatesBody`, what an HTTP reply sends, into memory
 * reused from the previous answer as the route does once a reply finished). Summaries as bytes
 * are cached per provider generation, so the JSON figures come with a claim between queries
 * (one provider changed) and with every provider changed since the last query (nothing reused).
 *
 *   npx tsx --conditions @stratus/source packages/scheduler/bench/candidates.ts
 */
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import {
  allocationCandidates,
  allocationCandidatesBody,
  allocationCandidatesJson,
  type BodyBuffers,
  PlacementState,
  parseCandidatesQuery,
} from "../src/placement/index.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const uuid = (kind: number, i: number) =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

function flatCloud(roots: number): PlacementState {
  const state = new PlacementState();
  for (let i = 0; i < roots; i++) {
    const rp = uuid(1, i);
    state.createProvider({ uuid: rp, name: `compute${i}` });
    state.setInventories(rp, 0, {
      VCPU: { total: 32, allocation_ratio: 4 },
      MEMORY_MB: { total: 131072, reserved: 512, allocation_ratio: 1.5 },
      DISK_GB: { total: 2000 },
    });
  }
  return state;
}

function pciCloud(roots: number, pfs: number): PlacementState {
  const state = new PlacementState();
  for (let i = 0; i < roots; i++) {
    const root = uuid(1, i);
    state.createProvider({ uuid: root, name: `compute${i}` });
    state.setInventories(root, 0, { VCPU: { total: 32 }, MEMORY_MB: { total: 131072 }, DISK_GB: { total: 2000 } });
    for (let p = 0; p < pfs; p++) {
      const pf = uuid(2, i * pfs + p);
      state.createProvider({ uuid: pf, name: `compute${i}_pf${p}`, parentUuid: root });
      state.setInventories(pf, 0, { SRIOV_NET_VF: { total: 8 } });
    }
  }
  return state;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

/** Runs `fn` `runs` times after a warm-up, `between` before each (untimed); returns sorted durations in ms. */
function time(fn: () => unknown, runs: number, between: (i: number) => void = () => {}): number[] {
  for (let i = 0; i < 5; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    between(i);
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out.sort((a, b) => a - b);
}

/** Claims one instance on root `i` of a flat cloud, or releases it when already there: every call is a write. */
function churn(state: PlacementState, i: number): void {
  const consumer = uuid(7, i);
  if (state.getAllocations(consumer) !== undefined) state.deleteAllocations(consumer);
  else
    state.claim(consumer, {
      allocations: { [uuid(1, i)]: { VCPU: 1, MEMORY_MB: 512, DISK_GB: 10 } },
      consumerGeneration: null,
      projectId: "bench",
      userId: "bench",
    });
}

// A full collection before each heap reading, without needing `node --expose-gc`.
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Heap used after a full collection, in bytes. */
function heapAfterGc(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** One buffer handed out again and again: each answer is dropped before the next is written. */
function reusedBuffer(): BodyBuffers {
  let last: Buffer | undefined;
  return {
    take: (size) => {
      if (last === undefined || last.length < size) last = Buffer.allocUnsafeSlow(size);
      return last;
    },
  };
}

/** Runs the candidate benchmarks and returns their figures. */
export function benchCandidates(options: { readonly runs?: number } = {}): Figure[] {
  const runs = options.runs ?? 100;
  const figures: Figure[] = [];
  const flatQuery = "resources=VCPU:1,MEMORY_MB:512,DISK_GB:10";
  const add = (label: string, ms: readonly number[]) => {
    figures.push({ name: `${label}, p50`, value: percentile(ms, 50), unit: "ms" });
    figures.push({ name: `${label}, p95`, value: percentile(ms, 95), unit: "ms" });
  };
  for (const roots of [1000, 10_000]) {
    const state = flatCloud(roots);
    const where = `over ${roots.toLocaleString("en")} roots`;
    for (const q of [flatQuery, `${flatQuery}&limit=1000`]) {
      add(
        `${q} ${where}, objects`,
        time(() => allocationCandidates(state, parseCandidatesQuery(q, state)), runs),
      );
    }
    const buffers = reusedBuffer();
    const body = () => allocationCandidatesBody(state, parseCandidatesQuery(flatQuery, state), {}, buffers);
    if (!body().equals(Buffer.from(allocationCandidatesJson(state, parseCandidatesQuery(flatQuery, state)))))
      throw new Error("byte writer and JSON writer differ");
    const objectsText = () =>
      Buffer.from(JSON.stringify(allocationCandidates(state, parseCandidatesQuery(flatQuery, state))));
    if (body().equals(objectsText()) === false) throw new Error("JSON writer and JSON.stringify differ");
    add(`${flatQuery} ${where}, objects + JSON.stringify`, time(objectsText, runs));
    add(
      `${flatQuery} ${where}, JSON body, a claim between queries`,
      time(body, runs, (i) => churn(state, i % roots)),
    );
    add(
      `${flatQuery} ${where}, JSON body, every provider changed since the last query`,
      time(body, Math.max(5, Math.floor(runs / 5)), () => {
        for (let i = 0; i < roots; i++) churn(state, i);
      }),
    );
  }
  const groups = Array.from({ length: 8 }, (_, g) => `resources_NIC${g}=SRIOV_NET_VF:1`).join("&");
  for (const policy of ["isolate", "none"]) {
    const state = pciCloud(1000, 8);
    const q = `resources=VCPU:1,MEMORY_MB:512&${groups}&group_policy=${policy}`;
    let count = 0;
    const ms = time(
      () => {
        count = allocationCandidates(state, parseCandidatesQuery(q, state)).allocation_requests.length;
      },
      Math.max(5, Math.floor(runs / 5)),
    );
    const bodyMs = time(
      () => allocationCandidatesBody(state, parseCandidatesQuery(q, state)),
      Math.max(5, Math.floor(runs / 5)),
    );
    const heapBefore = heapAfterGc();
    const answer = allocationCandidates(state, parseCandidatesQuery(q, state));
    const allocated = process.memoryUsage().heapUsed - heapBefore;
    const held = heapAfterGc() - heapBefore;
    const label = `1,000 roots x 8 PFs, 8 granular groups, group_policy=${policy}`;
    figures.push({ name: `${label}: allocation requests`, value: count, unit: "" });
    figures.push({ name: `${label}, p50`, value: percentile(ms, 50), unit: "ms" });
    figures.push({ name: `${label}, max`, value: ms[ms.length - 1]!, unit: "ms" });
    figures.push({ name: `${label}, JSON body, p50`, value: percentile(bodyMs, 50), unit: "ms" });
    figures.push({ name: `${label}: heap held by one answer`, value: held / 2 ** 20, unit: "MiB" });
    figures.push({
      name: `${label}: heap growth during one answer (garbage included)`,
      value: allocated / 2 ** 20,
      unit: "MiB",
    });
    if (answer.allocation_requests.length !== count) throw new Error("answers differ between runs");
  }
  return figures;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const f of benchCandidates()) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(2);
    console.log(`  ${f.name.padEnd(96)} ${value.padStart(10)} ${f.unit}`);
  }
}
