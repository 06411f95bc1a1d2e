/**
 * @stratus/core/db: a package's migrations, a transaction, and compare-and-swap on a generation
 * column, so two writers racing for one row can't both win. Runs on a temporary SQLite file;
 * pass an engine and URL to run it on PostgreSQL or MariaDB:
 *   node --import tsx db-generations.ts postgres postgres://stratus:stratus@127.0.0.1:5432/test
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StratusError } from "@stratus/core";
import { type Migration, openDatabase, updateWithGeneration } from "@stratus/core/db";

interface Schema {
  flavor: { id: string; name: string; vcpus: number; generation: number };
}

const migrations: Migration[] = [
  {
    name: "0001_flavor",
    up: (db, { types }) =>
      db.schema
        .createTable("flavor")
        .addColumn("id", types.string(36), (c) => c.primaryKey())
        .addColumn("name", types.string(255), (c) => c.notNull().unique())
        .addColumn("vcpus", types.integer, (c) => c.notNull())
        .addColumn("generation", types.integer, (c) => c.notNull().defaultTo(1))
        .execute(),
  },
];

const dir = mkdtempSync(join(tmpdir(), "stratus-example-"));
const [engine, url] = process.argv.slice(2);
const db = await openDatabase<Schema>(
  engine === "postgres" || engine === "mysql"
    ? { engine, url: url ?? "" }
    : { engine: "sqlite", path: join(dir, "example.db") },
);
try {
  const first = await db.migrate("example", migrations);
  const again = await db.migrate("example", migrations);
  console.log(`migrations applied: ${first.applied.length}, on the second run: ${again.applied.length}`);

  await db.kysely.insertInto("flavor").values({ id: "f1", name: "m1.small", vcpus: 1, generation: 1 }).execute();

  // two writers read generation 1 and both try to write: exactly one wins
  const attempts = await Promise.allSettled(
    [2, 4].map((vcpus) =>
      db.transaction((trx) =>
        updateWithGeneration(trx, { table: "flavor", key: { id: "f1" }, expectedGeneration: 1, set: { vcpus } }),
      ),
    ),
  );
  const won = attempts.filter((a) => a.status === "fulfilled").length;
  const lost = attempts.filter(
    (a) => a.status === "rejected" && StratusError.is(a.reason) && a.reason.code === "conflict",
  );
  const row = await db.kysely.selectFrom("flavor").selectAll().where("id", "=", "f1").executeTakeFirstOrThrow();
  console.log(`winners: ${won}, conflicts: ${lost.length}, row now: vcpus=${row.vcpus} generation=${row.generation}`);

  // a duplicate name is a conflict, not a crash
  const dup = await db.kysely
    .insertInto("flavor")
    .values({ id: "f2", name: "m1.small", vcpus: 1, generation: 1 })
    .execute()
    .catch((err: unknown) => err);
  const dupCode = StratusError.is(dup) ? dup.code : "none";
  console.log(`duplicate name: ${dupCode}`);

  if (won !== 1 || lost.length !== 1 || row.generation !== 2 || dupCode !== "conflict") process.exit(1);
  console.log("ok");
} finally {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
}
