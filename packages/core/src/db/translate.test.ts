import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conflict } from "../errors/index.js";
import { isRetryableConflict, translateDbError } from "./translate.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-db-errors-"));
let db: BetterSqlite3.Database;

beforeAll(() => {
  db = new BetterSqlite3(join(dir, "errors.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  db.exec(`
    create table parent (id integer primary key, name text not null unique, v integer check (v >= 0));
    create table child (id integer primary key, parent_id integer not null references parent (id));
    insert into parent values (1, 'one', 1);
    insert into child values (1, 1);`);
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const raise = (work: () => unknown): unknown => {
  try {
    work();
  } catch (err) {
    return err;
  }
  throw new Error("expected SQLite to raise an error");
};

describe("translateDbError on errors SQLite really raises", () => {
  it.each<[string, () => unknown, object]>([
    [
      "a duplicate primary key is a conflict",
      () => db.exec("insert into parent values (1, 'uno', 1)"),
      {
        code: "conflict",
        retryable: false,
        details: { kind: "unique", constraint: "parent.id", driverCode: "SQLITE_CONSTRAINT_PRIMARYKEY" },
      },
    ],
    [
      "a duplicate unique column is a conflict naming the column",
      () => db.exec("insert into parent values (2, 'one', 1)"),
      { code: "conflict", details: { kind: "unique", constraint: "parent.name" } },
    ],
    [
      "a child row pointing at a missing parent is a conflict",
      () => db.exec("insert into child values (2, 99)"),
      { code: "conflict", details: { kind: "foreign_key" } },
    ],
    [
      "deleting a parent that still has children is a conflict",
      () => db.exec("delete from parent where id = 1"),
      { code: "conflict", details: { kind: "foreign_key" } },
    ],
    [
      "a null in a NOT NULL column is a bad request",
      () => db.exec("insert into parent values (3, null, 1)"),
      { code: "bad_request", details: { kind: "not_null" } },
    ],
    [
      "a value failing a CHECK constraint is a bad request",
      () => db.exec("insert into parent values (4, 'four', -1)"),
      { code: "bad_request", details: { kind: "check" } },
    ],
    [
      "a write lock held by another connection past the busy timeout is a retryable conflict",
      () => {
        const other = new BetterSqlite3(join(dir, "errors.db"), { timeout: 10 });
        db.exec("begin immediate");
        try {
          return other.exec("begin immediate");
        } finally {
          db.exec("rollback");
          other.close();
        }
      },
      { code: "conflict", retryable: true, details: { kind: "lock_timeout", driverCode: "SQLITE_BUSY" } },
    ],
    [
      "a file that cannot be opened is a backend_unavailable",
      () => new BetterSqlite3(join(dir, "missing", "x.db")),
      { code: "backend_unavailable", details: { kind: "connection" } },
    ],
    [
      "a closed database is a backend_unavailable",
      () => {
        const closed = new BetterSqlite3(":memory:");
        closed.close();
        return closed.prepare("select 1");
      },
      { code: "backend_unavailable", details: { kind: "connection" } },
    ],
    [
      "a syntax error is internal, never blamed on the client",
      () => db.exec("selec 1"),
      { code: "internal", retryable: false, details: { kind: "unknown" } },
    ],
  ])("%s", (_name, provoke, expected) => {
    const raw = raise(provoke);
    const translated = translateDbError("sqlite", raw);
    expect(translated).toMatchObject(expected);
    expect(translated.cause).toBe(raw);
  });
});

describe("translateDbError on anything else", () => {
  it.each<[string, unknown, string]>([
    [
      "a Node connect error is backend_unavailable on every engine",
      Object.assign(new Error("connect"), { code: "ECONNREFUSED" }),
      "backend_unavailable",
    ],
    ["a pg pool timeout is a timeout", new Error("timeout exceeded when trying to connect"), "timeout"],
    ["a plain bug is internal", new TypeError("x is undefined"), "internal"],
  ])("%s", (_name, raw, code) => {
    for (const engine of ["sqlite", "postgres", "mysql"] as const)
      expect(translateDbError(engine, raw).code).toBe(code);
  });

  it("passes a StratusError through unchanged", () => {
    const err = conflict("taken");
    expect(translateDbError("postgres", err)).toBe(err);
  });

  it.each<[string, unknown, boolean]>([
    ["a retryable conflict is worth a retry", conflict("deadlock", { retryable: true }), true],
    ["a plain conflict is not", conflict("taken"), false],
    ["a foreign error is not", new Error("x"), false],
  ])("%s", (_name, err, expected) => {
    expect(isRetryableConflict(err)).toBe(expected);
  });
});
