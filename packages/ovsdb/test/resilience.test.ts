/**
 * The client across server failures, on private ovsdb-servers (the shared harness is left alone):
 * SIGKILL in the middle of a write stream, and a 3-member RAFT cluster losing its leader.
 */
import { afterEach, describe, expect, it } from "vitest";
import { OvsdbClient } from "../src/client.js";
import { OvsdbConnection } from "../src/connection.js";
import { OVN_NORTHBOUND_SCHEMA } from "../src/generated/index.js";
import { parseSchema } from "../src/schema.js";
import { assertSchema } from "../src/schema-check.js";
import { dialerFor } from "../src/transport.js";
import { PrivateOvsdb } from "./private-server.js";

let servers: PrivateOvsdb[] = [];
let clients: OvsdbClient[] = [];
afterEach(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.stop();
  servers = [];
  clients = [];
});

async function connect(endpoints: string): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({
    database: "OVN_Northbound",
    endpoints,
    schema: OVN_NORTHBOUND_SCHEMA,
    parseSchema,
    checkSchema: assertSchema,
    tables: { Logical_Switch: ["name", "external_ids"] },
    inactivityProbeMs: 1000,
    backoffMs: 50,
    maxBackoffMs: 500,
  });
  clients.push(c);
  return c;
}

/** Inserts switch `name` unless the replica already has it: safe to run again after a lost answer. */
function ensureSwitch(c: OvsdbClient, name: string) {
  return c.transaction(
    (tx) => {
      if (tx.lookup("Logical_Switch", "name", name).length === 0) tx.insert("Logical_Switch", { name });
    },
    { maxAttempts: 1000 },
  );
}

/** Every Logical_Switch name on the server, read on a fresh connection. */
async function serverNames(remote: string): Promise<Map<string, string>> {
  const conn = await OvsdbConnection.open(dialerFor(remote), { inactivityProbeMs: 0 });
  const [sel] = await conn.transact("OVN_Northbound", [
    { op: "select", table: "Logical_Switch", where: [], columns: ["_uuid", "name"] },
  ]);
  conn.close();
  return new Map((sel?.rows ?? []).map((r) => [String((r._uuid as [string, string])[1]), String(r.name)]));
}

function replicaNames(c: OvsdbClient): Map<string, string> {
  return new Map([...c.replica.table("Logical_Switch").values()].map((r) => [r._uuid, String(r.name)]));
}

describe("OvsdbClient resilience", () => {
  it("loses no acknowledged write and keeps its replica exact when ovsdb-server is killed mid-stream", async () => {
    const server = await PrivateOvsdb.cluster(1);
    servers.push(server);
    const c = await connect(server.remotes);
    const events: string[] = [];
    c.on((e) => events.push(e.type === "connected" ? `connected resumed=${e.resumed}` : "disconnected"));
    const acked: string[] = [];
    const writer = (async () => {
      for (let i = 0; i < 300; i++) {
        await ensureSwitch(c, `sw-${i}`);
        acked.push(`sw-${i}`);
      }
    })();
    writer.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled first
    await expect.poll(() => acked.length, { timeout: 20_000 }).toBeGreaterThan(100);
    await server.kill(0);
    await new Promise((r) => setTimeout(r, 300));
    await server.start(0);
    await writer;
    const onServer = await serverNames(server.remotes);
    expect([...onServer.values()].sort()).toEqual(acked.slice().sort());
    expect(onServer.size).toBe(300);
    await expect.poll(() => replicaNames(c).size).toBe(300);
    expect(replicaNames(c)).toEqual(onServer);
    expect(events).toContain("disconnected");
    expect(events.at(-1)).toBe("connected resumed=true");
  });

  it("follows the RAFT leader: starts on it whatever member comes first, and moves when it dies", async () => {
    const cluster = await PrivateOvsdb.cluster(3);
    servers.push(cluster);
    await expect.poll(() => cluster.leader(), { timeout: 20_000 }).toBeGreaterThanOrEqual(0);
    const leader = await cluster.leader();
    // list the leader last so the client has to walk past the followers
    const order = [...cluster.members.filter((m) => m.index !== leader), cluster.members[leader]];
    const c = await connect(order.map((m) => `tcp:127.0.0.1:${m?.port}`).join(","));
    expect(c.endpoint).toBe(`tcp:127.0.0.1:${cluster.members[leader]?.port}`);
    for (let i = 0; i < 20; i++) await ensureSwitch(c, `before-${i}`);
    await cluster.kill(leader);
    for (let i = 0; i < 20; i++) await ensureSwitch(c, `after-${i}`);
    const now = await cluster.leader();
    expect(now).not.toBe(leader);
    expect(c.endpoint).toBe(`tcp:127.0.0.1:${cluster.members[now]?.port}`);
    const onServer = await serverNames(c.endpoint);
    expect(onServer.size).toBe(40);
    await expect.poll(() => replicaNames(c)).toEqual(onServer);
  });
});
