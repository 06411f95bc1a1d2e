/**
 * The granular-groups case over HTTP: 1,000 roots x 8 device children (4 with SRIOV_NET_VF, 4 with
 * PCI_DEVICE, 8 of each) and 8 groups asking for one of either with group_policy=none, limit=1000.
 * Ours: latency and the server's peak RSS growth during one answer. The peer: one try with a
 * timeout (its worker's RSS watched, stopped past a cap), timed again only if it answers.
 */
import type { ChildProcess } from "node:child_process";
import { type CloudSpec, deviceClass, providerCount } from "./cloud.js";
import { get, getJson, memoryKiB, resetPeak, type Target, type Timing, timeSequential } from "./http-client.js";
import type { PlacementPeer } from "./peer.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export const groupsCase: CloudSpec = { roots: 1000, devicesPerRoot: 8 };
const PEER_TIMEOUT_MS = 60_000;
const PEER_RSS_CAP_KIB = 8 * 2 ** 20;

/** resources=VCPU:1,MEMORY_MB:512 and resources1..8 one device each, group_policy=none, limit=1000. */
export function groupsQuery(spec: CloudSpec): string {
  const groups = Array.from(
    { length: spec.devicesPerRoot },
    (_, g) => `resources${g + 1}=${deviceClass(g, spec.devicesPerRoot)}:1`,
  );
  return `/allocation_candidates?resources=VCPU:1,MEMORY_MB:512&${groups.join("&")}&group_policy=none&limit=1000`;
}

export interface OursOutcome {
  readonly timing: Timing;
  readonly count: number;
  /** Peak RSS growth of the server during one answer. */
  readonly growthMiB: number | null;
}

export interface PeerOutcome {
  /** "answered", "timed out (60 s)", "stopped at the RSS cap (...)" or the error. */
  readonly outcome: string;
  /** The first try's time (about the timeout when it timed out). */
  readonly ms: number;
  /** Sequential timing, only when the first try answered. */
  readonly timing?: Timing;
  readonly count?: number;
  /** Largest peak RSS growth of one worker during the first try. */
  readonly growthMiB: number | null;
}

export interface GroupsOutcome {
  readonly ours: OursOutcome;
  readonly peer?: PeerOutcome;
}

interface Deps {
  startOurs(spec: CloudSpec): Promise<{ child: ChildProcess; target: Target }>;
  stopOurs(child: ChildProcess): Promise<void>;
  readonly peer: PlacementPeer | undefined;
  readonly quick: boolean;
}

const mib = (kib: number) => Math.round((kib / 1024) * 10) / 10;

/** Peak RSS growth of `pid` while `run` runs, in MiB (null when /proc does not allow it). */
async function peakGrowth(pids: readonly number[], run: () => Promise<unknown>): Promise<number | null> {
  const base = pids.map((pid) => (resetPeak(pid) ? memoryKiB(pid)?.rss : undefined));
  await run();
  const growths = pids.map((pid, i) => (memoryKiB(pid)?.peak ?? Number.NaN) - (base[i] ?? Number.NaN));
  const finite = growths.filter(Number.isFinite);
  return finite.length === 0 ? null : mib(Math.max(...finite));
}

async function measureOurs(spec: CloudSpec, query: string, deps: Deps): Promise<OursOutcome> {
  const { child, target } = await deps.startOurs(spec);
  try {
    const { body } = await getJson<{ resource_providers: unknown[] }>(target, "/resource_providers");
    if (body.resource_providers.length !== providerCount(spec)) throw new Error("our provider count is off");
    let count = 0;
    for (let i = 0; i < 3; i++)
      count = (await getJson<{ allocation_requests: unknown[] }>(target, query)).body.allocation_requests.length;
    const growthMiB = await peakGrowth([child.pid ?? 0], () => getJson(target, query));
    const timing = await timeSequential(target, query, { warmup: 0, runs: deps.quick ? 10 : 50, budgetMs: 20_000 });
    return { timing, count, growthMiB };
  } finally {
    await deps.stopOurs(child);
  }
}

async function measurePeer(peer: PlacementPeer, spec: CloudSpec, query: string, quick: boolean): Promise<PeerOutcome> {
  peer.load(spec);
  const target: Target = { base: peer.base, keepAlive: false };
  const { body } = await getJson<{ resource_providers: unknown[] }>(target, "/resource_providers", 300_000);
  if (body.resource_providers.length !== providerCount(spec)) throw new Error("the peer's provider count is off");
  // both workers past their first request (imports, database connection)
  for (let i = 0; i < 4; i++) await getJson(target, "/allocation_candidates?resources=VCPU:1&limit=1");
  const workers = peer.workers();
  const abort = new AbortController();
  let outcome = "answered";
  const watch = setInterval(() => {
    for (const pid of workers) {
      const m = memoryKiB(pid);
      if (m !== null && m.rss > PEER_RSS_CAP_KIB) {
        outcome = `stopped at the RSS cap (${mib(PEER_RSS_CAP_KIB)} MiB)`;
        abort.abort();
      }
    }
  }, 250);
  const start = performance.now();
  let count: number | undefined;
  const growthMiB = await peakGrowth(workers, async () => {
    try {
      const a = await get(target, query, PEER_TIMEOUT_MS, abort.signal);
      const body = a.bytes.toString("utf8");
      if (a.status !== 200) throw new Error(`the peer answered ${a.status}: ${body.slice(0, 300)}`);
      count = (JSON.parse(body) as { allocation_requests: unknown[] }).allocation_requests.length;
    } catch (e) {
      if (outcome === "answered")
        outcome = /timed out/.test(String(e)) ? `timed out (${PEER_TIMEOUT_MS / 1000} s)` : String(e);
    } finally {
      clearInterval(watch);
    }
  });
  const ms = performance.now() - start;
  if (count === undefined) return { outcome, ms, growthMiB };
  const timing = await timeSequential(target, query, { warmup: 0, runs: quick ? 3 : 5, budgetMs: 60_000 });
  return { outcome, ms, timing, count, growthMiB };
}

/** Ours, then the peer when there is one (it may go on working after a timeout, so it comes last). */
export async function measureGroups(spec: CloudSpec, deps: Deps): Promise<GroupsOutcome> {
  const query = groupsQuery(spec);
  const ours = await measureOurs(spec, query, deps);
  if (deps.peer === undefined) return { ours };
  const peer = await measurePeer(deps.peer, spec, query, deps.quick);
  if (peer.count !== undefined && peer.count !== ours.count)
    throw new Error(`8 groups: Placement returned ${peer.count} candidates, ours ${ours.count}`);
  return { ours, peer };
}

const LABEL = "1,000 roots x 8 devices, 8 groups, limit=1000";

export function groupsFigures(g: GroupsOutcome): Figure[] {
  const out: Figure[] = [
    { name: `${LABEL}: candidates`, value: g.ours.count, unit: "" },
    { name: `Stratus, ${LABEL}: p50`, value: g.ours.timing.p50, unit: "ms" },
    { name: `Stratus, ${LABEL}: p95`, value: g.ours.timing.p95, unit: "ms" },
  ];
  if (g.ours.growthMiB !== null)
    out.push({ name: `Stratus, ${LABEL}: peak RSS growth`, value: g.ours.growthMiB, unit: "MiB" });
  if (g.peer === undefined) return out;
  out.push({ name: `Placement, ${LABEL}: first try, ${g.peer.outcome}`, value: g.peer.ms, unit: "ms" });
  if (g.peer.growthMiB !== null)
    out.push({ name: `Placement, ${LABEL}: worker peak RSS growth`, value: g.peer.growthMiB, unit: "MiB" });
  if (g.peer.timing !== undefined) out.push({ name: `Placement, ${LABEL}: p50`, value: g.peer.timing.p50, unit: "ms" });
  return out;
}
