/**
 * Database schemas (RFC 7047 §3.2), as `.ovsschema` files and `get_schema` hold them, parsed into
 * one normal form: every column type spelled out as {key, value?, min, max}.
 */

export type AtomicType = "integer" | "real" | "boolean" | "string" | "uuid";

/** A base type with its constraints (RFC 7047 §3.2 <base-type>). */
export interface BaseType {
  type: AtomicType;
  /** allowed values (the wire's `["set", [...]]` or bare atom, as a plain list) */
  enum?: readonly (string | number | boolean)[];
  minInteger?: number;
  maxInteger?: number;
  minReal?: number;
  maxReal?: number;
  minLength?: number;
  maxLength?: number;
  refTable?: string;
  refType?: "strong" | "weak";
}

/** A column type in normal form. `max` is a number or "unlimited". */
export interface ColumnType {
  key: BaseType;
  value?: BaseType;
  min: number;
  max: number | "unlimited";
}

export interface ColumnSchema {
  type: ColumnType;
  ephemeral?: boolean;
  mutable?: boolean;
}

export interface TableSchema {
  columns: Record<string, ColumnSchema>;
  maxRows?: number;
  isRoot?: boolean;
  indexes?: readonly (readonly string[])[];
}

export interface DatabaseSchema {
  name: string;
  version: string;
  cksum?: string;
  tables: Record<string, TableSchema>;
}

/** Thrown for a schema that does not follow RFC 7047 §3.2; names where. */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
}

const ATOMIC = new Set<string>(["integer", "real", "boolean", "string", "uuid"]);

/** Parses a schema (file or get_schema result) into normal form. Throws SchemaError naming the spot. */
export function parseSchema(json: unknown): DatabaseSchema {
  const o = obj(json, "schema");
  const name = str(o.name, "schema name");
  const version = typeof o.version === "string" ? o.version : "0.0.0";
  const tables: Record<string, TableSchema> = {};
  for (const [tname, t] of Object.entries(obj(o.tables, `${name}: tables`))) {
    const to = obj(t, `${name}.${tname}`);
    const columns: Record<string, ColumnSchema> = {};
    for (const [cname, c] of Object.entries(obj(to.columns, `${name}.${tname}: columns`))) {
      const co = obj(c, `${name}.${tname}.${cname}`);
      columns[cname] = {
        type: parseColumnType(co.type, `${name}.${tname}.${cname}`),
        ...(co.ephemeral === true && { ephemeral: true }),
        ...(co.mutable === false && { mutable: false }),
      };
    }
    tables[tname] = {
      columns,
      ...(typeof to.maxRows === "number" && { maxRows: to.maxRows }),
      ...(to.isRoot === true && { isRoot: true }),
      ...(Array.isArray(to.indexes) && { indexes: to.indexes as string[][] }),
    };
  }
  return { name, version, ...(typeof o.cksum === "string" && { cksum: o.cksum }), tables };
}

/** One column type (`"string"`, `{key: …, min, max}`, …) in normal form. */
export function parseColumnType(t: unknown, where: string): ColumnType {
  if (typeof t === "string") return { key: parseBase(t, where), min: 1, max: 1 };
  const o = obj(t, where);
  const min = o.min === undefined ? 1 : o.min;
  const max = o.max === undefined ? 1 : o.max;
  if (typeof min !== "number" || (min !== 0 && min !== 1)) throw new SchemaError(`${where}: min must be 0 or 1`);
  if (max !== "unlimited" && (typeof max !== "number" || max < 1)) {
    throw new SchemaError(`${where}: max must be a positive integer or "unlimited"`);
  }
  return {
    key: parseBase(o.key, `${where} key`),
    ...(o.value !== undefined && { value: parseBase(o.value, `${where} value`) }),
    min,
    max: max as number | "unlimited",
  };
}

function parseBase(b: unknown, where: string): BaseType {
  if (typeof b === "string") {
    if (!ATOMIC.has(b)) throw new SchemaError(`${where}: unknown atomic type ${b}`);
    return { type: b as AtomicType };
  }
  const o = obj(b, where);
  const type = str(o.type, `${where} type`);
  if (!ATOMIC.has(type)) throw new SchemaError(`${where}: unknown atomic type ${type}`);
  const out: BaseType = { type: type as AtomicType };
  if (o.enum !== undefined) {
    const e = o.enum;
    out.enum = Array.isArray(e) && e[0] === "set" ? (e[1] as (string | number | boolean)[]) : [e as string];
  }
  for (const k of ["minInteger", "maxInteger", "minReal", "maxReal", "minLength", "maxLength"] as const) {
    if (typeof o[k] === "number") out[k] = o[k] as number;
  }
  if (typeof o.refTable === "string") out.refTable = o.refTable;
  if (o.refType === "weak" || o.refType === "strong") out.refType = o.refType;
  else if (out.refTable) out.refType = "strong";
  return out;
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw new SchemaError(`${where}: expected an object`);
  return v as Record<string, unknown>;
}

function str(v: unknown, where: string): string {
  if (typeof v !== "string" || v === "") throw new SchemaError(`${where}: expected a string`);
  return v;
}
