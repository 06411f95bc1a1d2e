/**
 * `pnpm bench` for the reference server: cold start of `stratus serve` (process spawn until all
 * seven ports answer their version document) and idle RSS, from the built CLI (`pnpm build`).
 * Run: pnpm --filter @stratus/server-reference bench
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SERVICE_NAMES } from "../src/services.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const RUNS = 7;
const BASE_PORT = 27_000;

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(500) });
    await res.arrayBuffer();
    return res.status < 500;
  } catch {
    return false;
  }
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** One start on `dataDir`: a fresh one bootstraps identity (bcrypt at cost 12 included). */
async function oneRun(dataDir: string): Promise<{ startMs: number; rssMiB: number }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    STRATUS_LOG_LEVEL: "warn",
    STRATUS_DATA_DIR: dataDir,
    STRATUS_ADMIN_PASSWORD: "bench-admin",
  };
  const urls = SERVICE_NAMES.map((name, i) => {
    env[`STRATUS_${name.toUpperCase()}_PORT`] = String(BASE_PORT + i);
    return `http://127.0.0.1:${BASE_PORT + i}/`;
  });
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--max-semi-space-size=2", CLI, "serve"], {
    env,
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const pending = new Set(urls);
    const deadline = t0 + 10_000;
    while (pending.size > 0) {
      if (performance.now() > deadline) throw new Error(`not answering after 10 s: ${[...pending].join(" ")}`);
      if (child.exitCode !== null) throw new Error(`stratus serve exited with ${child.exitCode}`);
      await Promise.all([...pending].map(async (u) => (await answers(u)) && pending.delete(u)));
      if (pending.size > 0) await new Promise((r) => setTimeout(r, 5));
    }
    const startMs = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 1500)); // let start-up garbage settle: idle RSS
    return { startMs, rssMiB: rssMiB(child.pid ?? 0) };
  } finally {
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export async function benchServer(): Promise<Figure[]> {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const first: Array<{ startMs: number; rssMiB: number }> = [];
  const again: Array<{ startMs: number; rssMiB: number }> = [];
  for (let i = 0; i < RUNS; i++) {
    const dataDir = mkdtempSync(join(tmpdir(), "stratus-bench-"));
    first.push(await oneRun(dataDir));
    again.push(await oneRun(dataDir));
  }
  const ms = (rs: typeof first) => median(rs.map((r) => r.startMs));
  return [
    { name: "first start (bootstrap) to 7 ports answering (median)", value: ms(first), unit: "ms" },
    { name: "start of a bootstrapped server to 7 ports answering (median)", value: ms(again), unit: "ms" },
    { name: "start, worst of all runs", value: Math.max(...[...first, ...again].map((r) => r.startMs)), unit: "ms" },
    { name: "idle RSS after start-up (median)", value: median(again.map((r) => r.rssMiB)), unit: "MiB" },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `machine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`,
  );
  for (const f of await benchServer()) console.log(`${f.name.padEnd(60)} ${f.value.toFixed(1).padStart(8)} ${f.unit}`);
}
