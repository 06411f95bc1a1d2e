import BetterSqlite3 from "better-sqlite3";
import type { SqliteDatabase, SqliteStatement } from "kysely";

/**
 * SQLite has no boolean, date or JSON types, so a Stratus migration declares such columns with
 * the names below (see `portableTypes`) and this wrapper decodes them by their declared type,
 * giving the same JS values PostgreSQL and MariaDB return: boolean, Date and parsed JSON.
 */
export const SQLITE_DECLARED = { boolean: "boolean", timestamp: "timestamp", json: "json" } as const;

type Decoder = (value: unknown) => unknown;

// SQLite's own CURRENT_TIMESTAMP is "YYYY-MM-DD HH:MM:SS" in UTC without a zone marker.
const parseUtc = (value: string): Date =>
  new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`);

const DECODERS: Record<string, Decoder> = {
  [SQLITE_DECLARED.boolean]: (v) => (typeof v === "number" || typeof v === "bigint" ? Number(v) !== 0 : v),
  [SQLITE_DECLARED.timestamp]: (v) => (typeof v === "string" ? parseUtc(v) : v),
  [SQLITE_DECLARED.json]: (v) => (typeof v === "string" ? JSON.parse(v) : v),
};

function decoderFor(statement: BetterSqlite3.Statement): ((row: unknown) => unknown) | undefined {
  const decoders: Array<[string, Decoder]> = [];
  for (const column of statement.columns()) {
    const decode = column.type === null ? undefined : DECODERS[column.type.toLowerCase()];
    if (decode !== undefined) decoders.push([column.name, decode]);
  }
  if (decoders.length === 0) return undefined;
  return (row) => {
    const record = row as Record<string, unknown>;
    for (const [name, decode] of decoders) {
      const value = record[name];
      if (value !== null && value !== undefined) record[name] = decode(value);
    }
    return record;
  };
}

function wrapStatement(statement: BetterSqlite3.Statement): SqliteStatement {
  const decode = statement.reader ? decoderFor(statement) : undefined;
  return {
    reader: statement.reader,
    all: (parameters) => {
      const rows = statement.all(...parameters);
      return decode === undefined ? rows : rows.map(decode);
    },
    run: (parameters) => statement.run(...parameters),
    *iterate(parameters) {
      for (const row of statement.iterate(...parameters)) yield decode === undefined ? row : decode(row);
    },
  };
}

/**
 * Opens a SQLite file (or `:memory:`) the way Stratus wants it: WAL journal so readers never
 * block the writer, foreign keys enforced, and a busy timeout so a second process waits for the
 * write lock instead of failing at once. Throws the driver's error (e.g. SQLITE_CANTOPEN).
 */
export function openSqlite(path: string, busyTimeoutMs: number): SqliteDatabase {
  const raw = new BetterSqlite3(path, { timeout: busyTimeoutMs });
  try {
    raw.pragma("journal_mode = WAL");
    raw.pragma("foreign_keys = ON");
    // With WAL, NORMAL keeps the database consistent on power loss and is much faster than FULL.
    raw.pragma("synchronous = NORMAL");
    raw.pragma(`busy_timeout = ${busyTimeoutMs}`);
  } catch (err) {
    raw.close();
    throw err;
  }
  return {
    close: () => raw.close(),
    prepare: (sql) => wrapStatement(raw.prepare(sql)),
  };
}
