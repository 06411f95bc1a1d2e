import { afterAll, beforeAll, describe, it } from "vitest";
import { createScratchDatabase, probeServer, type ScratchDatabase } from "./scratch.js";

/** One database server the integration tests need. */
export interface ServerSpec {
  readonly engine: "postgres" | "mysql";
  readonly title: string;
  readonly envVar: string;
  readonly defaultUrl: string;
  readonly howToStart: string;
}

export const POSTGRES: ServerSpec = {
  engine: "postgres",
  title: "PostgreSQL",
  envVar: "STRATUS_TEST_PG_URL",
  defaultUrl: "postgres://postgres@127.0.0.1:5432/test",
  howToStart:
    "start it with the test harness, or by hand (`pg_ctlcluster 15 main start`, or `docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust -e POSTGRES_DB=test postgres:15`)",
};

export const MARIADB: ServerSpec = {
  engine: "mysql",
  title: "MariaDB",
  envVar: "STRATUS_TEST_MYSQL_URL",
  defaultUrl: "mysql://root@127.0.0.1:3306/test",
  howToStart:
    "start it with the test harness, or by hand (`service mariadb start`, or `docker run -d -p 3306:3306 -e MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=1 -e MARIADB_DATABASE=test mariadb:10.11`)",
};

/**
 * Declares the tests of `body` against a fresh scratch database on `spec`'s server, dropped
 * afterwards. When the server is unreachable the file FAILS with a test naming the server and
 * how to start it, unless STRATUS_ALLOW_MISSING_DB=1, in which case the tests are reported skipped.
 */
export async function withScratchDatabase(
  spec: ServerSpec,
  body: (scratch: () => ScratchDatabase) => void,
): Promise<void> {
  const adminUrl = process.env[spec.envVar] ?? spec.defaultUrl;
  const problem = await probeServer(spec.engine, adminUrl);
  if (problem !== undefined) {
    const reason = `${spec.title} is not reachable at ${adminUrl} (${spec.envVar}): ${problem.message || problem.name}. To run these tests, ${spec.howToStart}, or point ${spec.envVar} at a running server.`;
    if (process.env.STRATUS_ALLOW_MISSING_DB === "1") {
      describe.skip(`${spec.title} (skipped because STRATUS_ALLOW_MISSING_DB=1: ${reason})`, () =>
        body(() => {
          throw new Error(reason);
        }));
    } else {
      it(`${spec.title} is reachable`, () => {
        throw new Error(`${reason} Set STRATUS_ALLOW_MISSING_DB=1 to skip instead.`);
      });
    }
    return;
  }
  let scratch: ScratchDatabase | undefined;
  beforeAll(async () => {
    scratch = await createScratchDatabase(spec.engine, adminUrl);
  });
  afterAll(async () => {
    await scratch?.drop();
  });
  body(() => {
    if (scratch === undefined) throw new Error("the scratch database is created in beforeAll");
    return scratch;
  });
}
