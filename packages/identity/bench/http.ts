/**
 * Token validation over HTTP, side by side with Keystone: `GET /v3/auth/tokens` (X-Auth-Token and
 * X-Subject-Token the same project-scoped admin token) loaded by autocannon (loopback, c=32), with
 * and without `?nocatalog`: a 2 s warm-up each, then 10 s rounds (ours: the best of two). Ours: @stratus/identity on a fresh
 * SQLite file in a child process. Peer: Debian's Keystone 22 under uwsgi, 2 processes
 * (keystone-peer.sh). Then checks that a revoked token answers 404 at once (the cache never
 * serves it).
 *
 *   npx tsx --conditions @stratus/source packages/identity/bench/http.ts
 *   BENCH_SECONDS=2 ... (shorter rounds)   BENCH_NO_PEER=1 ... (ours only)
 *   BENCH_CPU_PROF=/tmp/prof ...          (the server child runs under node --cpu-prof)
 */
import { type ChildProcess, execFileSync, fork } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@stratus/core/db";
import { createServiceApp } from "@stratus/core/http";
import { bootstrap } from "../src/bootstrap.js";
import { createIdentity } from "../src/identity.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

interface AutocannonResult {
  readonly requests: { readonly average: number };
  readonly latency: { readonly p50: number; readonly p99: number };
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
}
type Autocannon = (
  options: Record<string, unknown>,
  done: (err: Error | null, result: AutocannonResult) => void,
) => { on(event: "reqError", listener: (err: unknown) => void): void };
// autocannon ships no types: take it through require with the little we use spelled out
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

const HERE = dirname(fileURLToPath(import.meta.url));
const PEER_SCRIPT = join(HERE, "keystone-peer.sh");
const PASSWORD = "admin";

/** Child side: identity on a fresh SQLite file, bootstrapped, listening on loopback. */
async function serve(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-identity-http-"));
  const database = await openDatabase({ engine: "sqlite", path: join(dir, "identity.db") });
  const identity = await createIdentity({
    database,
    keyRepository: join(dir, "fernet-keys"),
    credentialKeyRepository: join(dir, "credential-keys"),
    users: { passwordHashRounds: 4 },
  });
  const port = await freePort();
  const app = createServiceApp({
    service: "identity",
    authenticator: identity.authenticator,
    identityUri: `http://127.0.0.1:${port}`,
  });
  identity.registerRoutes(app);
  await app.listen({ host: "127.0.0.1", port });
  await bootstrap(identity, { adminPassword: PASSWORD, publicUrl: `http://127.0.0.1:${port}/v3/` });
  const stop = () =>
    void app
      .close()
      .then(() => database.close())
      .finally(() => {
        rmSync(dir, { recursive: true, force: true });
        process.exit(0);
      });
  process.on("disconnect", stop);
  process.send?.({ port });
}

function startOurs(): Promise<{ child: ChildProcess; url: string }> {
  const prof = process.env["BENCH_CPU_PROF"];
  const execArgv = [...process.execArgv, ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [])];
  const child = fork(fileURLToPath(import.meta.url), ["--serve"], {
    execArgv,
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) => resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}` }));
    child.once("exit", (code) => reject(new Error(`identity server exited with ${code}`)));
  });
}

async function stopOurs(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.disconnect();
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000).unref())]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** A free loopback port for the peer. */
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

/** Starts Keystone in `dir`; returns its URL. Throws when the script fails (e.g. not installed). */
function startPeer(dir: string, port: number): string {
  return execFileSync("bash", [PEER_SCRIPT, "up", dir, String(port)], {
    encoding: "utf8",
    timeout: 180_000,
    stdio: ["ignore", "pipe", "inherit"],
  }).trim();
}
function stopPeer(dir: string): void {
  execFileSync("bash", [PEER_SCRIPT, "down", dir], { stdio: "ignore", timeout: 30_000 });
}

const authBody = JSON.stringify({
  auth: {
    identity: {
      methods: ["password"],
      password: { user: { name: "admin", domain: { name: "Default" }, password: PASSWORD } },
    },
    scope: { project: { name: "admin", domain: { name: "Default" } } },
  },
});

async function issueToken(base: string): Promise<string> {
  const res = await fetch(`${base}/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: authBody,
    signal: AbortSignal.timeout(30_000),
  });
  const token = res.headers.get("x-subject-token");
  if (res.status !== 201 || token === null) throw new Error(`${base}: token issue answered ${res.status}`);
  await res.arrayBuffer();
  return token;
}

/** One request on the token API; returns the status. */
async function call(base: string, method: string, auth: string, subject: string, query = ""): Promise<number> {
  const res = await fetch(`${base}/v3/auth/tokens${query}`, {
    method,
    headers: { "x-auth-token": auth, "x-subject-token": subject },
    signal: AbortSignal.timeout(30_000),
  });
  await res.arrayBuffer();
  return res.status;
}

interface Load {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  /** Connections the server reset (uwsgi's http-socket closes after each response; see `load`). */
  readonly resets: number;
}

/** How a server is loaded: ours must answer every request; uwsgi may reset kept-alive connections. */
interface Target {
  readonly base: string;
  readonly allowResets: boolean;
}

/**
 * autocannon at c=32 for `seconds`. Every answer must be 2xx, with no timeout and no error but
 * ECONNRESET when `allowResets`: uwsgi's --http-socket (as keystone-peer.sh runs it) closes the
 * connection after each response without saying so, and the request autocannon has already sent
 * on it is reset unread: it did no work, and autocannon sends it again on a new connection.
 */
function load(target: Target, url: string, token: string, seconds: number): Promise<Load> {
  const codes = new Map<string, number>();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 32,
        duration: seconds,
        timeout: 30,
        headers: { "x-auth-token": token, "x-subject-token": token },
      },
      (err, result) => {
        if (err !== null) return reject(err);
        const resets = codes.get("ECONNRESET") ?? 0;
        const other = result.errors - (target.allowResets ? resets : 0);
        if (result.non2xx > 0 || result.timeouts > 0 || other > 0)
          return reject(
            new Error(
              `${url}: ${result.non2xx} non-2xx, ${result.timeouts} timeouts, errors ${JSON.stringify([...codes])}`,
            ),
          );
        resolve({ rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, resets });
      },
    );
    instance.on("reqError", (e: unknown) => {
      const code = (e as { code?: string; message?: string }).code ?? String((e as Error).message);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    });
  });
}

/**
 * Waits until the server has worked off what an ended load left queued (Keystone goes on serving
 * the requests autocannon abandoned): one request, answered only once the queue before it is done.
 */
async function drain(base: string): Promise<void> {
  const res = await fetch(`${base}/v3`, { signal: AbortSignal.timeout(120_000) });
  await res.arrayBuffer();
  await new Promise((resolve) => setTimeout(resolve, 1000));
}

/**
 * Warm-up, then rounds alternating the catalog and nocatalog loads on one server, keeping each
 * one's best round: other work on a shared machine only ever slows a round down.
 */
async function loadBoth(target: Target, rounds: number, seconds: number): Promise<{ catalog: Load; nocatalog: Load }> {
  const { base } = target;
  const token = await issueToken(base);
  const urls = { catalog: `${base}/v3/auth/tokens`, nocatalog: `${base}/v3/auth/tokens?nocatalog` };
  for (const url of Object.values(urls)) {
    await load(target, url, token, 2);
    await drain(base);
  }
  const best: { catalog?: Load; nocatalog?: Load } = {};
  for (let round = 0; round < rounds; round++) {
    for (const kind of ["catalog", "nocatalog"] as const) {
      const r = await load(target, urls[kind], token, seconds);
      await drain(base);
      if ((best[kind]?.rps ?? 0) < r.rps) best[kind] = r;
    }
  }
  if (best.catalog === undefined || best.nocatalog === undefined) throw new Error("no load round ran");
  return { catalog: best.catalog, nocatalog: best.nocatalog };
}

/**
 * Revokes a token whose validations are cached (catalog, nocatalog, and as X-Auth-Token), then
 * asks again at once: GET and HEAD must answer 404, and the token as X-Auth-Token 401.
 */
async function revocationCheck(base: string): Promise<void> {
  const admin = await issueToken(base);
  const victim = await issueToken(base);
  for (let i = 0; i < 3; i++) {
    for (const q of ["", "?nocatalog"]) {
      const status = await call(base, "GET", admin, victim, q);
      if (status !== 200) throw new Error(`validating a fresh token answered ${status}`);
    }
    if ((await call(base, "GET", victim, victim)) !== 200) throw new Error("self-validation failed");
  }
  const revoked = await call(base, "DELETE", admin, victim);
  if (revoked !== 204) throw new Error(`DELETE answered ${revoked}`);
  const after = [
    await call(base, "GET", admin, victim),
    await call(base, "GET", admin, victim, "?nocatalog"),
    await call(base, "HEAD", admin, victim),
  ];
  if (after.some((s) => s !== 404)) throw new Error(`a revoked token answered ${after.join(", ")} (want 404)`);
  const self = await call(base, "GET", victim, admin);
  if (self !== 401) throw new Error(`a revoked X-Auth-Token answered ${self} (want 401)`);
  if ((await call(base, "GET", admin, admin)) !== 200) throw new Error("the other token stopped validating");
}

const rate = (rps: number) => (rps < 100 ? Math.round(rps * 10) / 10 : Math.round(rps));
const figuresOf = (label: string, r: { catalog: Load; nocatalog: Load }): Figure[] => [
  { name: `${label}: GET /v3/auth/tokens`, value: rate(r.catalog.rps), unit: "req/s" },
  { name: `${label}: latency p50`, value: r.catalog.p50, unit: "ms" },
  { name: `${label}: latency p99`, value: r.catalog.p99, unit: "ms" },
  { name: `${label}: GET /v3/auth/tokens?nocatalog`, value: rate(r.nocatalog.rps), unit: "req/s" },
  { name: `${label}: ?nocatalog latency p50`, value: r.nocatalog.p50, unit: "ms" },
  { name: `${label}: ?nocatalog latency p99`, value: r.nocatalog.p99, unit: "ms" },
];

async function benchPeer(rounds: number, seconds: number): Promise<{ catalog: Load; nocatalog: Load }> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-keystone-peer-"));
  mkdirSync(dir, { recursive: true });
  const down = () => {
    try {
      stopPeer(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const onSignal = () => {
    down();
    process.exit(130);
  };
  process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
  try {
    const base = startPeer(dir, await freePort());
    return await loadBoth({ base, allowResets: true }, rounds, seconds);
  } finally {
    process.off("SIGINT", onSignal).off("SIGTERM", onSignal);
    down();
  }
}

/**
 * Ours (best of `rounds`), then the peer (one round, unless BENCH_NO_PEER): req/s, p50, p99 of
 * each, the ratios, and the revocation check.
 */
export async function benchHttp(
  options: { readonly rounds?: number; readonly seconds?: number } = {},
): Promise<Figure[]> {
  const rounds = options.rounds ?? 2;
  const seconds = options.seconds ?? Number(process.env["BENCH_SECONDS"] ?? 10);
  const figures: Figure[] = [];
  const { child, url } = await startOurs();
  let ours: { catalog: Load; nocatalog: Load };
  try {
    ours = await loadBoth({ base: url, allowResets: false }, rounds, seconds);
    await revocationCheck(url);
  } finally {
    await stopOurs(child);
  }
  figures.push(...figuresOf("Stratus", ours));
  console.log("  cache never served a revoked token: ok");
  if (process.env["BENCH_NO_PEER"]) return figures;
  const peer = await benchPeer(1, seconds);
  figures.push(
    ...figuresOf("Keystone 22 (uwsgi, 2 processes)", peer),
    {
      name: "Keystone: kept-alive connections uwsgi reset (resent)",
      value: peer.catalog.resets + peer.nocatalog.resets,
      unit: "resets",
    },
    { name: "Stratus / Keystone, GET /v3/auth/tokens", value: ours.catalog.rps / peer.catalog.rps, unit: "x" },
    { name: "Stratus / Keystone, ?nocatalog", value: ours.nocatalog.rps / peer.nocatalog.rps, unit: "x" },
  );
  return figures;
}

if (process.argv.includes("--serve")) {
  await serve();
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await benchHttp()) {
    const value = Number.isInteger(f.value) ? String(f.value) : f.value.toFixed(f.value < 10 ? 2 : 0);
    console.log(`  ${f.name.padEnd(56)} ${value.padStart(10)} ${f.unit}`);
  }
}
