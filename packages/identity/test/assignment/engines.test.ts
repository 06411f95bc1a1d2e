/**
 * The resource and assignment contract on real PostgreSQL and MariaDB, each in a scratch database.
 * A missing server fails the file with how to start it (STRATUS_ALLOW_MISSING_DB=1 skips instead).
 */
import { openDatabase } from "@stratus/core/db";
import { createScratchDatabase, probeServer, type ScratchDatabase } from "@stratus/core/testing";
import { afterAll, beforeAll, describe, it } from "vitest";
import { runResourceAssignmentContract } from "./contract.js";

const SERVERS = [
  {
    engine: "postgres",
    title: "PostgreSQL",
    envVar: "STRATUS_TEST_PG_URL",
    url: "postgres://postgres@127.0.0.1:5432/test",
  },
  { engine: "mysql", title: "MariaDB", envVar: "STRATUS_TEST_MYSQL_URL", url: "mysql://root@127.0.0.1:3306/test" },
] as const;

for (const server of SERVERS) {
  const adminUrl = process.env[server.envVar] ?? server.url;
  const problem = await probeServer(server.engine, adminUrl);
  if (problem !== undefined) {
    const reason = `${server.title} is not reachable at ${adminUrl} (${server.envVar}): ${problem.message}. Start it with the test harness or point ${server.envVar} at a running server.`;
    if (process.env["STRATUS_ALLOW_MISSING_DB"] === "1") describe.skip(`${server.title} (${reason})`, () => {});
    else
      it(`${server.title} is reachable`, () => {
        throw new Error(reason);
      });
    continue;
  }
  describe(server.title, () => {
    let scratch: ScratchDatabase | undefined;
    beforeAll(async () => {
      scratch = await createScratchDatabase(server.engine, adminUrl);
    });
    afterAll(async () => {
      await scratch?.drop();
    });
    runResourceAssignmentContract(server.title, () => {
      if (scratch === undefined) throw new Error("the scratch database is created in beforeAll");
      return server.engine === "postgres"
        ? openDatabase({ engine: "postgres", url: scratch.url })
        : openDatabase({ engine: "mysql", url: scratch.url });
    });
  });
}
