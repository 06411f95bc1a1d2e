/**
 * SqlPlacementStore on real PostgreSQL and MariaDB, each in a scratch database: the PlacementStore
 * contract, then what only a durable store shows (reopening, deletes, two API nodes racing).
 * A server that cannot be reached fails the file, unless STRATUS_ALLOW_MISSING_DB=1 (then skipped).
 */
import { type Database, openDatabase } from "@stratus/core/db";
import { MARIADB, POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import { SqlPlacementStore } from "../src/placement/sql-store.js";
import { emptyPlacementTables, runSqlPlacementStoreSuite } from "../src/placement/sql-store-contract.js";
import { runPlacementStoreContract } from "../src/placement/store-contract.js";

for (const server of [POSTGRES, MARIADB]) {
  await withScratchDatabase(server, (scratch) => {
    const connect = (): Promise<Database<unknown>> =>
      server.engine === "postgres"
        ? openDatabase({ engine: "postgres", url: scratch().url })
        : openDatabase({ engine: "mysql", url: scratch().url });
    runPlacementStoreContract(`SQL on ${server.title}`, async () => {
      const db = await connect();
      await emptyPlacementTables(db);
      return SqlPlacementStore.open(db);
    });
    runSqlPlacementStoreSuite(server.title, connect);
  });
}
