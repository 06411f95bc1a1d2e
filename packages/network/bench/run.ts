/**
 * `pnpm bench` for @stratus/network: Neutron port create through the HTTP API (loopback, keep-alive),
 * p50/p99 of sequential creates and ports/s at concurrency 16, with the in-memory driver and with
 * the OVN driver writing to a private ovsdb-server (OVN_Northbound schema). The OpenStack peer is
 * the seed figure (2-5 s per port); no Neutron server runs on this machine.
 * Run: pnpm --filter @stratus/network bench
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratus/core/db";
import { StaticAuthenticator } from "@stratus/core/http";
import { PrivateOvsdb } from "../../ovsdb/test/private-server.js";
import { createNetworkApi } from "../src/api/app.js";
import type { MechanismDriver } from "../src/domain/driver.js";
import { OvnMechanismDriver } from "../src/ovn/driver.js";
import { SqlNeutronStore } from "../src/store/sql-store.js";
import type { NeutronStore } from "../src/store/store.js";

const SEQUENTIAL = Number(process.env.BENCH_PORTS ?? 500);
const CONCURRENT = Number(process.env.BENCH_PORTS_C16 ?? 2000);

async function measure(label: string, driver?: MechanismDriver, store?: NeutronStore): Promise<void> {
  const api = createNetworkApi({
    ...(driver && { driver }),
    ...(store && { store }),
    options: { quotas: { port: -1, network: -1, subnet: -1 } },
    authenticator: new StaticAuthenticator({ t: { userId: "u", projectId: "p", roles: ["member", "reader"] } }),
    identityUri: "http://127.0.0.1:5000",
  });
  const url = await api.app.listen({ host: "127.0.0.1", port: 0 });
  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: "POST",
      headers: { "x-auth-token": "t", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as Record<string, { id: string }>;
    if (res.status !== 201) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const net = (await post("/v2.0/networks", { network: { name: "bench" } })).network as { id: string };
  await post("/v2.0/subnets", { subnet: { network_id: net.id, cidr: "10.128.0.0/16", ip_version: 4 } });
  const create = () => post("/v2.0/ports", { port: { network_id: net.id } });
  for (let i = 0; i < 20; i++) await create(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < SEQUENTIAL; i++) {
    const t = performance.now();
    await create();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))] as number;
  let left = CONCURRENT;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (left-- > 0) await create();
    }),
  );
  const rate = CONCURRENT / ((performance.now() - t0) / 1000);
  console.log(
    `${label.padEnd(34)} p50 ${pct(50).toFixed(2)} ms  p99 ${pct(99).toFixed(2)} ms  (${SEQUENTIAL} sequential)   c=16: ${rate.toFixed(0)} ports/s (${CONCURRENT} ports)`,
  );
  await api.app.close();
}

console.log(
  `@stratus/network bench: Neutron POST /v2.0/ports over loopback HTTP, ${cpus()[0]?.model} x${cpus().length}, node ${process.version}`,
);
await measure("in-memory driver (no backend)");
const server = await PrivateOvsdb.standalone();
try {
  const driver = await OvnMechanismDriver.connect({ nbConnection: `unix:${server.members[0]?.sock}` });
  await measure("OVN driver (ovsdb-server NB)", driver);
  const dir = mkdtempSync(join(tmpdir(), "neutron-bench-"));
  const sql = await SqlNeutronStore.open(await openDatabase({ engine: "sqlite", path: join(dir, "network.db") }));
  await measure("OVN driver + SQLite store (server)", driver, sql);
  await sql.close();
  rmSync(dir, { recursive: true, force: true });
  const lsps = driver.client.replica.table("Logical_Switch_Port").size;
  console.log(`OVN_Northbound holds ${lsps} Logical_Switch_Ports written by the driver`);
  driver.close();
} finally {
  await server.stop();
}
console.log("OpenStack peer (issue seed figure): 2-5 s per port create");
