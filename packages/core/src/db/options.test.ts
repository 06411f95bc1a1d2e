import { describe, expect, it } from "vitest";
import { openDatabase } from "./database.js";
import { databaseOptionsSchema } from "./options.js";

describe("database options", () => {
  it.each([
    [
      "an in-memory SQLite database gets the default busy timeout",
      { engine: "sqlite", path: ":memory:" },
      { busyTimeoutMs: 5_000 },
    ],
    [
      "a PostgreSQL URL gets the default pool size and connect timeout",
      { engine: "postgres", url: "postgres://u@h/db" },
      { poolSize: 10, connectTimeoutMs: 5_000 },
    ],
    [
      "a MariaDB URL may use the mariadb scheme",
      { engine: "mysql", url: "mariadb://u@h/db", poolSize: 3 },
      { poolSize: 3 },
    ],
  ])("accepts %s", (_name, input, expected) => {
    expect(databaseOptionsSchema.parse(input)).toMatchObject(expected);
  });

  it.each([
    ["an unknown engine", { engine: "oracle", url: "x" }],
    ["a PostgreSQL engine with a MySQL URL", { engine: "postgres", url: "mysql://h/db" }],
    ["a URL that does not parse", { engine: "mysql", url: "not a url" }],
    ["an empty SQLite path", { engine: "sqlite", path: "" }],
    ["a pool of zero connections", { engine: "postgres", url: "postgres://h/db", poolSize: 0 }],
  ])("rejects %s", (_name, input) => {
    expect(databaseOptionsSchema.safeParse(input).success).toBe(false);
  });

  it("makes openDatabase throw bad_request listing the issues", async () => {
    const opening = openDatabase({ engine: "postgres", url: "http://nope" });
    await expect(opening).rejects.toMatchObject({
      code: "bad_request",
      details: { issues: [expect.objectContaining({ path: ["url"] })] },
    });
  });
});
