/**
 * Database schemas (RFC 7047 §3.2), as `.ovsschema` files and `get_schema` hold them, validated
 * with zod and parsed into one normal form: every column type spelled out as {key, value?, min, max}
 * and every enum as a plain list. The implicit columns `_uuid` and `_version` are known here too.
 */
import { z } from "zod";

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
  /** uuid only: the table the uuid points into */
  refTable?: string;
  /** set whenever refTable is (the wire's default is "strong") */
  refType?: "strong" | "weak";
}

/** A column type in normal form. `min` is 0 or 1; `max` is at least 1, or "unlimited". */
export interface ColumnType {
  key: BaseType;
  /** present for a map */
  value?: BaseType;
  min: number;
  max: number | "unlimited";
}

export interface ColumnSchema {
  type: ColumnType;
  /** present (true) only for ephemeral columns */
  ephemeral?: boolean;
  /** present (false) only for immutable columns */
  mutable?: boolean;
}

export interface TableSchema {
  /** the declared columns; `_uuid` and `_version` are implicit (see IMPLICIT_COLUMNS) */
  columns: Record<string, ColumnSchema>;
  maxRows?: number;
  /** present (true) only for root tables */
  isRoot?: boolean;
  indexes?: readonly (readonly string[])[];
}

export interface DatabaseSchema {
  name: string;
  /** "x.y.z"; "0.0.0" when the schema names none */
  version: string;
  cksum?: string;
  tables: Record<string, TableSchema>;
}

/** Thrown for a schema that does not follow RFC 7047 §3.2; the message lists every problem by path. */
export class SchemaError extends Error {
  override readonly name = "SchemaError";
}

const UUID_SCALAR: ColumnType = { key: { type: "uuid" }, min: 1, max: 1 };

/** Columns every table has without declaring them: the row's uuid and its version (both immutable uuids). */
export const IMPLICIT_COLUMNS: Readonly<Record<"_uuid" | "_version", ColumnSchema>> = {
  _uuid: { type: UUID_SCALAR, mutable: false },
  _version: { type: UUID_SCALAR, mutable: false },
};

/** True for `_uuid` and `_version`. */
export function isImplicitColumn(column: string): column is "_uuid" | "_version" {
  return column === "_uuid" || column === "_version";
}

/** A column of a table, the implicit `_uuid`/`_version` included; undefined when the table has none such. */
export function findColumn(table: TableSchema, column: string): ColumnSchema | undefined {
  if (isImplicitColumn(column)) return IMPLICIT_COLUMNS[column];
  return Object.hasOwn(table.columns, column) ? table.columns[column] : undefined;
}

// --- wire shapes (zod) ---------------------------------------------------------------------------

const ID = /^[A-Za-z_][A-Za-z0-9_]*$/;
const atomicType = z.enum(["integer", "real", "boolean", "string", "uuid"]);
const atom = z.union([z.number(), z.boolean(), z.string()]);
// `"string"` is short for `{"type": "string"}`; an enum is `["set", [...]]` or one bare atom.
const shorthand = (field: string) => (v: unknown) => (typeof v === "string" ? { [field]: v } : v);
const enumWire = z.preprocess((v) => (Array.isArray(v) && v[0] === "set" ? v[1] : [v]), z.array(atom).min(1));
const baseWire = z.preprocess(
  shorthand("type"),
  z.object({
    type: atomicType,
    enum: enumWire.optional(),
    minInteger: z.int().optional(),
    maxInteger: z.int().optional(),
    minReal: z.number().optional(),
    maxReal: z.number().optional(),
    minLength: z.int().min(0).optional(),
    maxLength: z.int().min(0).optional(),
    refTable: z.string().regex(ID).optional(),
    refType: z.enum(["strong", "weak"]).optional(),
  }),
);
const typeWire = z.preprocess(
  shorthand("key"),
  z.object({
    key: baseWire,
    value: baseWire.optional(),
    min: z.union([z.literal(0), z.literal(1)]).default(1),
    max: z.union([z.int().min(1), z.literal("unlimited")]).default(1),
  }),
);
const columnWire = z.object({ type: typeWire, ephemeral: z.boolean().optional(), mutable: z.boolean().optional() });
const tableWire = z.object({
  columns: z.record(z.string().regex(ID), columnWire),
  maxRows: z.int().min(1).optional(),
  isRoot: z.boolean().optional(),
  indexes: z.array(z.array(z.string()).min(1)).optional(),
});
const databaseWire = z.object({
  name: z.string().regex(ID),
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/)
    .optional(),
  cksum: z.string().optional(),
  tables: z.record(z.string().regex(ID), tableWire),
});

type BaseWire = z.infer<typeof baseWire>;
type TypeWire = z.infer<typeof typeWire>;

// --- parsing --------------------------------------------------------------------------------------

/**
 * Parses a schema (an .ovsschema file or a get_schema result) into normal form. Pure; throws
 * SchemaError listing every problem found (shape, reserved names, constraints, refTables, indexes).
 */
export function parseSchema(json: unknown): DatabaseSchema {
  const parsed = databaseWire.safeParse(json);
  if (!parsed.success) throw new SchemaError(describe("schema", parsed.error));
  const w = parsed.data;
  const problems: string[] = [];
  const tables: Record<string, TableSchema> = {};
  for (const [tname, t] of Object.entries(w.tables)) {
    const columns: Record<string, ColumnSchema> = {};
    for (const [cname, c] of Object.entries(t.columns)) {
      const where = `${tname}.${cname}`;
      if (cname.startsWith("_")) problems.push(`${where}: names beginning with "_" are reserved`);
      problems.push(...typeProblems(c.type, where, w.tables));
      columns[cname] = {
        type: normalType(c.type),
        ...(c.ephemeral === true && { ephemeral: true }),
        ...(c.mutable === false && { mutable: false }),
      };
    }
    for (const index of t.indexes ?? []) {
      const unknown = index.filter((c) => !Object.hasOwn(t.columns, c));
      if (unknown.length > 0)
        problems.push(`${tname}: index [${index.join(", ")}] names unknown ${unknown.join(", ")}`);
    }
    tables[tname] = {
      columns,
      ...(t.maxRows !== undefined && { maxRows: t.maxRows }),
      ...(t.isRoot === true && { isRoot: true }),
      ...(t.indexes !== undefined && { indexes: t.indexes }),
    };
  }
  if (problems.length > 0) throw new SchemaError(`${w.name}: invalid schema:\n  ${problems.join("\n  ")}`);
  return { name: w.name, version: w.version ?? "0.0.0", ...(w.cksum !== undefined && { cksum: w.cksum }), tables };
}

/** One column type (`"string"`, `{key: …, min, max}`, …) in normal form. Throws SchemaError naming `where`. */
export function parseColumnType(json: unknown, where: string): ColumnType {
  const parsed = typeWire.safeParse(json);
  if (!parsed.success) throw new SchemaError(describe(where, parsed.error));
  const problems = typeProblems(parsed.data, where, undefined);
  if (problems.length > 0) throw new SchemaError(problems.join("; "));
  return normalType(parsed.data);
}

function normalType(t: TypeWire): ColumnType {
  return {
    key: normalBase(t.key),
    ...(t.value !== undefined && { value: normalBase(t.value) }),
    min: t.min,
    max: t.max,
  };
}

function normalBase(b: BaseWire): BaseType {
  const out: BaseType = { type: b.type };
  if (b.enum !== undefined) out.enum = b.enum;
  for (const k of ["minInteger", "maxInteger", "minReal", "maxReal", "minLength", "maxLength"] as const) {
    const v = b[k];
    if (v !== undefined) out[k] = v;
  }
  if (b.refTable !== undefined) {
    out.refTable = b.refTable;
    out.refType = b.refType ?? "strong";
  }
  return out;
}

/** Constraints zod's shapes cannot say: enum atoms of the right type, sane bounds, refTable targets. */
function typeProblems(t: TypeWire, where: string, tables: Record<string, unknown> | undefined): string[] {
  const out: string[] = [];
  const base = (b: BaseWire, what: string) => {
    const at = `${where} ${what}`;
    const bad = (b.enum ?? []).filter((e) => !atomFits(b.type, e));
    if (bad.length > 0) out.push(`${at}: enum values ${JSON.stringify(bad)} are not ${b.type}s`);
    if ((b.minInteger ?? -Infinity) > (b.maxInteger ?? Infinity)) out.push(`${at}: minInteger > maxInteger`);
    if ((b.minReal ?? -Infinity) > (b.maxReal ?? Infinity)) out.push(`${at}: minReal > maxReal`);
    if ((b.minLength ?? 0) > (b.maxLength ?? Infinity)) out.push(`${at}: minLength > maxLength`);
    if ((b.refTable !== undefined || b.refType !== undefined) && b.type !== "uuid") {
      out.push(`${at}: refTable/refType apply to uuids only`);
    }
    if (b.refTable !== undefined && tables !== undefined && !Object.hasOwn(tables, b.refTable)) {
      out.push(`${at}: refTable ${b.refTable} is not a table of this database`);
    }
  };
  base(t.key, "key");
  if (t.value !== undefined) base(t.value, "value");
  return out;
}

function atomFits(type: AtomicType, a: string | number | boolean): boolean {
  switch (type) {
    case "integer":
      return Number.isInteger(a);
    case "real":
      return typeof a === "number";
    case "boolean":
      return typeof a === "boolean";
    case "string":
    case "uuid":
      return typeof a === "string";
  }
}

function describe(where: string, error: z.ZodError): string {
  const lines = error.issues.map((i) => `${[where, ...i.path.map(String)].join(".")}: ${i.message}`);
  return `invalid schema:\n  ${lines.join("\n  ")}`;
}
