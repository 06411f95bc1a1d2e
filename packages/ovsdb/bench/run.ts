/**
 * `pnpm bench` for @stratus/ovsdb. On a private ovsdb-server (OVN_Northbound schema):
 *  1. 1,000 Logical_Switch_Port inserts (plus the switch's `ports` mutation) in one transaction
 *     and in 1,000 transactions: @stratus/ovsdb vs ovn-nbctl (one call, 1,000 commands chained
 *     with `--`; and 1,000 calls) vs python3-ovsdbapp. Each client waits for its own replica/ack.
 *  2. Replica memory: heap a client's replica holds per 100k Logical_Switch_Port rows.
 * Run: pnpm --filter @stratus/ovsdb bench (node --expose-gc is set by the script).
 */
import { execFile } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { OvsdbClient } from "../src/client.js";
import { OvsdbConnection } from "../src/connection.js";
import { OVN_NORTHBOUND_SCHEMA } from "../src/generated/index.js";
import { parseSchema } from "../src/schema.js";
import { assertSchema } from "../src/schema-check.js";
import { dialerFor } from "../src/transport.js";
import { PrivateOvsdb } from "../test/private-server.js";

const run = promisify(execFile);
const N = Number(process.env.BENCH_LSP ?? 1000);
const ROWS = Number(process.env.BENCH_REPLICA_ROWS ?? 100_000);
const gc = (globalThis as { gc?: () => void }).gc;

async function client(remote: string, tables: Record<string, true>): Promise<OvsdbClient> {
  return OvsdbClient.connect({
    database: "OVN_Northbound",
    endpoints: remote,
    schema: OVN_NORTHBOUND_SCHEMA,
    parseSchema,
    checkSchema: assertSchema,
    tables,
    inactivityProbeMs: 0,
  });
}

async function ours(remote: string): Promise<{ one: number; many: number }> {
  const c = await client(remote, { Logical_Switch: true, Logical_Switch_Port: true });
  // one warm-up transaction of 100 ports first, so V8 has compiled the insert path (reported in the README)
  await c.transaction((tx) => {
    const ports = Array.from({ length: 100 }, (_, i) => tx.insert("Logical_Switch_Port", { name: `st-warm-p${i}` }));
    tx.insert("Logical_Switch", { name: "st-warm", ports });
  });
  let t = performance.now();
  await c.transaction((tx) => {
    const ports = Array.from({ length: N }, (_, i) => tx.insert("Logical_Switch_Port", { name: `st-one-p${i}` }));
    tx.insert("Logical_Switch", { name: "st-one", ports });
  });
  const one = performance.now() - t;
  await c.transaction((tx) => void tx.insert("Logical_Switch", { name: "st-many" }));
  const ls = c.replica.table("Logical_Switch").lookupOne("name", "st-many")?._uuid as string;
  t = performance.now();
  for (let i = 0; i < N; i++) {
    await c.transaction((tx) => {
      const p = tx.insert("Logical_Switch_Port", { name: `st-many-p${i}` });
      tx.mutate("Logical_Switch", ls, [["ports", "insert", [p]]]);
    });
  }
  const many = performance.now() - t;
  c.close();
  return { one, many };
}

/** The server's own cost: the same 1,000 transactions on a bare connection with no monitor. */
async function serverFloor(sock: string): Promise<number> {
  const c = await OvsdbConnection.open(dialerFor(`unix:${sock}`), { inactivityProbeMs: 0 });
  const [r] = await c.transact("OVN_Northbound", [{ op: "insert", table: "Logical_Switch", row: { name: "floor" } }]);
  const ls = r?.uuid as readonly ["uuid", string];
  const t = performance.now();
  for (let i = 0; i < N; i++) {
    await c.transact("OVN_Northbound", [
      { op: "insert", table: "Logical_Switch_Port", row: { name: `floor-p${i}` }, "uuid-name": "p" },
      {
        op: "mutate",
        table: "Logical_Switch",
        where: [["_uuid", "==", ls]],
        mutations: [["ports", "insert", ["set", [["named-uuid", "p"]]]]],
      },
    ]);
  }
  const ms = performance.now() - t;
  c.close();
  return ms;
}

async function nbctl(sock: string): Promise<{ one: number; many: number }> {
  const args = [`--db=unix:${sock}`, "ls-add", "nb-one"];
  for (let i = 0; i < N; i++) args.push("--", "lsp-add", "nb-one", `nb-one-p${i}`);
  let t = performance.now();
  await run("ovn-nbctl", args, { maxBuffer: 64 << 20 });
  const one = performance.now() - t;
  await run("ovn-nbctl", [`--db=unix:${sock}`, "ls-add", "nb-many"]);
  const calls = Math.min(N, 100); // 1,000 process starts take minutes; measure 200 and scale
  t = performance.now();
  for (let i = 0; i < calls; i++) await run("ovn-nbctl", [`--db=unix:${sock}`, "lsp-add", "nb-many", `nb-many-p${i}`]);
  const many = ((performance.now() - t) * N) / calls;
  return { one, many };
}

async function ovsdbapp(remote: string): Promise<{ one: number; many: number } | undefined> {
  const script = fileURLToPath(new URL("./ovsdbapp_peer.py", import.meta.url));
  try {
    const { stdout } = await run("/usr/bin/python3", [script, remote, "app", String(N)], { timeout: 600_000 });
    const r = JSON.parse(stdout.trim().split("\n").at(-1) as string) as { one_txn_ms: number; many_txn_ms: number };
    return { one: r.one_txn_ms, many: r.many_txn_ms };
  } catch (err) {
    console.log(`ovsdbapp peer unavailable: ${(err as Error).message.split("\n")[0]}`);
    return undefined;
  }
}

async function replicaMemory(): Promise<number> {
  const server = await PrivateOvsdb.standalone();
  try {
    const loader = await client(`unix:${server.members[0]?.sock}`, { Logical_Switch: true });
    // ports are not root rows: each batch is inserted into a switch, or ovsdb-server drops them
    await loader.transaction((tx) => void tx.insert("Logical_Switch", { name: "mem" }));
    const ls = loader.replica.table("Logical_Switch").lookupOne("name", "mem")?._uuid as string;
    for (let done = 0; done < ROWS; done += 5000) {
      await loader.transaction((tx) => {
        const ports = Array.from({ length: Math.min(5000, ROWS - done) }, (_, i) =>
          tx.insert("Logical_Switch_Port", {
            name: `m-${done + i}`,
            addresses: [
              `fa:16:3e:${hex(done + i)} 10.${(done + i) >> 16}.${((done + i) >> 8) & 255}.${(done + i) & 255}`,
            ],
            external_ids: { "neutron:revision_number": "1", "neutron:device_owner": "compute:nova" },
          }),
        );
        tx.mutate("Logical_Switch", ls, [["ports", "insert", ports]]);
      });
    }
    loader.close();
    gc?.();
    const before = process.memoryUsage().heapUsed;
    const c = await client(`unix:${server.members[0]?.sock}`, { Logical_Switch_Port: true });
    gc?.();
    const after = process.memoryUsage().heapUsed;
    if (c.replica.table("Logical_Switch_Port").size !== ROWS) throw new Error("replica incomplete");
    c.close();
    return ((after - before) / ROWS) * 100_000;
  } finally {
    await server.stop();
  }
}

function hex(n: number): string {
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255].map((b) => b.toString(16).padStart(2, "0")).join(":");
}

const server = await PrivateOvsdb.standalone();
const sock = server.members[0]?.sock as string;
try {
  console.log(
    `@stratus/ovsdb bench: ${N} Logical_Switch_Port inserts, private ovsdb-server, ${cpus()[0]?.model} x${cpus().length}, node ${process.version}`,
  );
  const us = await ours(`unix:${sock}`);
  const nb = await nbctl(sock);
  const app = await ovsdbapp(`unix:${sock}`);
  const floor = await serverFloor(sock);
  const row = (name: string, r: { one: number; many: number } | undefined) =>
    r
      ? `${name.padEnd(26)} one txn ${r.one.toFixed(1).padStart(9)} ms   ${N} txns ${r.many.toFixed(0).padStart(7)} ms   (${(r.many / N).toFixed(3)} ms/txn)`
      : `${name.padEnd(26)} n/a`;
  console.log(row("@stratus/ovsdb", us));
  console.log(row("ovn-nbctl", nb));
  console.log(row("python3-ovsdbapp", app));
  console.log(
    `ratio vs ovn-nbctl:  one txn ${(nb.one / us.one).toFixed(1)}x, ${N} txns ${(nb.many / us.many).toFixed(1)}x`,
  );
  if (app)
    console.log(
      `ratio vs ovsdbapp:   one txn ${(app.one / us.one).toFixed(1)}x, ${N} txns ${(app.many / us.many).toFixed(1)}x`,
    );
} finally {
  await server.stop();
}
const mem = await replicaMemory();
console.log(
  `replica memory: ${(mem / 1024 / 1024).toFixed(1)} MiB per 100k Logical_Switch_Port rows (${ROWS} rows measured${gc ? "" : ", no --expose-gc: rough"})`,
);
