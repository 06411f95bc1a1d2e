import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratus/core/db";
import { afterAll, describe, expect, it } from "vitest";
import type { PlacementDb } from "./sql-rows.js";
import { SqlPlacementStore } from "./sql-store.js";
import { everything, runSqlPlacementStoreSuite } from "./sql-store-contract.js";
import { claimNew, rejection, uuidOf, withCompute } from "./store-contract.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-placement-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Two stores in one process share one event loop, and better-sqlite3 waits for a lock synchronously:
// a short busy timeout turns that stall into a quick retryable conflict.
runSqlPlacementStoreSuite("SQLite file", () =>
  openDatabase({ engine: "sqlite", path: join(dir, "shared.db"), busyTimeoutMs: 20 }),
);

describe("SqlPlacementStore when the database fails", () => {
  it("a write whose save and reload both fail leaves the state as it was before the write, and later writes fail until the database is back", async () => {
    const path = join(dir, "failing.db");
    const store = await SqlPlacementStore.open(await openDatabase({ engine: "sqlite", path }));
    const rp = uuidOf(1, 1);
    await withCompute(store, rp, "compute1", 8);
    await claimNew(store, uuidOf(2, 1), rp, 2);
    const before = everything(store.state);
    const saboteur = await openDatabase({ engine: "sqlite", path });
    const k = saboteur.kysely as unknown as PlacementDb;
    await k.schema.alterTable("allocations").renameTo("allocations_away").execute();

    const err = await rejection(claimNew(store, uuidOf(2, 2), rp, 3));
    expect(err.code).not.toBe("conflict");
    expect(everything(store.state)).toEqual(before);
    await expect(claimNew(store, uuidOf(2, 3), rp, 1)).rejects.toThrow();
    expect(everything(store.state)).toEqual(before);

    await k.schema.alterTable("allocations_away").renameTo("allocations").execute();
    await saboteur.close();
    await expect(claimNew(store, uuidOf(2, 4), rp, 1)).resolves.toBe(0);
    expect(store.state.usages(rp).VCPU).toBe(3);
    await store.close();
  });
});
