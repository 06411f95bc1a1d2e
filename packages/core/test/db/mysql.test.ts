import { sql } from "kysely";
import mysql from "mysql2/promise";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, translateDbError } from "../../src/db/index.js";
import { MARIADB, runDbContract, withScratchDatabase } from "../../src/db/testing.js";

type Connect = (port?: number) => Promise<mysql.Connection>;

const failureOf = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error("expected MariaDB to raise an error");
};

const CASES: Array<[string, (connect: Connect) => Promise<unknown>, object]> = [
  [
    "a duplicate primary key is a conflict naming the key",
    async (c) => (await c()).query("insert into parent values (1, 1, 'a')"),
    {
      code: "conflict",
      retryable: false,
      details: { kind: "unique", constraint: "PRIMARY", driverCode: "ER_DUP_ENTRY" },
    },
  ],
  [
    "a child row pointing at a missing parent is a conflict",
    async (c) => (await c()).query("insert into child values (10, 99)"),
    { code: "conflict", retryable: false, details: { kind: "foreign_key", constraint: "child_parent" } },
  ],
  [
    "deleting a parent that still has children is a conflict",
    async (c) => (await c()).query("delete from parent where id = 1"),
    { code: "conflict", retryable: false, details: { kind: "foreign_key" } },
  ],
  [
    "a null in a NOT NULL column is a bad request",
    async (c) => (await c()).query("insert into parent values (7, null, 'a')"),
    { code: "bad_request", details: { kind: "not_null" } },
  ],
  [
    "a value failing a CHECK constraint is a bad request",
    async (c) => (await c()).query("insert into parent values (8, -1, 'a')"),
    { code: "bad_request", details: { kind: "check" } },
  ],
  [
    "a value too long for its column is a bad request",
    async (c) => (await c()).query("insert into parent values (9, 1, 'abcdef')"),
    { code: "bad_request", details: { kind: "invalid_data", driverCode: "ER_DATA_TOO_LONG" } },
  ],
  [
    "a statement over max_statement_time is a retryable timeout",
    async (c) => (await c()).query("set statement max_statement_time = 0.05 for select sleep(1)"),
    { code: "timeout", retryable: true, details: { kind: "statement_timeout" } },
  ],
  [
    "a lock wait timeout is a retryable conflict",
    async (c) => {
      const [a, b] = [await c(), await c()];
      await b.query("begin");
      await b.query("select * from parent where id = 2 for update");
      await a.query("set innodb_lock_wait_timeout = 1");
      return a.query("update parent set v = v where id = 2");
    },
    { code: "conflict", retryable: true, details: { kind: "lock_timeout", driverCode: "ER_LOCK_WAIT_TIMEOUT" } },
  ],
  [
    "a deadlock is a retryable conflict",
    async (c) => {
      const [a, b] = [await c(), await c()];
      await a.query("begin");
      await b.query("begin");
      await a.query("update parent set v = v + 1 where id = 1");
      await b.query("update parent set v = v + 1 where id = 2");
      const results = await Promise.allSettled([
        a.query("update parent set v = v + 1 where id = 2"),
        b.query("update parent set v = v + 1 where id = 1"),
      ]);
      const failed = results.find((r) => r.status === "rejected");
      await Promise.all([a.query("rollback"), b.query("rollback")]);
      return Promise.reject(failed?.status === "rejected" ? failed.reason : new Error("no deadlock"));
    },
    { code: "conflict", retryable: true, details: { kind: "deadlock", driverCode: "ER_LOCK_DEADLOCK" } },
  ],
  [
    "a connection killed by the server is a retryable backend_unavailable",
    async (c) => {
      const [a, b] = [await c(), await c()];
      a.on("error", () => {}); // the kill is reported by the next query
      await b.query(`kill ${a.threadId}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return a.query("select 1");
    },
    { code: "backend_unavailable", retryable: true, details: { kind: "connection" } },
  ],
  [
    "a refused connection is a retryable backend_unavailable",
    (c) => c(1),
    { code: "backend_unavailable", retryable: true, details: { kind: "connection" } },
  ],
];

await withScratchDatabase(MARIADB, (scratch) => {
  runDbContract(() => openDatabase({ engine: "mysql", url: scratch().url, poolSize: 4 }), { label: "MariaDB" });

  describe("translateDbError on errors MariaDB really raises", () => {
    const clients: mysql.Connection[] = [];
    const connect: Connect = async (port) => {
      const url = new URL(scratch().url);
      const client = await mysql.createConnection({
        host: url.hostname,
        port: port ?? Number(url.port || 3306),
        user: decodeURIComponent(url.username),
        password: decodeURIComponent(url.password),
        database: scratch().name,
        connectTimeout: 3_000,
      });
      clients.push(client);
      return client;
    };

    beforeAll(async () => {
      const client = await connect();
      await client.query(
        "create table parent (id int primary key, v int not null check (v >= 0), s varchar(3)) engine=InnoDB",
      );
      await client.query(
        "create table child (id int primary key, parent_id int not null, constraint child_parent foreign key (parent_id) references parent (id)) engine=InnoDB",
      );
      await client.query("insert into parent values (1, 1, 'a'), (2, 2, 'b')");
      await client.query("insert into child values (1, 1)");
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
    });

    it.each(CASES)("%s", async (_name, provoke, expected) => {
      const raw = await failureOf(provoke(connect));
      const translated = translateDbError("mysql", raw);
      expect(translated).toMatchObject(expected);
      expect(translated.cause).toBe(raw);
    });
  });

  describe("Database on MariaDB", () => {
    it("fails to open a server that refuses connections with a retryable backend_unavailable", async () => {
      const opening = openDatabase({ engine: "mysql", url: "mysql://root@127.0.0.1:1/test", connectTimeoutMs: 2_000 });
      await expect(opening).rejects.toMatchObject({ code: "backend_unavailable", retryable: true });
    });

    it("reports a connection lost inside a transaction as backend_unavailable", async () => {
      const db = await openDatabase({ engine: "mysql", url: scratch().url });
      const killer = await openDatabase({ engine: "mysql", url: scratch().url });
      try {
        const work = db.transaction(async (trx) => {
          const { rows } = await sql<{ id: number }>`select connection_id() as id`.execute(trx);
          await sql.raw(`kill ${Number(rows[0]?.id)}`).execute(killer.kysely);
          await sql`select 1`.execute(trx);
        });
        await expect(work).rejects.toMatchObject({ code: "backend_unavailable", retryable: true });
        await expect(sql`select 1`.execute(db.kysely)).resolves.toBeDefined();
      } finally {
        await Promise.all([db.close(), killer.close()]);
      }
    });
  });
});
