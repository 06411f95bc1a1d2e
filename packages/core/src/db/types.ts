import { type Expression, type RawBuilder, sql } from "kysely";
import type { Engine } from "./options.js";

type ColumnType = RawBuilder<unknown>;

/**
 * Column types that mean the same on the three engines, handed to every migration. They fix the
 * portable conventions of Stratus data:
 * - booleans read back as JS booleans (SQLite stores 0/1, MariaDB TINYINT(1));
 * - timestamps read back as JS Dates in UTC with millisecond precision (PostgreSQL timestamptz(3),
 *   MariaDB DATETIME(3) in a UTC session, SQLite ISO-8601 text which sorts chronologically);
 * - JSON columns take a plain object or array and read it back parsed (jsonb, JSON, text).
 */
export interface PortableTypes {
  /** A boolean column; write and read JS booleans. */
  readonly boolean: ColumnType;
  /** A UTC timestamp column with millisecond precision; write and read JS Dates. */
  readonly timestamp: ColumnType;
  /** A JSON document column; write a plain object or array, read it back parsed. */
  readonly json: ColumnType;
  /** Unbounded text. MariaDB cannot index it: use `string(n)` for keys and unique columns. */
  readonly text: ColumnType;
  /** A 32-bit integer (use for `generation` columns). */
  readonly integer: ColumnType;
  /** A 64-bit integer; drivers may read it back as a string on PostgreSQL. */
  readonly bigint: ColumnType;
  /** Returns a bounded string column, indexable on every engine (ids, names). */
  string(length: number): ColumnType;
  /** The current time as a default value expression, in the same format as `timestamp`. */
  readonly now: Expression<Date>;
}

const NOW: Record<Engine, RawBuilder<Date>> = {
  sqlite: sql<Date>`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
  postgres: sql<Date>`current_timestamp`,
  mysql: sql<Date>`current_timestamp(3)`,
};

const TIMESTAMP: Record<Engine, ColumnType> = {
  sqlite: sql`timestamp`,
  postgres: sql`timestamptz(3)`,
  mysql: sql`datetime(3)`,
};

const JSON_TYPE: Record<Engine, ColumnType> = { sqlite: sql`json`, postgres: sql`jsonb`, mysql: sql`json` };

/** Returns the portable column types for `engine`. */
export function portableTypes(engine: Engine): PortableTypes {
  return {
    boolean: sql`boolean`,
    timestamp: TIMESTAMP[engine],
    json: JSON_TYPE[engine],
    text: sql`text`,
    integer: sql`integer`,
    bigint: sql`bigint`,
    string: (length) => {
      if (!Number.isInteger(length) || length < 1 || length > 4000) {
        throw new RangeError(`string length must be an integer in 1..4000, got ${length}`);
      }
      return sql.raw(`varchar(${length})`);
    },
    now: NOW[engine],
  };
}
