import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import type { Engine } from "./options.js";
import { translateDbError } from "./translate.js";

/**
 * Parameters are encoded once here so repositories write the same JS values on every engine:
 * plain objects and arrays become JSON text (for `json` columns); on SQLite, booleans become 0/1
 * and Dates ISO-8601 text (UTC, millisecond precision, which sorts chronologically).
 */
export function encodeParameter(engine: Engine, value: unknown): unknown {
  if (value === null || typeof value !== "object") {
    return engine === "sqlite" && typeof value === "boolean" ? (value ? 1 : 0) : value;
  }
  if (value instanceof Date) return engine === "sqlite" ? value.toISOString() : value;
  if (Array.isArray(value)) return JSON.stringify(value);
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? JSON.stringify(value) : value;
}

function encodeQuery(engine: Engine, query: CompiledQuery): CompiledQuery {
  let changed = false;
  const parameters = query.parameters.map((value) => {
    const encoded = encodeParameter(engine, value);
    if (encoded !== value) changed = true;
    return encoded;
  });
  return changed ? { ...query, parameters } : query;
}

class TranslatingConnection implements DatabaseConnection {
  constructor(
    readonly inner: DatabaseConnection,
    private readonly engine: Engine,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(encodeQuery(this.engine, query));
    } catch (err) {
      throw translateDbError(this.engine, err);
    }
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(encodeQuery(this.engine, query), chunkSize);
    } catch (err) {
      throw translateDbError(this.engine, err);
    }
  }
}

const unwrap = (connection: DatabaseConnection): DatabaseConnection =>
  connection instanceof TranslatingConnection ? connection.inner : connection;

type Compile = QueryCompiler["compileQuery"];

class TranslatingDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly engine: Engine,
  ) {}

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      throw translateDbError(this.engine, err);
    }
  }

  init(): Promise<void> {
    return this.guard(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.guard(() => this.inner.acquireConnection());
    return new TranslatingConnection(connection, this.engine);
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    // SQLite: take the write lock up front. A deferred BEGIN that reads and then writes fails
    // with SQLITE_BUSY_SNAPSHOT (no waiting) when another process committed in between.
    if (this.engine === "sqlite") return connection.executeQuery(CompiledQuery.raw("begin immediate")).then(() => {});
    return this.guard(() => this.inner.beginTransaction(unwrap(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.inner.commitTransaction(unwrap(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.guard(() => this.inner.rollbackTransaction(unwrap(connection)));
  }

  savepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(async () => this.inner.savepoint?.(unwrap(connection), name, compile));
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(async () => this.inner.rollbackToSavepoint?.(unwrap(connection), name, compile));
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: Compile): Promise<void> {
    return this.guard(async () => this.inner.releaseSavepoint?.(unwrap(connection), name, compile));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/**
 * Wraps a Kysely dialect so every driver error leaves Kysely already translated by
 * `translateDbError` and every parameter is encoded by `encodeParameter`.
 */
export function translatingDialect(engine: Engine, inner: Dialect): Dialect {
  return {
    createDriver: (): Driver => new TranslatingDriver(inner.createDriver(), engine),
    createQueryCompiler: (): QueryCompiler => inner.createQueryCompiler(),
    createAdapter: (): DialectAdapter => inner.createAdapter(),
    // biome-ignore lint/suspicious/noExplicitAny: the introspector works on any schema.
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => inner.createIntrospector(db),
  };
}
