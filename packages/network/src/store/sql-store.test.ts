import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratus/core/db";
import { afterAll, describe, expect, it } from "vitest";
import { runNeutronStoreContract } from "./contract.js";
import { SqlNeutronStore } from "./sql-store.js";

const dir = mkdtempSync(join(tmpdir(), "neutron-sql-"));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runNeutronStoreContract("sqlite", async () =>
  SqlNeutronStore.open(await openDatabase({ engine: "sqlite", path: join(dir, `c${++n}.db`) })),
);

describe("SqlNeutronStore on SQLite", () => {
  it("keeps records, allocations, segments and quotas across a reopen, in creation order", async () => {
    const path = join(dir, "reopen.db");
    const a = await SqlNeutronStore.open(await openDatabase({ engine: "sqlite", path }));
    const net = (id: string, name: string) => ({ id, name, project_id: "p", tenant_id: "p", subnets: [] }) as never;
    await a.insert("network", net("n2", "second-created-first"));
    await a.insert("network", net("n1", "first-created-second"));
    await a.update("network", "n1", (r) => ({ ...r, name: "renamed" }));
    await a.insert("network", net("gone", "x"));
    await a.remove("network", "gone");
    expect(await a.allocateIp({ subnet_id: "s", ip_address: "10.0.0.5", port_id: "p1" })).toBe(true);
    expect(await a.allocateIp({ subnet_id: "s", ip_address: "10.0.0.5", port_id: "p2" })).toBe(false);
    expect(await a.claimSegment("geneve:7")).toBe(true);
    await a.setQuotas("p", { port: 7 });
    await a.close();
    const b = await SqlNeutronStore.open(await openDatabase({ engine: "sqlite", path }));
    expect((await b.listNetworks()).map((x) => x.name)).toEqual(["second-created-first", "renamed"]);
    expect(await b.listAllocations({ subnet_id: "s" })).toEqual([
      { subnet_id: "s", ip_address: "10.0.0.5", port_id: "p1" },
    ]);
    expect(await b.claimSegment("geneve:7")).toBe(false);
    expect(await b.getQuotas("p")).toEqual({ port: 7 });
    await b.close();
  });
});
