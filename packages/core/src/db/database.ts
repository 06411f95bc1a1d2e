import { type IsolationLevel, Kysely, sql, type Transaction } from "kysely";
import { badRequest, StratusError } from "../errors/index.js";
import { createDialect } from "./engines.js";
import { type MigrateOptions, type Migration, type MigrationReport, runMigrations } from "./migrate.js";
import { type DatabaseOptions, databaseOptionsSchema, type Engine } from "./options.js";
import { isRetryableConflict, translateDbError } from "./translate.js";

/** Options of `Database.transaction`. */
export interface TransactionOptions {
  /** Total attempts, 1..10 (default 1: no retry). Retries run `fn` again from the start. */
  readonly maxAttempts?: number;
  /** Isolation level on PostgreSQL and MariaDB; SQLite transactions are always serializable. */
  readonly isolationLevel?: IsolationLevel;
  /** Which errors earn another attempt (default: retryable conflicts, i.e. deadlock, serialization, lock timeout). */
  readonly retryIf?: (err: StratusError) => boolean;
}

/** A package's database: Kysely plus transactions with retry, migrations and translated errors. */
export interface Database<Schema> {
  /** The engine behind this database. */
  readonly engine: Engine;
  /** The Kysely instance; every driver error it throws is already a StratusError (see translateDbError). */
  readonly kysely: Kysely<Schema>;
  /**
   * Runs `fn` in a transaction: commits when it resolves, rolls back and rethrows when it throws.
   * With `maxAttempts` > 1, a failure accepted by `retryIf` rolls back and runs `fn` again after a
   * short jittered pause, so `fn` must have no effect outside the transaction. Returns what `fn` returns.
   */
  transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /**
   * Applies the pending migrations of `namespace` in order, under a cross-process lock.
   * Idempotent: a second call applies nothing. Throws `internal` if a migration fails or the list
   * was reordered, `timeout` if another process holds the lock past `lockTimeoutMs`.
   */
  migrate(namespace: string, migrations: readonly Migration[], options?: MigrateOptions): Promise<MigrationReport>;
  /** Closes every connection; idempotent. The database must not be used afterwards. */
  close(): Promise<void>;
}

const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(200, 10 * 2 ** attempt)));

class KyselyDatabase<Schema> implements Database<Schema> {
  private closing: Promise<void> | undefined;

  constructor(
    readonly engine: Engine,
    readonly kysely: Kysely<Schema>,
  ) {}

  async transaction<T>(fn: (trx: Transaction<Schema>) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const maxAttempts = Math.min(10, Math.max(1, Math.floor(options.maxAttempts ?? 1)));
    const retryIf = options.retryIf ?? isRetryableConflict;
    for (let attempt = 1; ; attempt++) {
      try {
        const builder = this.kysely.transaction();
        const run = options.isolationLevel === undefined ? builder : builder.setIsolationLevel(options.isolationLevel);
        return await run.execute(fn);
      } catch (err) {
        // Errors of `fn` that are not StratusErrors (bugs) are never retried and pass unchanged.
        const retry = attempt < maxAttempts && StratusError.is(err) && retryIf(err);
        if (!retry) throw err;
        await pause(attempt);
      }
    }
  }

  migrate(namespace: string, migrations: readonly Migration[], options?: MigrateOptions): Promise<MigrationReport> {
    // biome-ignore lint/suspicious/noExplicitAny: migrations run against a schema still being built.
    return runMigrations(this.kysely as Kysely<any>, this.engine, namespace, migrations, options);
  }

  close(): Promise<void> {
    this.closing ??= this.kysely.destroy();
    return this.closing;
  }
}

/**
 * Opens a database and checks that it answers (`select 1`). Returns the open Database.
 * Throws `badRequest` (details.issues) when the options are invalid, and `backendUnavailable`
 * (retryable) when the server or file cannot be reached.
 */
export async function openDatabase<Schema = unknown>(options: DatabaseOptions): Promise<Database<Schema>> {
  const parsed = databaseOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw badRequest("Invalid database options.", { cause: parsed.error, details: { issues: parsed.error.issues } });
  }
  const engine = parsed.data.engine;
  const kysely = new Kysely<Schema>({ dialect: createDialect(parsed.data) });
  try {
    await sql`select 1`.execute(kysely);
  } catch (err) {
    await kysely.destroy().catch(() => {});
    throw translateDbError(engine, err);
  }
  return new KyselyDatabase(engine, kysely);
}
