import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CONTRACT_MIGRATIONS, type ContractSchema } from "./contract-schema.js";
import { type Database, openDatabase } from "./database.js";
import { updateWithGeneration } from "./generation.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-db-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opened: Database<ContractSchema>[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((db) => db.close()));
});

let files = 0;
/** Opens two handles (two SQLite connections, as two processes would have) on one new file. */
async function twoHandles(busyTimeoutMs = 2_000) {
  const path = join(dir, `shared-${++files}.db`);
  const a = await openDatabase<ContractSchema>({ engine: "sqlite", path, busyTimeoutMs });
  const b = await openDatabase<ContractSchema>({ engine: "sqlite", path, busyTimeoutMs });
  opened.push(a, b);
  return [a, b] as const;
}

describe("SQLite file shared by two connections", () => {
  it("applies each migration once when both connections migrate at the same time", async () => {
    const [a, b] = await twoHandles();
    const reports = await Promise.all([
      a.migrate("contract", CONTRACT_MIGRATIONS),
      b.migrate("contract", CONTRACT_MIGRATIONS),
    ]);
    expect(reports.flatMap((r) => r.applied).sort()).toEqual(["0001_item", "0002_tag"]);
  });

  // better-sqlite3 is synchronous: one thread holding a transaction on one handle while another
  // handle waits for the lock would wait out the busy timeout, so each CAS here is its own statement.
  it("lets exactly one of two connections that read the same generation update the row", async () => {
    const [a, b] = await twoHandles();
    await a.migrate("contract", CONTRACT_MIGRATIONS);
    await a.kysely.insertInto("contract_item").values({ id: "x", name: "x", enabled: true }).execute();
    const read = (db: Database<ContractSchema>) =>
      db.kysely.selectFrom("contract_item").select("generation").where("id", "=", "x").executeTakeFirstOrThrow();
    const [seenByA, seenByB] = [await read(a), await read(b)];
    const results = await Promise.allSettled([
      updateWithGeneration(a.kysely, {
        table: "contract_item",
        key: { id: "x" },
        expectedGeneration: seenByA.generation,
        set: { note: "a" },
      }),
      updateWithGeneration(b.kysely, {
        table: "contract_item",
        key: { id: "x" },
        expectedGeneration: seenByB.generation,
        set: { note: "b" },
      }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(results.find((r) => r.status === "rejected")).toMatchObject({
      reason: { code: "conflict", details: { currentGeneration: 2 } },
    });
  });

  it("fails a writer that waits past the busy timeout with a retryable conflict, and the data stays intact", async () => {
    const [a, b] = await twoHandles(20);
    await a.migrate("contract", CONTRACT_MIGRATIONS);
    await a.transaction(async (trx) => {
      await trx.insertInto("contract_item").values({ id: "held", name: "held", enabled: false }).execute();
      const blocked = b.transaction((other) =>
        other.insertInto("contract_item").values({ id: "late", name: "late", enabled: true }).execute(),
      );
      await expect(blocked).rejects.toMatchObject({
        code: "conflict",
        retryable: true,
        details: { kind: "lock_timeout" },
      });
    });
    const ids = await b.kysely.selectFrom("contract_item").select("id").execute();
    expect(ids).toEqual([{ id: "held" }]);
  });

  it("reports a file in a missing directory as backend_unavailable", async () => {
    await expect(openDatabase({ engine: "sqlite", path: join(dir, "no", "such.db") })).rejects.toMatchObject({
      code: "backend_unavailable",
    });
  });
});
