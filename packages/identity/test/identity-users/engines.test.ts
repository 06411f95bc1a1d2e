/**
 * The users area's repository contract on real PostgreSQL and MariaDB, each in a scratch database.
 * A server that cannot be reached fails the file, unless STRATUS_ALLOW_MISSING_DB=1 (then skipped).
 */
import { openDatabase } from "@stratus/core/db";
import { MARIADB, POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import type { IdentityUsersSchema } from "../../src/identity-users/adapters/sql/schema.js";
import { runIdentityUsersContract } from "../../src/identity-users/testing/repository-contract.js";

for (const server of [POSTGRES, MARIADB]) {
  await withScratchDatabase(server, (scratch) => {
    runIdentityUsersContract(server.title, async () =>
      server.engine === "postgres"
        ? openDatabase<IdentityUsersSchema>({ engine: "postgres", url: scratch().url })
        : openDatabase<IdentityUsersSchema>({ engine: "mysql", url: scratch().url }),
    );
  });
}
