/**
 * Typed values: OVSDB wire values ↔ TypeScript, driven by the column type. The rules (which the
 * generated models follow):
 * - integer, real → number; boolean → boolean; string → string (an enum: its literals);
 *   uuid → the bare uuid string (a row inserted in the same transaction: a NamedUuid);
 * - min 1 max 1 → the value; min 0 max 1 → value | null; max > 1 → an array (a set);
 * - a map → Record<key, value> (integer keys are numbers in the record's string keys).
 */
import { type BaseType, type ColumnType, isImplicitColumn, type TableSchema } from "./schema.js";
import type { Atom, Value, WireRow } from "./wire.js";

/** A reference to a row inserted earlier in the same transaction (`["named-uuid", name]`). */
export class NamedUuid {
  constructor(readonly name: string) {}
}

/** Thrown when a value does not fit its column; names the column when known. */
export class ValueError extends Error {
  override readonly name = "ValueError";
}

export const ZERO_UUID = "00000000-0000-0000-0000-000000000000";

const isSet = (t: ColumnType): boolean => t.value === undefined && t.max !== 1;
const isOptional = (t: ColumnType): boolean => t.value === undefined && t.max === 1 && t.min === 0;

// Rows are immutable, so every empty set and map can be the same frozen object: a replica of
// 100k rows with a dozen empty columns each would otherwise hold a million empty containers.
const EMPTY_SET: readonly unknown[] = Object.freeze([]);
const EMPTY_MAP: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The value a column holds when nothing was written to it, as ovsdb-server defines it (it leaves
 * such columns out of update2 `initial`/`insert`): `min` default atoms, so a set with min 1 holds
 * one. Empty sets and maps are shared and frozen.
 */
export function defaultValue(type: ColumnType): unknown {
  if (type.value !== undefined) {
    if (type.min === 0) return EMPTY_MAP;
    return Object.freeze({ [String(defaultAtom(type.key))]: defaultAtom(type.value) });
  }
  if (isSet(type)) return type.min === 0 ? EMPTY_SET : Object.freeze([defaultAtom(type.key)]);
  if (isOptional(type)) return null;
  return defaultAtom(type.key);
}

function defaultAtom(b: BaseType): unknown {
  if (b.enum && b.enum.length > 0) return b.enum[0];
  switch (b.type) {
    case "integer":
    case "real":
      return 0;
    case "boolean":
      return false;
    case "string":
      return "";
    case "uuid":
      return ZERO_UUID;
  }
}

// Reading is tolerant of enums (a newer server may send values the model does not list) but not
// of atoms of the wrong JSON type, which would put a lie into the typed row.
const JSON_TYPE = { integer: "number", real: "number", boolean: "boolean", string: "string" } as const;

function decodeAtom(b: BaseType, a: unknown): unknown {
  if (b.type === "uuid") {
    if (Array.isArray(a) && (a[0] === "uuid" || a[0] === "named-uuid")) return a[1];
    throw new ValueError(`expected a uuid, got ${JSON.stringify(a)}`);
  }
  if (typeof a !== JSON_TYPE[b.type]) throw new ValueError(`expected ${b.type}, got ${JSON.stringify(a)}`);
  return a;
}

/** Wire value → TypeScript value for a column of this type. Throws ValueError on a wrong shape. */
export function decodeValue(type: ColumnType, wire: unknown): unknown {
  if (type.value !== undefined) {
    if (!Array.isArray(wire) || wire[0] !== "map") throw new ValueError(`expected a map, got ${JSON.stringify(wire)}`);
    if ((wire[1] as unknown[]).length === 0) return EMPTY_MAP;
    const out: Record<string, unknown> = {};
    for (const [k, v] of wire[1] as [unknown, unknown][])
      out[String(decodeAtom(type.key, k))] = decodeAtom(type.value, v);
    return out;
  }
  const atoms = Array.isArray(wire) && wire[0] === "set" ? (wire[1] as unknown[]) : [wire];
  if (isSet(type)) return atoms.length === 0 ? EMPTY_SET : atoms.map((a) => decodeAtom(type.key, a));
  if (atoms.length === 0) return isOptional(type) ? null : defaultAtom(type.key);
  return decodeAtom(type.key, atoms[0]);
}

function encodeAtom(b: BaseType, v: unknown): Atom {
  const a = encodeBare(b, v);
  if (b.enum && !b.enum.includes(a as string)) {
    throw new ValueError(
      `expected one of ${b.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(v)}`,
    );
  }
  return a;
}

function encodeBare(b: BaseType, v: unknown): Atom {
  switch (b.type) {
    case "uuid":
      if (v instanceof NamedUuid) return ["named-uuid", v.name];
      if (typeof v === "string") return ["uuid", v];
      break;
    case "integer":
      if (typeof v === "number" && Number.isInteger(v)) return v;
      if (typeof v === "string" && /^-?\d+$/.test(v)) return Number(v);
      break;
    case "real":
      if (typeof v === "number" && Number.isFinite(v)) return v;
      break;
    case "boolean":
      if (typeof v === "boolean") return v;
      break;
    case "string":
      if (typeof v === "string") return v;
      break;
  }
  throw new ValueError(`expected ${b.type}, got ${JSON.stringify(v)}`);
}

/** TypeScript value → wire value for a column of this type. Throws ValueError on a wrong type. */
export function encodeValue(type: ColumnType, value: unknown): Value {
  if (type.value !== undefined) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ValueError(`expected a map (object), got ${JSON.stringify(value)}`);
    }
    const vt = type.value;
    const entries = Object.entries(value);
    checkCount(type, entries.length);
    return ["map", entries.map(([k, v]) => [encodeAtom(type.key, k), encodeAtom(vt, v)] as const)];
  }
  if (isSet(type)) {
    const items = Array.isArray(value) ? value : [value];
    checkCount(type, items.length);
    return ["set", items.map((x) => encodeAtom(type.key, x))];
  }
  if (value === null || value === undefined) {
    if (isOptional(type)) return ["set", []];
    throw new ValueError("a value is required");
  }
  return encodeAtom(type.key, value);
}

function checkCount(type: ColumnType, n: number): void {
  if (n < type.min) throw new ValueError(`needs at least ${type.min} element(s), got ${n}`);
  if (type.max !== "unlimited" && n > type.max) throw new ValueError(`holds at most ${type.max}, got ${n}`);
}

/** A complete wire row → a decoded row; absent columns get their default. */
export function decodeRow(table: TableSchema, wire: WireRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, col] of Object.entries(table.columns)) {
    const w = wire[name];
    out[name] = w === undefined ? defaultValue(col.type) : decodeValue(col.type, w);
  }
  return out;
}

/** Only the columns present in the wire row, decoded (an update2 `modify` is not this: see applyDiff). */
export function decodePartial(table: TableSchema, wire: WireRow): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, w] of Object.entries(wire)) {
    const col = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
    if (col) out[name] = decodeValue(col.type, w);
  }
  return out;
}

/**
 * A (partial) decoded row → wire row, for insert and update. `_uuid` and `_version` are skipped;
 * unknown columns are refused all at once, by name; a bad value names its column.
 */
export function encodeRow(table: TableSchema, row: Readonly<Record<string, unknown>>): WireRow {
  const out: WireRow = {};
  const unknown: string[] = [];
  for (const [name, v] of Object.entries(row)) {
    if (isImplicitColumn(name) || v === undefined) continue;
    const col = Object.hasOwn(table.columns, name) ? table.columns[name] : undefined;
    if (!col) {
      unknown.push(name);
      continue;
    }
    try {
      out[name] = encodeValue(col.type, v);
    } catch (err) {
      throw new ValueError(`column ${name}: ${(err as Error).message}`);
    }
  }
  if (unknown.length > 0) throw new ValueError(`unknown column(s): ${unknown.join(", ")}`);
  return out;
}

/**
 * Applies an update2 `modify` diff to a decoded value: a set's listed elements are toggled; a
 * map's listed keys are removed when old held the same value, replaced when it held another,
 * added when absent; any other column takes the new value.
 */
export function applyDiff(type: ColumnType, old: unknown, diff: unknown): unknown {
  if (type.value !== undefined) {
    const next: Record<string, unknown> = { ...((old as Record<string, unknown> | null) ?? {}) };
    const changes = decodeValue(type, diff) as Record<string, unknown>;
    for (const [k, v] of Object.entries(changes)) {
      if (k in next && next[k] === v) delete next[k];
      else next[k] = v;
    }
    return next;
  }
  if (isSet(type)) {
    const next = new Set((old as unknown[] | null) ?? []);
    for (const x of decodeValue(type, diff) as unknown[]) {
      if (next.has(x)) next.delete(x);
      else next.add(x);
    }
    return [...next];
  }
  return decodeValue(type, diff);
}
