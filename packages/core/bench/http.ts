/**
 * The http kit's overhead against bare Fastify: the same zod-validated JSON POST (a Nova-like
 * `{"server": {...}}` echo) served by each, each in its own child process on 127.0.0.1, loaded in
 * turn by autocannon from this process (c=32, 5 s, after a 2 s warmup).
 * Run: npx tsx packages/core/bench/http.ts
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { createServiceApp } from "../src/http/index.js";

interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

type Kind = "bare" | "kit";
const ServerBody = z.object({ server: z.object({ name: z.string().min(1).max(255), flavorRef: z.string().min(1) }) });
const BODY = JSON.stringify({ server: { name: "x", flavorRef: "1" } });
const HEADERS = { "content-type": "application/json", "openstack-api-version": "compute 2.53" };

function buildBare() {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.post("/v2.1/servers", { schema: { body: ServerBody } }, async (request) => ({ server: request.body.server }));
  return app;
}

function buildKit() {
  const app = createServiceApp({
    service: "compute",
    microversions: { service: "compute", min: "2.1", max: "2.96", legacyHeader: "X-OpenStack-Nova-API-Version" },
  });
  app.post("/v2.1/servers", { schema: { body: ServerBody }, config: { public: true } }, async (request) => ({
    server: request.body.server,
  }));
  return app;
}

/** Child side: serve one app and report its port. */
async function serve(kind: Kind): Promise<void> {
  const app = kind === "bare" ? buildBare() : buildKit();
  // BENCH_PORT / BENCH_SECONDS let one server run alone under `node --cpu-prof` for profiling.
  await app.listen({ host: "127.0.0.1", port: Number(process.env["BENCH_PORT"] ?? 0) });
  const seconds = Number(process.env["BENCH_SECONDS"] ?? 0);
  if (seconds > 0) setTimeout(() => void app.close().then(() => process.exit(0)), seconds * 1000);
  const address = app.server.address();
  process.send?.({ port: typeof address === "object" && address !== null ? address.port : 0 });
  process.on("disconnect", () => void app.close().then(() => process.exit(0)));
}

function start(kind: Kind): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(fileURLToPath(import.meta.url), ["--serve", kind], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("message", (m) =>
      resolve({ child, url: `http://127.0.0.1:${(m as { port: number }).port}/v2.1/servers` }),
    );
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
}

async function load(url: string, seconds: number) {
  const result = await autocannon({
    url,
    connections: 32,
    duration: seconds,
    method: "POST",
    headers: HEADERS,
    body: BODY,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

/**
 * Starts both servers, warms each up, then loads them in alternating rounds (bare, kit, bare, kit)
 * and keeps each one's best round: other work on a shared 2-core machine only ever slows a round
 * down, so the best round is the least disturbed one. Returns req/s, p50, p99 and the ratio.
 */
export async function benchHttp(
  options: { readonly rounds?: number; readonly seconds?: number } = {},
): Promise<Figure[]> {
  const rounds = options.rounds ?? 3;
  const seconds = options.seconds ?? 5;
  const servers = { bare: await start("bare"), kit: await start("kit") };
  const best: Partial<Record<Kind, Awaited<ReturnType<typeof load>>>> = {};
  try {
    for (const kind of ["bare", "kit"] as const) await load(servers[kind].url, 2);
    for (let round = 0; round < rounds; round++) {
      for (const kind of ["bare", "kit"] as const) {
        const r = await load(servers[kind].url, seconds);
        if ((best[kind]?.rps ?? 0) < r.rps) best[kind] = r;
      }
    }
  } finally {
    for (const { child } of Object.values(servers)) {
      child.disconnect();
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
  const figures: Figure[] = [];
  for (const kind of ["bare", "kit"] as const) {
    const r = best[kind];
    if (r === undefined) continue;
    const label = kind === "bare" ? "bare Fastify + zod" : "createServiceApp (compute, microversion)";
    figures.push(
      { name: `${label}: POST /v2.1/servers`, value: r.rps, unit: "req/s" },
      { name: `${label}: latency p50`, value: r.p50, unit: "ms" },
      { name: `${label}: latency p99`, value: r.p99, unit: "ms" },
    );
  }
  figures.push({
    name: "createServiceApp / bare Fastify throughput",
    value: (100 * (best.kit?.rps ?? 0)) / (best.bare?.rps ?? 1),
    unit: "%",
  });
  return figures;
}

const serveIndex = process.argv.indexOf("--serve");
if (serveIndex >= 0) {
  await serve(process.argv[serveIndex + 1] === "kit" ? "kit" : "bare");
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const f of await benchHttp()) {
    console.log(`${f.name.padEnd(64)} ${f.value.toFixed(f.unit === "req/s" ? 0 : 2).padStart(10)} ${f.unit}`);
  }
}
