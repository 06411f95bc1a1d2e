import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OvnConnection, useOvn } from "../../../scripts/harness/index.js";
import { OvsdbClient, type OvsdbClientOptions } from "../src/client.js";
import { OvsdbConnection } from "../src/connection.js";
import { OVN_NORTHBOUND_SCHEMA } from "../src/generated/index.js";
import { parseSchema } from "../src/schema.js";
import { assertSchema } from "../src/schema-check.js";
import { dialerFor } from "../src/transport.js";

let ovn: OvnConnection;
const clients: OvsdbClient[] = [];
const run = `t${process.pid}x${Date.now() % 100000}`;

async function nb(extra: Partial<OvsdbClientOptions> = {}): Promise<OvsdbClient> {
  const c = await OvsdbClient.connect({
    database: "OVN_Northbound",
    endpoints: ovn.nb.unix,
    schema: OVN_NORTHBOUND_SCHEMA,
    parseSchema,
    checkSchema: assertSchema,
    tables: { Logical_Switch: true, Logical_Switch_Port: true },
    ...extra,
  });
  clients.push(c);
  return c;
}

beforeAll(async () => {
  ovn = await useOvn();
});
afterAll(() => {
  for (const c of clients) c.close();
});

describe("OvsdbClient against ovsdb-server with the OVN_Northbound schema", () => {
  it("writes a switch with a port by named-uuid reference and sees both, typed, in its replica", async () => {
    const c = await nb();
    const name = `${run}-ls1`;
    await c.transaction((tx) => {
      const lsp = tx.insert("Logical_Switch_Port", { name: `${name}-p1`, addresses: ["fa:16:3e:00:00:01 10.0.0.5"] });
      tx.insert("Logical_Switch", { name, ports: [lsp], external_ids: { "neutron:network_name": "net1" } });
    });
    const ls = c.replica.table("Logical_Switch").lookupOne("name", name);
    expect(ls?.external_ids).toEqual({ "neutron:network_name": "net1" });
    const ports = ls?.ports as string[];
    expect(ports).toHaveLength(1);
    const lsp = c.replica.table("Logical_Switch_Port").get(ports[0] as string);
    expect(lsp?.name).toBe(`${name}-p1`);
    expect(lsp?.addresses).toEqual(["fa:16:3e:00:00:01 10.0.0.5"]);
    expect(lsp?.enabled).toBeNull();
  });

  it("a second client sees the first one's changes through its monitor, including map and set diffs", async () => {
    const a = await nb();
    const b = await nb();
    const name = `${run}-ls2`;
    await a.transaction((tx) => void tx.insert("Logical_Switch", { name, external_ids: { k1: "v1", k2: "v2" } }));
    const uuid = a.replica.table("Logical_Switch").lookupOne("name", name)?._uuid as string;
    await a.transaction((tx) =>
      tx.mutate("Logical_Switch", uuid, [
        ["external_ids", "delete", ["k1"]],
        ["external_ids", "insert", { k3: "v3" }],
      ]),
    );
    await a.transaction((tx) => tx.update("Logical_Switch", uuid, { external_ids: { k2: "changed", k3: "v3" } }));
    await expect
      .poll(() => b.replica.table("Logical_Switch").get(uuid)?.external_ids)
      .toEqual({ k2: "changed", k3: "v3" });
  });

  it("conditional transactions from two clients racing on one row lose no increment", async () => {
    const a = await nb();
    const b = await nb();
    const name = `${run}-counter`;
    await a.transaction((tx) => void tx.insert("Logical_Switch", { name, external_ids: { n: "0" } }));
    await expect.poll(() => b.replica.table("Logical_Switch").lookupOne("name", name)).toBeDefined();
    const uuid = a.replica.table("Logical_Switch").lookupOne("name", name)?._uuid as string;
    const bump = (c: OvsdbClient) =>
      c.transaction(
        (tx) => {
          const row = tx.get("Logical_Switch", uuid);
          const ids = row?.external_ids as Record<string, string>;
          tx.update("Logical_Switch", uuid, { external_ids: { ...ids, n: String(Number(ids.n) + 1) } });
        },
        { maxAttempts: 100 },
      );
    await Promise.all([...Array.from({ length: 10 }, () => bump(a)), ...Array.from({ length: 10 }, () => bump(b))]);
    const conn = await OvsdbConnection.open(dialerFor(ovn.nb.unix));
    const [sel] = await conn.transact("OVN_Northbound", [
      { op: "select", table: "Logical_Switch", where: [["name", "==", name]], columns: ["external_ids"] },
    ]);
    conn.close();
    expect(sel?.rows?.[0]?.external_ids).toEqual(["map", [["n", "20"]]]);
  });

  it("refuses a server whose schema differs, listing every mismatch at once", async () => {
    const expected = structuredClone(OVN_NORTHBOUND_SCHEMA) as typeof OVN_NORTHBOUND_SCHEMA;
    const ls = expected.tables.Logical_Switch as { columns: Record<string, unknown> };
    const lsp = expected.tables.Logical_Switch_Port as { columns: Record<string, unknown> };
    ls.columns.stratus_missing_a = { type: { key: { type: "string" }, min: 1, max: 1 } };
    lsp.columns.stratus_missing_b = { type: { key: { type: "integer" }, min: 1, max: 1 } };
    const err = await nb({ schema: expected }).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).message)).toMatch(/stratus_missing_a/);
    expect(String((err as Error).message)).toMatch(/stratus_missing_b/);
  });

  it("lock, a waiting second owner, unlock hands it over with `locked`, steal sends `stolen`", async () => {
    const a = await OvsdbConnection.open(dialerFor(ovn.nb.unix), { inactivityProbeMs: 0 });
    const b = await OvsdbConnection.open(dialerFor(ovn.nb.unix), { inactivityProbeMs: 0 });
    const lock = `${run}_lock`;
    let bLocked!: () => void;
    const bGotIt = new Promise<void>((r) => (bLocked = r));
    expect(await a.lock(lock)).toBe(true);
    expect(await b.lock(lock, { onLocked: bLocked })).toBe(false);
    await a.unlock(lock);
    await bGotIt;
    // b holds it now; a steals it back and b is told
    let bStolen!: () => void;
    const bLost = new Promise<void>((r) => (bStolen = r));
    await b.lock(lock, { onStolen: bStolen }).catch(() => undefined);
    expect(await a.steal(lock)).toBe(true);
    await bLost;
    await expect(a.lock("not-an-id")).rejects.toThrow(/not an OVSDB <id>/);
    a.close();
    b.close();
  });

  it("monitor_cond_change moves a conditional monitor to other rows", async () => {
    const setup = await nb();
    await setup.transaction((tx) => {
      tx.insert("Logical_Switch", { name: `${run}-cond-a` });
      tx.insert("Logical_Switch", { name: `${run}-cond-b` });
    });
    const conn = await OvsdbConnection.open(dialerFor(ovn.nb.unix), { inactivityProbeMs: 0 });
    const seen: string[] = [];
    const first = await conn.monitorCond(
      "OVN_Northbound",
      "m",
      { Logical_Switch: { columns: ["name"], where: [["name", "==", `${run}-cond-a`]] } },
      (u) => {
        for (const r of Object.values(u.Logical_Switch ?? {})) seen.push(String((r.insert ?? r.initial)?.name));
      },
    );
    expect(Object.values(first.Logical_Switch ?? {}).map((r) => r.initial?.name)).toEqual([`${run}-cond-a`]);
    await conn.monitorCondChange("m", "m", { Logical_Switch: { where: [["name", "==", `${run}-cond-b`]] } });
    await expect.poll(() => seen).toContain(`${run}-cond-b`);
    conn.close();
  });
});
