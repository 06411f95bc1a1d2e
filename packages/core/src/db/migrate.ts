import { type Kysely, sql } from "kysely";
import { internal, StratusError, timeout } from "../errors/index.js";
import type { Engine } from "./options.js";
import { isRetryableConflict } from "./translate.js";
import { type PortableTypes, portableTypes } from "./types.js";

// biome-ignore lint/suspicious/noExplicitAny: migrations work on a schema that is still being built.
type AnyKysely = Kysely<any>;

/** What a migration gets besides the connection: the engine and its portable column types. */
export interface MigrationContext {
  /** The engine the migration runs on, for the rare step that must differ. */
  readonly engine: Engine;
  /** Column types that behave the same on every engine (booleans, timestamps, JSON). */
  readonly types: PortableTypes;
}

/** One named schema change of a package. Append new ones; never rename or reorder released ones. */
export interface Migration {
  /** Unique within its namespace, e.g. "0001_create_project". */
  readonly name: string;
  /** Applies the change with Kysely's schema builder; throws to abort. */
  up(db: AnyKysely, context: MigrationContext): Promise<void>;
}

/** Options of `Database.migrate`. */
export interface MigrateOptions {
  /** How long to wait for another process that is migrating the same namespace (default 60 s). */
  readonly lockTimeoutMs?: number;
}

/** What `migrate` did. */
export interface MigrationReport {
  /** The namespace, e.g. "identity"; its records live in table `stratus_migrations_<namespace>`. */
  readonly namespace: string;
  /** Names applied by this call, in order (empty when the schema was already up to date). */
  readonly applied: readonly string[];
  /** Names that were already applied before this call. */
  readonly alreadyApplied: readonly string[];
  /** Applied names this code does not know (a newer release migrated the database); not an error. */
  readonly unknown: readonly string[];
}

const NAMESPACE = /^[a-z][a-z0-9_]{0,39}$/;

/** Returns the table recording the applied migrations of `namespace`. */
export function migrationTableName(namespace: string): string {
  return `stratus_migrations_${namespace}`;
}

function validate(namespace: string, migrations: readonly Migration[]): void {
  if (!NAMESPACE.test(namespace)) {
    throw internal(`Migration namespace "${namespace}" must match ${NAMESPACE}.`);
  }
  const seen = new Set<string>();
  for (const { name } of migrations) {
    if (name.length === 0 || name.length > 255) throw internal(`Migration name "${name}" must have 1..255 characters.`);
    if (seen.has(name)) throw internal(`Migration "${name}" appears twice in namespace "${namespace}".`);
    seen.add(name);
  }
}

async function applyPending(
  db: AnyKysely,
  engine: Engine,
  namespace: string,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  const table = migrationTableName(namespace);
  const types = portableTypes(engine);
  await db.schema
    .createTable(table)
    .ifNotExists()
    .addColumn("name", types.string(255), (c) => c.primaryKey())
    .addColumn("applied_at", types.timestamp, (c) => c.notNull())
    .execute();
  const rows = await db.selectFrom(table).select("name").execute();
  const done = new Set(rows.map((row) => String(row.name)));
  const known = new Set(migrations.map((m) => m.name));
  const lastDone = migrations.findLastIndex((m) => done.has(m.name));
  const pending = migrations.filter((m) => !done.has(m.name));
  const stranded = migrations.slice(0, Math.max(0, lastDone)).find((m) => !done.has(m.name));
  if (stranded !== undefined) {
    throw internal(
      `Migration "${stranded.name}" of "${namespace}" is pending but a later one is already applied; append migrations, never insert them.`,
      { details: { namespace, migration: stranded.name } },
    );
  }
  const applied: string[] = [];
  for (const migration of pending) {
    try {
      await migration.up(db, { engine, types });
    } catch (err) {
      if (StratusError.is(err)) throw err;
      throw internal(`Migration "${migration.name}" of "${namespace}" failed.`, {
        cause: err,
        details: { namespace, migration: migration.name },
      });
    }
    await db.insertInto(table).values({ name: migration.name, applied_at: new Date() }).execute();
    applied.push(migration.name);
  }
  return {
    namespace,
    applied,
    alreadyApplied: migrations.filter((m) => done.has(m.name)).map((m) => m.name),
    unknown: [...done].filter((name) => !known.has(name)),
  };
}

type Body = (db: AnyKysely) => Promise<MigrationReport>;

async function withPostgresLock(db: AnyKysely, namespace: string, lockTimeoutMs: number, body: Body) {
  // One transaction: PostgreSQL DDL is transactional, so a failed migration leaves nothing behind,
  // and the advisory lock is released by commit or rollback whatever happens.
  return db.transaction().execute(async (trx) => {
    await sql.raw(`set local lock_timeout = ${lockTimeoutMs}`).execute(trx);
    await sql`select pg_advisory_xact_lock(hashtext(${`stratus_migrate:${namespace}`}))`.execute(trx);
    return body(trx);
  });
}

async function withMysqlLock(db: AnyKysely, namespace: string, lockTimeoutMs: number, body: Body) {
  // MariaDB commits DDL implicitly, so there is no enclosing transaction: a named lock held by
  // this one connection serialises migrators; each migration is recorded right after it ran.
  return db.connection().execute(async (conn) => {
    const name = sql`sha1(concat('stratus_migrate:', database(), ':', ${namespace}))`;
    const seconds = Math.max(1, Math.ceil(lockTimeoutMs / 1000));
    const { rows } = await sql<{ locked: number | null }>`select get_lock(${name}, ${seconds}) as locked`.execute(conn);
    if (Number(rows[0]?.locked) !== 1) {
      throw timeout(`Another process kept migrating "${namespace}" for over ${seconds} s.`, { retryable: true });
    }
    try {
      return await body(conn);
    } finally {
      await sql`select release_lock(${name})`.execute(conn);
    }
  });
}

async function withSqliteLock(db: AnyKysely, lockTimeoutMs: number, body: Body) {
  // Transactions begin IMMEDIATE (see dialect.ts): the write lock is the migration lock. A
  // second process waits the busy timeout, then we try again until the lock timeout is spent.
  const deadline = Date.now() + lockTimeoutMs;
  for (;;) {
    try {
      return await db.transaction().execute(body);
    } catch (err) {
      if (!isRetryableConflict(err) || Date.now() >= deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Applies the pending `migrations` of `namespace` in list order, under a lock so concurrent
 * processes never apply one twice. Idempotent. Throws `internal` when the list is malformed or a
 * migration fails, `timeout` when the lock cannot be had, and translated database errors.
 */
export async function runMigrations(
  db: AnyKysely,
  engine: Engine,
  namespace: string,
  migrations: readonly Migration[],
  options: MigrateOptions = {},
): Promise<MigrationReport> {
  validate(namespace, migrations);
  const lockTimeoutMs = Math.max(1, Math.floor(options.lockTimeoutMs ?? 60_000));
  const body: Body = (conn) => applyPending(conn, engine, namespace, migrations);
  switch (engine) {
    case "postgres":
      return withPostgresLock(db, namespace, lockTimeoutMs, body);
    case "mysql":
      return withMysqlLock(db, namespace, lockTimeoutMs, body);
    case "sqlite":
      return withSqliteLock(db, lockTimeoutMs, body);
  }
}
