/**
 * The codec a client uses for one database: the mapper's typed conversions bound to the
 * database schema, by table and column name. Built once per schema object.
 */
import { applyDiff, decodeRow, encodeRow, encodeValue } from "./mapper.js";
import type { Row } from "./replica.js";
import type { DatabaseSchema } from "./schema.js";
import type { Mutator, Value, WireRow } from "./wire.js";

export type CodecSchema = DatabaseSchema;

export interface Codec {
  /** A full wire row → a decoded row with `_uuid` (and `_version` when present). */
  decode(table: string, uuid: string, wire: WireRow): Row;
  /** An update2 `modify` applied to a decoded row → the new decoded row. */
  modify(table: string, row: Row, diff: WireRow): Row;
  /** Decoded (partial) row → wire row; throws naming unknown columns. */
  encodeRow(table: string, row: Readonly<Record<string, unknown>>): WireRow;
  /** One column's decoded value → wire value (for conditions). */
  encodeValue(table: string, column: string, value: unknown): Value;
  /** A mutation's argument: a map column's `delete` takes a set of keys, others the column's type. */
  encodeMutation(table: string, column: string, mutator: Mutator, value: unknown): Value;
}

const cache = new WeakMap<CodecSchema, Codec>();

/** The codec for a schema (cached). Throws on unknown tables or columns when used. */
export function schemaCodec(schema: CodecSchema): Codec {
  let c = cache.get(schema);
  if (!c) {
    c = build(schema);
    cache.set(schema, c);
  }
  return c;
}

function build(schema: CodecSchema): Codec {
  const tableOf = (name: string) => {
    const t = schema.tables[name];
    if (!t) throw new Error(`${schema.name} has no table ${name}`);
    return t;
  };
  const columnType = (table: string, column: string) => {
    if (column === "_uuid" || column === "_version") return { key: { type: "uuid" as const }, min: 1, max: 1 as const };
    const col = tableOf(table).columns[column];
    if (!col) throw new Error(`${schema.name}.${table} has no column ${column}`);
    return col.type;
  };
  return {
    decode(table, uuid, wire) {
      const row = decodeRow(tableOf(table), wire) as Record<string, unknown>;
      row._uuid = uuid;
      const v = wire._version;
      if (Array.isArray(v)) row._version = v[1];
      return row as Row;
    },
    modify(table, row, diff) {
      const t = tableOf(table);
      const next: Record<string, unknown> = { ...row };
      for (const [column, wire] of Object.entries(diff)) {
        if (column === "_version") {
          next._version = Array.isArray(wire) ? wire[1] : wire;
          continue;
        }
        const col = t.columns[column];
        if (!col) continue; // a column our schema doesn't know (newer server): ignore
        next[column] = applyDiff(col.type, row[column], wire);
      }
      return next as Row;
    },
    encodeRow(table, row) {
      return encodeRow(tableOf(table), row);
    },
    encodeValue(table, column, value) {
      return encodeValue(columnType(table, column) as never, value);
    },
    encodeMutation(table, column, mutator, value) {
      const type = columnType(table, column) as {
        key: unknown;
        value?: unknown;
        min: number;
        max: number | "unlimited";
      };
      if (mutator === "delete" && type.value !== undefined && Array.isArray(value)) {
        return encodeValue({ key: type.key, min: 0, max: "unlimited" } as never, value);
      }
      if (mutator === "insert" || mutator === "delete") {
        return encodeValue({ ...type, min: 0, max: "unlimited" } as never, value);
      }
      return encodeValue({ key: type.key, min: 1, max: 1 } as never, value);
    },
  };
}
