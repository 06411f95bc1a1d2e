import { sql } from "kysely";
import pg from "pg";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, translateDbError } from "../../src/db/index.js";
import { POSTGRES, runDbContract, withScratchDatabase } from "../../src/db/testing.js";

type Connect = (url?: string) => Promise<pg.Client>;

const failureOf = async (work: Promise<unknown>): Promise<unknown> => {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error("expected PostgreSQL to raise an error");
};

const CASES: Array<[string, (connect: Connect) => Promise<unknown>, object]> = [
  [
    "a duplicate primary key is a conflict naming the constraint",
    async (c) => (await c()).query("insert into parent values (1, 1)"),
    { code: "conflict", retryable: false, details: { kind: "unique", constraint: "parent_pkey", driverCode: "23505" } },
  ],
  [
    "a child row pointing at a missing parent is a conflict",
    async (c) => (await c()).query("insert into child values (10, 99)"),
    { code: "conflict", retryable: false, details: { kind: "foreign_key", constraint: "child_parent_id_fkey" } },
  ],
  [
    "deleting a parent that still has children is a conflict",
    async (c) => (await c()).query("delete from parent where id = 1"),
    { code: "conflict", retryable: false, details: { kind: "foreign_key" } },
  ],
  [
    "a null in a NOT NULL column is a bad request",
    async (c) => (await c()).query("insert into parent values (7, null)"),
    { code: "bad_request", details: { kind: "not_null" } },
  ],
  [
    "a value failing a CHECK constraint is a bad request",
    async (c) => (await c()).query("insert into parent values (8, -1)"),
    { code: "bad_request", details: { kind: "check", constraint: "parent_v_check" } },
  ],
  [
    "text that is not a number is a bad request",
    async (c) => (await c()).query("select 'abc'::int"),
    { code: "bad_request", details: { kind: "invalid_data", driverCode: "22P02" } },
  ],
  [
    "a statement timeout is a retryable timeout",
    async (c) => {
      const a = await c();
      await a.query("set statement_timeout = 20");
      return a.query("select pg_sleep(2)");
    },
    { code: "timeout", retryable: true, details: { kind: "statement_timeout", driverCode: "57014" } },
  ],
  [
    "a lock timeout is a retryable conflict",
    async (c) => {
      const [a, b] = [await c(), await c()];
      await b.query("begin");
      await b.query("select * from parent where id = 2 for update");
      await a.query("set lock_timeout = 50");
      return a.query("update parent set v = v where id = 2");
    },
    { code: "conflict", retryable: true, details: { kind: "lock_timeout", driverCode: "55P03" } },
  ],
  [
    "a serialization failure is a retryable conflict",
    async (c) => {
      const [a, b] = [await c(), await c()];
      await a.query("begin isolation level repeatable read");
      await a.query("select * from parent where id = 2");
      await b.query("update parent set v = v + 1 where id = 2");
      return a.query("update parent set v = v + 1 where id = 2");
    },
    { code: "conflict", retryable: true, details: { kind: "serialization", driverCode: "40001" } },
  ],
  [
    "a deadlock is a retryable conflict",
    async (c) => {
      const [a, b] = [await c(), await c()];
      await a.query("begin");
      await b.query("begin");
      await a.query("update parent set v = v where id = 1");
      await b.query("update parent set v = v where id = 2");
      const results = await Promise.allSettled([
        a.query("update parent set v = v where id = 2"),
        b.query("update parent set v = v where id = 1"),
      ]);
      const failed = results.find((r) => r.status === "rejected");
      return Promise.reject(failed?.status === "rejected" ? failed.reason : new Error("no deadlock"));
    },
    { code: "conflict", retryable: true, details: { kind: "deadlock", driverCode: "40P01" } },
  ],
  [
    "a session terminated by the server is a retryable backend_unavailable",
    async (c) => {
      const [a, b] = [await c(), await c()];
      const { rows } = await a.query<{ pid: number }>("select pg_backend_pid() as pid");
      await b.query("select pg_terminate_backend($1)", [rows[0]?.pid]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return a.query("select 1");
    },
    { code: "backend_unavailable", retryable: true, details: { kind: "connection" } },
  ],
  [
    "a refused connection is a retryable backend_unavailable",
    (c) => c("postgres://postgres@127.0.0.1:1/test"),
    { code: "backend_unavailable", retryable: true, details: { kind: "connection" } },
  ],
];

await withScratchDatabase(POSTGRES, (scratch) => {
  runDbContract(() => openDatabase({ engine: "postgres", url: scratch().url, poolSize: 4 }), { label: "PostgreSQL" });

  describe("translateDbError on errors PostgreSQL really raises", () => {
    const clients: pg.Client[] = [];
    const connect: Connect = async (url) => {
      const client = new pg.Client({ connectionString: url ?? scratch().url, connectionTimeoutMillis: 3_000 });
      client.on("error", () => {}); // the terminated-session case sees its error on the next query
      clients.push(client);
      await client.connect();
      return client;
    };

    beforeAll(async () => {
      const client = await connect();
      await client.query("create table parent (id int primary key, v int not null check (v >= 0))");
      await client.query("create table child (id int primary key, parent_id int not null references parent (id))");
      await client.query("insert into parent values (1, 1), (2, 2); insert into child values (1, 1)");
    });
    afterEach(async () => {
      await Promise.all(clients.splice(0).map((client) => client.end().catch(() => {})));
    });

    it.each(CASES)("%s", async (_name, provoke, expected) => {
      const raw = await failureOf(provoke(connect));
      const translated = translateDbError("postgres", raw);
      expect(translated).toMatchObject(expected);
      expect(translated.cause).toBe(raw);
    });
  });

  describe("Database on PostgreSQL", () => {
    it("fails to open a server that refuses connections with a retryable backend_unavailable", async () => {
      const opening = openDatabase({
        engine: "postgres",
        url: "postgres://postgres@127.0.0.1:1/test",
        connectTimeoutMs: 2_000,
      });
      await expect(opening).rejects.toMatchObject({ code: "backend_unavailable", retryable: true });
    });

    it("reports a connection lost inside a transaction as backend_unavailable", async () => {
      const db = await openDatabase({ engine: "postgres", url: scratch().url });
      const killer = await openDatabase({ engine: "postgres", url: scratch().url });
      try {
        const work = db.transaction(async (trx) => {
          const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
          await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(killer.kysely);
          await sql`select 1`.execute(trx);
        });
        await expect(work).rejects.toMatchObject({ code: "backend_unavailable", retryable: true });
        // The pool replaced the dead connection: the database is usable again.
        await expect(sql`select 1`.execute(db.kysely)).resolves.toBeDefined();
      } finally {
        await Promise.all([db.close(), killer.close()]);
      }
    });
  });
});
