/**
 * The resource and assignment contract on real PostgreSQL and MariaDB, each in a scratch database.
 * A server that cannot be reached fails the file, unless STRATUS_ALLOW_MISSING_DB=1 (then skipped).
 */
import { openDatabase } from "@stratus/core/db";
import { MARIADB, POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import { runResourceAssignmentContract } from "./contract.js";

for (const server of [POSTGRES, MARIADB]) {
  await withScratchDatabase(server, (scratch) => {
    runResourceAssignmentContract(server.title, () =>
      server.engine === "postgres"
        ? openDatabase({ engine: "postgres", url: scratch().url })
        : openDatabase({ engine: "mysql", url: scratch().url }),
    );
  });
}
