import { backendUnavailable, badRequest, conflict, internal, StratusError, timeout } from "../errors/index.js";
import type { Engine } from "./options.js";

/**
 * Why a database error happened, in words common to the three engines. It is put in the
 * translated error's `details.kind` so callers and tests can tell a deadlock from a lost race.
 */
export type DbFailureKind =
  | "unique"
  | "foreign_key"
  | "not_null"
  | "check"
  | "invalid_data"
  | "deadlock"
  | "serialization"
  | "lock_timeout"
  | "statement_timeout"
  | "pool_timeout"
  | "connection"
  | "unknown";

interface Classified {
  readonly kind: DbFailureKind;
  readonly constraint?: string;
}

const NODE_CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

const field = (err: unknown, name: string): unknown =>
  typeof err === "object" && err !== null ? (err as Record<string, unknown>)[name] : undefined;
const text = (err: unknown, name: string): string => {
  const value = field(err, name);
  return typeof value === "string" ? value : typeof value === "number" ? String(value) : "";
};

function classifyConnection(err: unknown): Classified | undefined {
  const code = text(err, "code");
  const message = text(err, "message");
  if (NODE_CONNECTION_CODES.has(code)) return { kind: "connection" };
  // An AggregateError (happy-eyeballs connect to several addresses) carries the codes inside.
  const inner = field(err, "errors");
  if (Array.isArray(inner) && inner.some((e) => NODE_CONNECTION_CODES.has(text(e, "code")))) {
    return { kind: "connection" };
  }
  if (
    /Connection terminated|connection is not open|closed state|Client was closed|not queryable|Cannot open database/i.test(
      message,
    )
  ) {
    return { kind: "connection" };
  }
  if (/timeout exceeded when trying to connect|Pool is closed/i.test(message)) {
    return { kind: message.includes("timeout") ? "pool_timeout" : "connection" };
  }
  return undefined;
}

function classifySqlite(err: unknown): Classified {
  const code = text(err, "code");
  const message = text(err, "message");
  // better-sqlite3 messages look like "UNIQUE constraint failed: project.name".
  const constraint = /constraint failed: (.+)$/.exec(message)?.[1];
  const withConstraint = (kind: DbFailureKind): Classified =>
    constraint === undefined ? { kind } : { kind, constraint };
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") return withConstraint("unique");
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY") return withConstraint("foreign_key");
  if (code === "SQLITE_CONSTRAINT_NOTNULL") return withConstraint("not_null");
  if (code === "SQLITE_CONSTRAINT_CHECK") return withConstraint("check");
  if (code === "SQLITE_MISMATCH" || code === "SQLITE_TOOBIG") return { kind: "invalid_data" };
  // Another process holds the write lock past the busy timeout, or our snapshot went stale.
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return { kind: "lock_timeout" };
  if (code === "SQLITE_CANTOPEN" || code.startsWith("SQLITE_IOERR") || code === "SQLITE_FULL") {
    return { kind: "connection" };
  }
  return classifyConnection(err) ?? { kind: "unknown" };
}

function classifyPostgres(err: unknown): Classified {
  const code = text(err, "code");
  const constraint = text(err, "constraint");
  const withConstraint = (kind: DbFailureKind): Classified => (constraint ? { kind, constraint } : { kind });
  switch (code) {
    case "23505":
      return withConstraint("unique");
    case "23503":
      return withConstraint("foreign_key");
    case "23502":
      return withConstraint("not_null");
    case "23514":
      return withConstraint("check");
    case "40001":
      return { kind: "serialization" };
    case "40P01":
      return { kind: "deadlock" };
    case "55P03":
      return { kind: "lock_timeout" };
    case "57014":
      return { kind: "statement_timeout" };
    case "57P01": // admin_shutdown: our backend was terminated
    case "57P02": // crash_shutdown
    case "57P03": // cannot_connect_now: server starting up
    case "53300": // too_many_connections
      return { kind: "connection" };
  }
  if (code.startsWith("08")) return { kind: "connection" };
  if (code.startsWith("22")) return { kind: "invalid_data" };
  return classifyConnection(err) ?? { kind: "unknown" };
}

function classifyMysql(err: unknown): Classified {
  const code = text(err, "code");
  const errno = Number(field(err, "errno"));
  const message = text(err, "sqlMessage") || text(err, "message");
  // "Duplicate entry 'x' for key 'project_name_unique'"; FK messages name "CONSTRAINT `fk`".
  const constraint = /for key '([^']+)'/.exec(message)?.[1] ?? /CONSTRAINT `([^`]+)`/.exec(message)?.[1];
  const withConstraint = (kind: DbFailureKind): Classified =>
    constraint === undefined ? { kind } : { kind, constraint };
  switch (errno) {
    case 1062: // ER_DUP_ENTRY
    case 1586: // ER_DUP_ENTRY_WITH_KEY_NAME
      return withConstraint("unique");
    case 1216: // ER_NO_REFERENCED_ROW
    case 1217: // ER_ROW_IS_REFERENCED
    case 1451: // ER_ROW_IS_REFERENCED_2
    case 1452: // ER_NO_REFERENCED_ROW_2
      return withConstraint("foreign_key");
    case 1048: // ER_BAD_NULL_ERROR
    case 1364: // ER_NO_DEFAULT_FOR_FIELD
      return withConstraint("not_null");
    case 3819: // MySQL ER_CHECK_CONSTRAINT_VIOLATED
    case 4025: // MariaDB ER_CONSTRAINT_FAILED
      return withConstraint("check");
    case 1213: // ER_LOCK_DEADLOCK (also Galera certification failures)
      return { kind: "deadlock" };
    case 1205: // ER_LOCK_WAIT_TIMEOUT
      return { kind: "lock_timeout" };
    case 1317: // ER_QUERY_INTERRUPTED
    case 1969: // MariaDB ER_STATEMENT_TIMEOUT
    case 3024: // MySQL ER_QUERY_TIMEOUT
      return { kind: "statement_timeout" };
    case 1040: // ER_CON_COUNT_ERROR
    case 1053: // ER_SERVER_SHUTDOWN
    case 1927: // MariaDB ER_CONNECTION_KILLED
    case 2006: // CR_SERVER_GONE_ERROR
    case 2013: // CR_SERVER_LOST
      return { kind: "connection" };
    case 1406: // ER_DATA_TOO_LONG
    case 1264: // ER_WARN_DATA_OUT_OF_RANGE
    case 1366: // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
    case 1292: // ER_TRUNCATED_WRONG_VALUE
      return { kind: "invalid_data" };
  }
  if (code === "PROTOCOL_CONNECTION_LOST" || code === "PROTOCOL_SEQUENCE_TIMEOUT") return { kind: "connection" };
  return classifyConnection(err) ?? { kind: "unknown" };
}

const CLASSIFIERS: Record<Engine, (err: unknown) => Classified> = {
  sqlite: classifySqlite,
  postgres: classifyPostgres,
  mysql: classifyMysql,
};

/**
 * Turns an error thrown by a driver of `engine` into a StratusError with the original as `cause`
 * and `details: { engine, kind, constraint?, driverCode? }`. StratusErrors pass through unchanged.
 * - unique violation -> `conflict`
 * - foreign-key violation -> `conflict` (the referenced row is missing or the row is still in use:
 *   a state conflict like Neutron's "InUse"; validate input first if you want a 400/404 instead)
 * - not null / check / invalid data -> `badRequest`
 * - deadlock, serialization failure, lock (wait) timeout, SQLite busy -> `conflict`, retryable
 * - connection refused/lost, server shutting down -> `backendUnavailable`, retryable
 * - statement or pool timeout -> `timeout`, retryable
 * - anything else -> `internal`
 */
export function translateDbError(engine: Engine, err: unknown): StratusError {
  if (StratusError.is(err)) return err;
  const { kind, constraint } = CLASSIFIERS[engine](err);
  const driverCode = text(err, "code") || undefined;
  const details: Record<string, unknown> = { engine, kind };
  if (constraint !== undefined) details.constraint = constraint;
  if (driverCode !== undefined) details.driverCode = driverCode;
  const options = (retryable: boolean) => ({ cause: err, details, retryable });
  switch (kind) {
    case "unique":
      return conflict("A record with the same unique value already exists.", options(false));
    case "foreign_key":
      return conflict("The record refers to, or is referred to by, another record.", options(false));
    case "not_null":
    case "check":
    case "invalid_data":
      return badRequest("The value does not fit the stored record's constraints.", options(false));
    case "deadlock":
    case "serialization":
    case "lock_timeout":
      return conflict("A concurrent update got in the way; try again.", options(true));
    case "statement_timeout":
    case "pool_timeout":
      return timeout("The database did not answer in time.", options(true));
    case "connection":
      return backendUnavailable("The database is unavailable.", options(true));
    case "unknown":
      return internal("An unexpected database error occurred.", options(false));
  }
}

/** True for errors worth retrying a whole transaction for: retryable conflicts (deadlock, serialization, lock timeout). */
export function isRetryableConflict(err: unknown): boolean {
  return StratusError.is(err) && err.code === "conflict" && err.retryable;
}
