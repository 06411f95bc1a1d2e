import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTRACT_MIGRATIONS, type ContractDb, caught, item } from "./contract-schema.js";
import { describeWriteContract } from "./contract-writes.js";
import type { Database } from "./database.js";
import type { Migration, MigrationReport } from "./migrate.js";

type Db = ContractDb;

/** Options of `runDbContract`. */
export interface DbContractOptions {
  /** Shown in the suite's name, e.g. "PostgreSQL 15". */
  readonly label?: string;
  /**
   * Whether two transactions can hold row locks at once and so deadlock (PostgreSQL, MariaDB).
   * False for SQLite, whose single writer makes writers queue instead: the deadlock test is then
   * not part of the suite at all (SQLite's lock timeout has its own test). Default true.
   */
  readonly concurrentWriters?: boolean;
}

const createTable = (table: string): Migration => ({
  name: `create_${table}`,
  up: async (db, { types }) => {
    await db.schema
      .createTable(table)
      .addColumn("id", types.integer, (c) => c.primaryKey())
      .execute();
  },
});

/**
 * The behaviour every Stratus database must show, whatever the engine. `makeDb` is called once and
 * must return an open, empty database; the suite migrates it, uses it and closes it.
 */
export function runDbContract(makeDb: () => Promise<Database<unknown>>, options: DbContractOptions = {}): void {
  describe(`db contract (${options.label ?? "database"})`, () => {
    let db: Db;
    const ref = {
      get db(): Db {
        return db;
      },
    };
    let seq = 0;
    const nextId = () => `i${++seq}`;

    let firstMigration: MigrationReport | undefined;

    beforeAll(async () => {
      db = (await makeDb()) as unknown as Db;
      // Every other test needs the tables, so the first migration runs here and is checked below.
      firstMigration = await db.migrate("contract", CONTRACT_MIGRATIONS);
    });
    afterAll(async () => {
      await db?.close();
    });

    describeWriteContract(ref, options.concurrentWriters ?? true, nextId);

    describe("migrations", () => {
      it("applies every migration in order the first time and nothing the second time", async () => {
        expect(firstMigration?.applied).toEqual(["0001_item", "0002_tag"]);
        const second = await db.migrate("contract", CONTRACT_MIGRATIONS);
        expect(second).toEqual({
          namespace: "contract",
          applied: [],
          alreadyApplied: ["0001_item", "0002_tag"],
          unknown: [],
        });
      });

      it("applies only a migration appended later, and reports names the code no longer lists", async () => {
        await db.migrate("appended", [createTable("appended_a")]);
        const report = await db.migrate("appended", [createTable("appended_a"), createTable("appended_b")]);
        expect(report.applied).toEqual(["create_appended_b"]);
        expect((await db.migrate("appended", [createTable("appended_a")])).unknown).toEqual(["create_appended_b"]);
      });

      it("applies each migration once when two migrators of one namespace start at the same time", async () => {
        const list = [createTable("racing_a"), createTable("racing_b")];
        const reports = await Promise.all([db.migrate("racing", list), db.migrate("racing", list)]);
        expect(reports.flatMap((r) => r.applied).sort()).toEqual(["create_racing_a", "create_racing_b"]);
      });

      it("keeps namespaces apart, so two packages may both name a migration 0001", async () => {
        const one = await db.migrate("ns_one", [{ ...createTable("ns_one_t"), name: "0001" }]);
        const two = await db.migrate("ns_two", [{ ...createTable("ns_two_t"), name: "0001" }]);
        expect([one.applied, two.applied]).toEqual([["0001"], ["0001"]]);
      });

      it("reports a failing migration as internal, does not record it, and applies it once fixed", async () => {
        const broken: Migration = { name: "0001_broken", up: async () => Promise.reject(new Error("boom")) };
        const err = await caught(db.migrate("broken", [broken]));
        expect(err).toMatchObject({ code: "internal", details: { namespace: "broken", migration: "0001_broken" } });
        const fixed = await db.migrate("broken", [{ ...createTable("broken_t"), name: "0001_broken" }]);
        expect(fixed.applied).toEqual(["0001_broken"]);
      });

      it.each([
        ["a migration inserted before an applied one", () => [createTable("ord_new"), createTable("ord_old")]],
        ["a name listed twice", () => [createTable("ord_old"), createTable("ord_old")]],
      ])("refuses %s", async (_name, list) => {
        await db.migrate("ordering", [createTable("ord_old")]);
        expect((await caught(db.migrate("ordering", list()))).code).toBe("internal");
      });
    });

    describe("records", () => {
      it("creates, reads, updates and deletes a record", async () => {
        const id = nextId();
        await db.kysely.insertInto("contract_item").values(item(id)).execute();
        const read = await db.kysely
          .selectFrom("contract_item")
          .selectAll()
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(read).toMatchObject({ id, name: `name-${id}`, generation: 1, enabled: true, attrs: null, note: null });
        await db.kysely.updateTable("contract_item").set({ note: "edited" }).where("id", "=", id).execute();
        const edited = await db.kysely
          .selectFrom("contract_item")
          .select("note")
          .where("id", "=", id)
          .executeTakeFirst();
        expect(edited?.note).toBe("edited");
        const deleted = await db.kysely.deleteFrom("contract_item").where("id", "=", id).executeTakeFirst();
        expect(Number(deleted.numDeletedRows)).toBe(1);
      });

      it.each([
        ["booleans true", { enabled: true }],
        ["booleans false", { enabled: false }],
        ["a nested JSON object", { attrs: { a: 1, b: [true, null, "x"], c: { d: "é" } } }],
        ["a JSON array", { attrs: [1, "two", { three: 3 }] }],
        ["text with quotes, newlines and non-Latin letters", { note: 'it\'s "q"\n日本語 🚀' }],
        ["a timestamp with milliseconds", { created_at: new Date("2031-05-06T07:08:09.123Z") }],
        ["a timestamp in the past century", { created_at: new Date("1999-12-31T23:59:59.999Z") }],
      ])("round-trips %s unchanged", async (_name, values) => {
        const id = nextId();
        await db.kysely.insertInto("contract_item").values(item(id, values)).execute();
        const row = await db.kysely
          .selectFrom("contract_item")
          .selectAll()
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(row).toMatchObject(values);
      });

      it("fills a timestamp column from the portable `now` default as a Date close to the current time", async () => {
        const id = nextId();
        const before = Date.now();
        await db.kysely.insertInto("contract_item").values(item(id)).execute();
        const row = await db.kysely
          .selectFrom("contract_item")
          .select("created_at")
          .where("id", "=", id)
          .executeTakeFirstOrThrow();
        expect(row.created_at).toBeInstanceOf(Date);
        expect(Math.abs(row.created_at.getTime() - before)).toBeLessThan(5_000);
      });

      it("filters on a boolean column with a JS boolean", async () => {
        const id = nextId();
        await db.kysely
          .insertInto("contract_item")
          .values(item(id, { enabled: false, note: "flag" }))
          .execute();
        const rows = await db.kysely
          .selectFrom("contract_item")
          .select("id")
          .where("note", "=", "flag")
          .where("enabled", "=", false)
          .execute();
        expect(rows.map((r) => r.id)).toEqual([id]);
      });

      it("pages through records in key order with a limit and a keyset cursor", async () => {
        const names = Array.from({ length: 25 }, (_, i) => `page-${String(i).padStart(2, "0")}`);
        await db.kysely
          .insertInto("contract_item")
          .values([...names].reverse().map((name) => ({ ...item(nextId()), name })))
          .execute();
        const pages: string[][] = [];
        let after = "page-";
        for (;;) {
          const page = await db.kysely
            .selectFrom("contract_item")
            .select("name")
            .where("name", ">", after)
            .where("name", "like", "page-%")
            .orderBy("name")
            .limit(10)
            .execute();
          if (page.length === 0) break;
          pages.push(page.map((r) => r.name));
          after = page.at(-1)?.name ?? after;
        }
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        expect(pages.flat()).toEqual(names);
      });
    });

    it("answers a raw query through the same Kysely instance", async () => {
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db.kysely);
      expect(Number(rows[0]?.one)).toBe(1);
    });
  });
}
