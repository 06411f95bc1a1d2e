import { CompiledQuery, type Dialect, MysqlDialect, PostgresDialect, SqliteDialect } from "kysely";
import mysql from "mysql2";
import pg from "pg";
import { translatingDialect } from "./dialect.js";
import type { ResolvedDatabaseOptions } from "./options.js";
import { openSqlite } from "./sqlite.js";

type Options<E extends ResolvedDatabaseOptions["engine"]> = Extract<ResolvedDatabaseOptions, { engine: E }>;

function sqliteDialect(options: Options<"sqlite">): Dialect {
  return new SqliteDialect({ database: async () => openSqlite(options.path, options.busyTimeoutMs) });
}

function postgresDialect(options: Options<"postgres">): Dialect {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
  });
  // An idle client that loses its server emits here; without a listener Node would crash the
  // process. The pool has already discarded that client, and the next query either reconnects
  // or fails with `backendUnavailable`, so there is nothing left to handle.
  pool.on("error", () => {});
  // Likewise for a client in use: its fatal error also rejects the running query, which is
  // where we report it (translated); the event alone would be an unhandled crash.
  pool.on("connect", (client) => client.on("error", () => {}));
  return new PostgresDialect({ pool });
}

// MariaDB/MySQL store BOOLEAN as TINYINT(1); read it back as a JS boolean like the others do.
const typeCast: mysql.TypeCast = (field, next) => {
  if (field.type === "TINY" && field.length === 1) {
    const value = field.string();
    return value === null ? null : value === "1";
  }
  return next();
};

function mysqlDialect(options: Options<"mysql">): Dialect {
  const url = new URL(options.url);
  const pool = mysql.createPool({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, "")),
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    // Dates travel as UTC in both directions (driver side here, server side in onCreateConnection).
    timezone: "Z",
    supportBigNumbers: true,
    typeCast,
  });
  return new MysqlDialect({
    pool,
    onCreateConnection: async (connection) => {
      await connection.executeQuery(CompiledQuery.raw("set time_zone = '+00:00'"));
    },
  });
}

/** Builds the Kysely dialect for validated options, wrapped so errors come out translated. */
export function createDialect(options: ResolvedDatabaseOptions): Dialect {
  switch (options.engine) {
    case "sqlite":
      return translatingDialect("sqlite", sqliteDialect(options));
    case "postgres":
      return translatingDialect("postgres", postgresDialect(options));
    case "mysql":
      return translatingDialect("mysql", mysqlDialect(options));
  }
}
