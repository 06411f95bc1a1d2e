/**
 * The users area's repository contract on real PostgreSQL and MariaDB, each in a scratch database.
 * A server that cannot be reached fails the file, unless STRATUS_ALLOW_MISSING_DB=1 (then skipped).
 */
import { openDatabase } from "@stratus/core/db";
import { createScratchDatabase, probeServer, type ScratchDatabase } from "@stratus/core/testing";
import { afterAll, describe, it } from "vitest";
import type { IdentityUsersSchema } from "../../src/identity-users/adapters/sql/schema.js";
import { runIdentityUsersContract } from "../../src/identity-users/testing/repository-contract.js";

const ENGINES = [
  {
    engine: "postgres",
    title: "PostgreSQL",
    envVar: "STRATUS_TEST_PG_URL",
    url: "postgres://postgres@127.0.0.1:5432/test",
  },
  { engine: "mysql", title: "MariaDB", envVar: "STRATUS_TEST_MYSQL_URL", url: "mysql://root@127.0.0.1:3306/test" },
] as const;

for (const spec of ENGINES) {
  const adminUrl = process.env[spec.envVar] ?? spec.url;
  const problem = await probeServer(spec.engine, adminUrl);
  if (problem !== undefined) {
    const reason = `${spec.title} is not reachable at ${adminUrl} (${spec.envVar}): ${problem.message}`;
    if (process.env.STRATUS_ALLOW_MISSING_DB === "1") describe.skip(`${spec.title} (${reason})`, () => {});
    else
      it(`${spec.title} is reachable`, () => {
        throw new Error(`${reason}. Start it with the test harness or set STRATUS_ALLOW_MISSING_DB=1 to skip.`);
      });
    continue;
  }
  let scratch: ScratchDatabase | undefined;
  afterAll(async () => scratch?.drop());
  runIdentityUsersContract(spec.title, async () => {
    scratch = await createScratchDatabase(spec.engine, adminUrl);
    return openDatabase<IdentityUsersSchema>({ engine: spec.engine, url: scratch.url });
  });
}
