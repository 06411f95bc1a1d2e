/**
 * The bench's client side: one GET at a time with its latency, sequential timing rounds, load with
 * many requests in flight (wrk when installed, else a Node loop), and a process's memory read from
 * /proc (peak reset through clear_refs, Linux only).
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";

/** What every bench request sends: the admin token (noauth2 takes it as admin too) and 1.39. */
export const PLACEMENT_HEADERS: Readonly<Record<string, string>> = {
  "x-auth-token": "admin",
  "openstack-api-version": "placement 1.39",
  accept: "application/json",
};

export interface Answer {
  readonly status: number;
  /** The body's raw bytes; decoding is left to the caller, outside the latency. */
  readonly bytes: Buffer;
  readonly ms: number;
}

/** A Placement endpoint and how to talk to it. */
export interface Target {
  readonly base: string;
  /** uwsgi's --http-socket closes after each response: the peer gets a new connection per request. */
  readonly keepAlive: boolean;
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/**
 * GET `path`; rejects on a transport error, after `timeoutMs`, or when `signal` aborts (the request
 * is then abandoned: the server may go on working on it).
 */
export function get(target: Target, path: string, timeoutMs = 120_000, signal?: AbortSignal): Promise<Answer> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      `${target.base}${path}`,
      {
        headers: PLACEMENT_HEADERS,
        agent: target.keepAlive ? agent : false,
        timeout: timeoutMs,
        ...(signal === undefined ? {} : { signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        // the latency ends with the last byte: joining, decoding and parsing come after it
        res.on("end", () => {
          const ms = performance.now() - start;
          resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), ms });
        });
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs / 1000} s`)));
    req.on("error", reject);
    req.end();
  });
}

/** GET that must answer 200; returns the parsed body and the latency. Throws otherwise. */
export async function getJson<T>(target: Target, path: string, timeoutMs?: number): Promise<{ body: T; ms: number }> {
  const a = await getOk(target, path, timeoutMs);
  return { body: JSON.parse(a.bytes.toString("utf8")) as T, ms: a.ms };
}

/** GET that must answer 200; returns the raw answer (a latency probe need not decode the body). Throws otherwise. */
export async function getOk(target: Target, path: string, timeoutMs?: number): Promise<Answer> {
  const a = await get(target, path, timeoutMs);
  if (a.status !== 200) throw new Error(`GET ${path} answered ${a.status}: ${a.bytes.toString("utf8", 0, 300)}`);
  return a;
}

export interface Timing {
  readonly p50: number;
  readonly p95: number;
  /** The mean: Placement's latencies are bimodal (about 65 and 170 ms at 1,000 roots), p50 jumps. */
  readonly mean: number;
  readonly runs: number;
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;
}

/** `n` sequential requests, each of which must answer 200; their latencies in ms. */
export async function sampleSequential(target: Target, path: string, n: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) ms.push((await getOk(target, path)).ms);
  return ms;
}

/** p50, p95 and mean of latencies in ms. */
export function timingOf(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), mean, runs: sorted.length };
}

/**
 * `warmup` requests, then sequential ones until `runs` were made or `budgetMs` is spent (at least
 * 3). Every answer must be 200. Returns p50 and p95 in ms.
 */
export async function timeSequential(
  target: Target,
  path: string,
  opts: { readonly warmup: number; readonly runs: number; readonly budgetMs: number },
): Promise<Timing> {
  await sampleSequential(target, path, opts.warmup);
  const ms: number[] = [];
  const deadline = performance.now() + opts.budgetMs;
  while (ms.length < opts.runs && (ms.length < 3 || performance.now() < deadline))
    ms.push((await getOk(target, path)).ms);
  return timingOf(ms);
}

/** Requests per second with `connections` in flight for `seconds`: wrk (one thread, leaving
 * the other core to the server) when on PATH, else a Node loop. */
export async function throughput(target: Target, path: string, connections: number, seconds: number): Promise<number> {
  let wrk = "";
  try {
    const headers = Object.entries(PLACEMENT_HEADERS).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
    wrk = execFileSync(
      "wrk",
      ["-t", "1", "-c", String(connections), "-d", `${seconds}s`, ...headers, `${target.base}${path}`],
      { encoding: "utf8", timeout: (seconds + 60) * 1000 },
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (wrk !== "") {
    const bad = /Non-2xx or 3xx responses: (\d+)/.exec(wrk) ?? /Socket errors: (.*)/.exec(wrk);
    if (bad !== null) throw new Error(`wrk: ${bad[0]}`);
    return Number(/Requests\/sec:\s+([\d.]+)/.exec(wrk)?.[1] ?? Number.NaN);
  }
  let done = 0;
  const end = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < end) {
      await getOk(target, path);
      done++;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  return done / ((performance.now() - start) / 1000);
}

/** Resident and peak resident set of a process in KiB (from /proc/PID/status), or null when gone. */
export function memoryKiB(pid: number): { rss: number; peak: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
    return { rss: field("VmRSS"), peak: field("VmHWM") };
  } catch {
    return null;
  }
}

/** Resets a process's peak resident set to its current one (Linux: clear_refs 5). False when not allowed. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return true;
  } catch {
    return false;
  }
}
