/**
 * GET /allocation_candidates over HTTP, side by side with the real OpenStack Placement, on the
 * same clouds (cloud.ts): 1,000 and 10,000 flat roots (p50/p95 of sequential requests and the
 * ratio; both servers up at once and measured in interleaved rounds, so other load on the
 * machine weighs on both alike), 1,000 roots x 8 device children asked for by 8 granular groups
 * (latency and peak RSS growth; the peer with a 60 s timeout), and our requests/s with 16 in
 * flight (1,000 roots).
 *
 * Ours: the Placement API on the in-memory store in a child process (StaticAuthenticator, token
 * "admin"). Peer: Debian's placement-api (Placement 8.0.0) under uwsgi, 2 processes x 1 thread,
 * SQLite, noauth2 (placement-peer.sh); it runs when STRATUS_BENCH_PEER=1 (installing its packages
 * with apt-get when missing), or without the variable when they are already installed;
 * STRATUS_BENCH_PEER=0 leaves it out.
 *
 *   npx tsx --conditions @stratus/source packages/scheduler/bench/http.ts
 *   BENCH_QUICK=1 ... (fewer runs)
 */
import { type ChildProcess, fork } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { createServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { MemoryPlacementStore } from "../src/placement/index.js";
import { registerPlacementRoutes } from "../src/placement-api/index.js";
import { buildState, type CloudSpec, providerCount, rootUuid } from "./cloud.js";
import { getJson, sampleSequential, type Target, type Timing, throughput, timingOf } from "./http-client.js";
import { type GroupsOutcome, groupsCase, groupsFigures, measureGroups } from "./http-groups.js";
import { installPeer, PlacementPeer, peerInstalled } from "./peer.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const FLAT_QUERY = "/allocation_candidates?resources=VCPU:1,MEMORY_MB:512,DISK_GB:10";

/** Child side: the cloud `spec` in our state, behind the Placement API on a loopback port. */
async function serve(spec: CloudSpec): Promise<void> {
  const app = createServiceApp({
    service: "placement",
    microversions: { service: "placement", min: "1.0", max: "1.39" },
    authenticator: new StaticAuthenticator({
      admin: { userId: "u-admin", projectId: "p-admin", roles: ["admin", "member", "reader"], isAdmin: true },
    }),
    identityUri: "http://127.0.0.1:5000",
  });
  registerPlacementRoutes(app, { store: new MemoryPlacementStore(buildState(spec)) });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  process.on("disconnect", () => void app.close().finally(() => process.exit(0)));
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 });
}

interface Ours {
  readonly child: ChildProcess;
  readonly target: Target;
}

function startOurs(spec: CloudSpec): Promise<Ours> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve-placement", JSON.stringify(spec)], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) =>
      resolve({ child, target: { base: `http://127.0.0.1:${(m as { port: number }).port}`, keepAlive: true } }),
    );
    child.once("exit", (code) => reject(new Error(`placement server exited with ${code}`)));
  });
}

async function stopOurs(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.disconnect();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}

interface Check {
  /** Allocation requests the query got. */
  readonly count: number;
  /** The first root's provider summary resources, keys sorted, as JSON (capacity and usage). */
  readonly summary: string;
}

/** Checks that `target` holds the whole cloud; returns what `query` answers, to compare. */
async function verify(target: Target, spec: CloudSpec, query: string, timeoutMs?: number): Promise<Check> {
  const { body } = await getJson<{ resource_providers: unknown[] }>(target, "/resource_providers", 300_000);
  if (body.resource_providers.length !== providerCount(spec))
    throw new Error(`${target.base} lists ${body.resource_providers.length} providers, want ${providerCount(spec)}`);
  const answer = await getJson<{
    allocation_requests: unknown[];
    provider_summaries: Record<string, { resources: Record<string, unknown> }>;
  }>(target, query, timeoutMs);
  const resources = answer.body.provider_summaries[rootUuid(0)]?.resources ?? {};
  const summary = JSON.stringify(Object.entries(resources).sort(([a], [b]) => a.localeCompare(b)));
  return { count: answer.body.allocation_requests.length, summary };
}

/** Whether to run the peer; installs it when asked to and missing. */
function peerWanted(): boolean {
  const want = process.env["STRATUS_BENCH_PEER"];
  if (want === "0") return false;
  if (peerInstalled()) return true;
  if (want !== "1") {
    console.log("  (OpenStack Placement not installed: ours only; STRATUS_BENCH_PEER=1 installs it)");
    return false;
  }
  installPeer();
  return peerInstalled();
}

const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));
const cell = (t: Timing | undefined) =>
  t === undefined ? "-" : `${fmt(t.p50)} / ${fmt(t.p95)} / ${fmt(t.mean)} ms (${t.runs})`;

/**
 * One flat cloud on both servers at once, measured in interleaved rounds (a batch of ours, then one
 * of the peer's) so that other load on the machine weighs on both alike; then our requests/s.
 */
async function measureFlat(
  roots: number,
  peer: PlacementPeer | undefined,
  quick: boolean,
): Promise<{ figures: Figure[]; row: string }> {
  const spec: CloudSpec = { roots, devicesPerRoot: 0 };
  const label = `${roots.toLocaleString("en")} roots`;
  const rounds = quick ? 3 : roots > 1000 ? 12 : 30;
  const oursPerRound = quick ? 5 : roots > 1000 ? 12 : 10;
  const figures: Figure[] = [];
  const ours = await startOurs(spec);
  const mine: number[] = [];
  const theirs: number[] = [];
  let check: Check;
  try {
    check = await verify(ours.target, spec, FLAT_QUERY);
    const peerTarget: Target | undefined = peer === undefined ? undefined : { base: peer.base, keepAlive: false };
    if (peer !== undefined && peerTarget !== undefined) {
      peer.load(spec);
      const peerCheck = await verify(peerTarget, spec, FLAT_QUERY, 300_000);
      if (peerCheck.count !== check.count || peerCheck.summary !== check.summary)
        throw new Error(`${label}: Placement answered ${JSON.stringify(peerCheck)}, ours ${JSON.stringify(check)}`);
      await sampleSequential(peerTarget, FLAT_QUERY, 2);
    }
    await sampleSequential(ours.target, FLAT_QUERY, 5);
    for (let r = 0; r < rounds; r++) {
      mine.push(...(await sampleSequential(ours.target, FLAT_QUERY, oursPerRound)));
      if (peerTarget !== undefined) theirs.push(...(await sampleSequential(peerTarget, FLAT_QUERY, 1)));
    }
    if (roots === 1000) {
      const rps = await throughput(ours.target, FLAT_QUERY, 16, quick ? 3 : 10);
      figures.push({ name: `Stratus, ${label}: requests/s with 16 in flight`, value: Math.round(rps), unit: "req/s" });
    }
  } finally {
    await stopOurs(ours.child);
  }
  const a = timingOf(mine);
  figures.push(
    { name: `${label}: candidates`, value: check.count, unit: "" },
    { name: `Stratus, ${label}: p50`, value: a.p50, unit: "ms" },
    { name: `Stratus, ${label}: p95`, value: a.p95, unit: "ms" },
    { name: `Stratus, ${label}: mean`, value: a.mean, unit: "ms" },
  );
  const b = theirs.length === 0 ? undefined : timingOf(theirs);
  if (b !== undefined)
    figures.push(
      { name: `Placement, ${label}: p50`, value: b.p50, unit: "ms" },
      { name: `Placement, ${label}: p95`, value: b.p95, unit: "ms" },
      { name: `Placement, ${label}: mean`, value: b.mean, unit: "ms" },
      { name: `Placement / Stratus, ${label}: p50`, value: b.p50 / a.p50, unit: "x" },
      { name: `Placement / Stratus, ${label}: mean`, value: b.mean / a.mean, unit: "x" },
    );
  const ratio = b === undefined ? "-" : `${(b.p50 / a.p50).toFixed(0)}x (mean ${(b.mean / a.mean).toFixed(0)}x)`;
  const row = `  ${`${label}, ${check.count} candidates`.padEnd(32)} ${cell(a).padEnd(38)} ${cell(b).padEnd(44)} ${ratio}`;
  return { figures, row };
}

function groupsRow(g: GroupsOutcome): string {
  const ours = `${cell(g.ours.timing)}, +${g.ours.growthMiB ?? "?"} MiB`;
  let theirs = "-";
  let ratio = "-";
  if (g.peer !== undefined) {
    const growth = `, +${g.peer.growthMiB ?? "?"} MiB`;
    theirs = g.peer.timing === undefined ? `${g.peer.outcome}${growth}` : `${cell(g.peer.timing)}${growth}`;
    ratio =
      g.peer.timing === undefined
        ? `> ${(g.peer.ms / g.ours.timing.p50).toFixed(0)}x`
        : `${(g.peer.timing.p50 / g.ours.timing.p50).toFixed(0)}x`;
  }
  return `  ${`1k x 8 devices, 8 groups, ${g.ours.count}`.padEnd(32)} ${ours.padEnd(38)} ${theirs.padEnd(44)} ${ratio}`;
}

/** Runs the HTTP figures, prints the side-by-side table, returns every figure. */
export async function benchHttp(options: { readonly quick?: boolean } = {}): Promise<Figure[]> {
  const quick = options.quick ?? process.env["BENCH_QUICK"] === "1";
  const figures: Figure[] = [];
  const peer = peerWanted() ? PlacementPeer.start(await freePort()) : undefined;
  const rows: string[] = [];
  // the peer is a daemon: an interrupted bench must not leave it running
  const onSignal = () => {
    peer?.stop();
    process.exit(130);
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    for (const roots of [1000, 10_000]) {
      const flat = await measureFlat(roots, peer, quick);
      figures.push(...flat.figures);
      rows.push(flat.row);
    }
    const groups = await measureGroups(groupsCase, { startOurs, stopOurs, peer, quick });
    figures.push(...groupsFigures(groups));
    rows.push(groupsRow(groups));
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    peer?.stop();
  }
  console.log(
    `  ${"GET /allocation_candidates".padEnd(32)} ${"Stratus p50 / p95 / mean (runs)".padEnd(38)} ${"Placement p50 / p95 / mean (runs)".padEnd(44)} Placement/Stratus p50`,
  );
  for (const r of rows) console.log(r);
  return figures;
}

if (process.argv[2] === "--serve-placement") {
  await serve(JSON.parse(process.argv[3] ?? "{}") as CloudSpec);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await benchHttp())
    console.log(`  ${f.name.padEnd(72)} ${f.value.toFixed(f.value < 10 ? 2 : 0).padStart(10)} ${f.unit}`);
}
