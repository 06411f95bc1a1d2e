/**
 * Schema checks on connect: the model a program was built with (a generated schema) against the
 * server's. Every mismatch is collected and reported at once. What the server has beyond the model
 * (tables, columns, enum values, wider limits: a newer server) is information, not a mismatch;
 * what would make the model's reads lie or its writes fail is a mismatch.
 */
import type { BaseType, ColumnType, DatabaseSchema } from "./schema.js";

/** What kind of mismatch: another database, a table or column the server lacks, or a different type. */
export type MismatchCode = "database" | "missing-table" | "missing-column" | "type";

/** One incompatibility between the model and the server. */
export interface SchemaMismatch {
  code: MismatchCode;
  /** the model's table ("*" for the database itself) */
  table: string;
  column?: string;
  /** a sentence saying what differs, the server's side first */
  problem: string;
}

/** A difference that does not break the model (e.g. a column only the server has). */
export interface SchemaNote {
  table: string;
  column?: string;
  note: string;
}

export interface SchemaCheckOptions {
  /** check only these tables of the model (e.g. the ones a client monitors); default: all of them */
  tables?: readonly string[];
  /** receives every informational difference (extra tables, columns, enum values, wider limits…) */
  onInfo?: (note: SchemaNote) => void;
}

/** Mismatches and notes together, as compareSchemas finds them. */
export interface SchemaComparison {
  mismatches: SchemaMismatch[];
  info: SchemaNote[];
}

/** Compares the model `expected` with the server's `actual`. Pure; never throws. */
export function compareSchemas(
  expected: DatabaseSchema,
  actual: DatabaseSchema,
  opts: Pick<SchemaCheckOptions, "tables"> = {},
): SchemaComparison {
  const mismatches: SchemaMismatch[] = [];
  const info: SchemaNote[] = [];
  if (expected.name !== actual.name) {
    mismatches.push({ code: "database", table: "*", problem: `database is ${actual.name}, expected ${expected.name}` });
    return { mismatches, info };
  }
  if (expected.version !== actual.version) {
    info.push({ table: "*", note: `server schema version ${actual.version}, model ${expected.version}` });
  }
  const wanted = opts.tables ? new Set(opts.tables) : undefined;
  for (const [table, t] of Object.entries(expected.tables)) {
    if (wanted && !wanted.has(table)) continue;
    const at = Object.hasOwn(actual.tables, table) ? actual.tables[table] : undefined;
    if (!at) {
      mismatches.push({ code: "missing-table", table, problem: "table missing on the server" });
      continue;
    }
    for (const [column, c] of Object.entries(t.columns)) {
      const ac = Object.hasOwn(at.columns, column) ? at.columns[column] : undefined;
      if (!ac) {
        mismatches.push({ code: "missing-column", table, column, problem: "column missing on the server" });
        continue;
      }
      const d = typeDifferences(c.type, ac.type);
      for (const problem of d.problems) mismatches.push({ code: "type", table, column, problem });
      for (const note of d.notes) info.push({ table, column, note });
      if ((c.mutable ?? true) !== (ac.mutable ?? true) || (c.ephemeral ?? false) !== (ac.ephemeral ?? false)) {
        info.push({ table, column, note: "mutable/ephemeral differ on the server" });
      }
    }
    for (const column of Object.keys(at.columns)) {
      if (!Object.hasOwn(t.columns, column)) info.push({ table, column, note: "column only on the server" });
    }
  }
  if (!wanted) {
    for (const table of Object.keys(actual.tables)) {
      if (!Object.hasOwn(expected.tables, table)) info.push({ table, note: "table only on the server" });
    }
  }
  return { mismatches, info };
}

/** All differences that would break a client built for `expected`. Empty: compatible. Never throws. */
export function checkSchema(
  expected: DatabaseSchema,
  actual: DatabaseSchema,
  opts: SchemaCheckOptions = {},
): SchemaMismatch[] {
  const { mismatches, info } = compareSchemas(expected, actual, opts);
  if (opts.onInfo) for (const note of info) opts.onInfo(note);
  return mismatches;
}

/** Thrown by assertSchema; `mismatches` holds every one, the message lists them. */
export class SchemaMismatchError extends Error {
  override readonly name = "SchemaMismatchError";
  constructor(
    readonly database: string,
    readonly mismatches: readonly SchemaMismatch[],
  ) {
    super(
      `${database}: the server's schema does not match the model (${mismatches.length} mismatch${mismatches.length === 1 ? "" : "es"}):\n` +
        mismatches.map((m) => `  ${m.table}${m.column ? `.${m.column}` : ""}: ${m.problem}`).join("\n"),
    );
  }
}

/** Throws SchemaMismatchError listing every mismatch, or returns when compatible. */
export function assertSchema(expected: DatabaseSchema, actual: DatabaseSchema, opts: SchemaCheckOptions = {}): void {
  const m = checkSchema(expected, actual, opts);
  if (m.length > 0) throw new SchemaMismatchError(expected.name, m);
}

type Kind = "scalar" | "optional" | "set" | "map";
const kindOf = (t: ColumnType): Kind => (t.value ? "map" : t.max !== 1 ? "set" : t.min === 0 ? "optional" : "scalar");
const maxOf = (t: ColumnType): number => (t.max === "unlimited" ? Number.POSITIVE_INFINITY : t.max);

function typeDifferences(e: ColumnType, a: ColumnType): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  const [ek, ak] = [kindOf(e), kindOf(a)];
  if (ek !== ak) {
    const an = (k: Kind) => (k === "optional" ? `an ${k}` : `a ${k}`);
    problems.push(`is ${an(ak)} on the server, expected ${an(ek)}`);
    return { problems, notes };
  }
  baseDifferences(e.key, a.key, ek === "map" ? "key " : "", problems, notes);
  if (e.value && a.value) baseDifferences(e.value, a.value, "value ", problems, notes);
  if (ek === "set" || ek === "map") {
    // A narrower range on the server refuses writes the model allows; a wider one still reads as T[].
    if (a.min > e.min) problems.push(`needs at least ${a.min} on the server, expected ${e.min}`);
    if (maxOf(a) < maxOf(e)) problems.push(`holds at most ${a.max} on the server, expected ${e.max}`);
    if (a.min < e.min || maxOf(a) > maxOf(e))
      notes.push(`holds ${a.min}..${a.max} on the server, model ${e.min}..${e.max}`);
  }
  return { problems, notes };
}

function baseDifferences(e: BaseType, a: BaseType, what: string, problems: string[], notes: string[]): void {
  if (e.type !== a.type) {
    problems.push(`${what}type is ${a.type} on the server, expected ${e.type}`);
    return;
  }
  if (e.enum && a.enum) {
    const missing = e.enum.filter((x) => !a.enum?.includes(x));
    if (missing.length > 0) problems.push(`${what}enum lacks ${list(missing)} on the server`);
    const extra = a.enum.filter((x) => !e.enum?.includes(x));
    if (extra.length > 0) notes.push(`${what}enum has ${list(extra)} only on the server`);
  } else if (a.enum) problems.push(`${what}is limited to ${list(a.enum)} on the server, expected any ${e.type}`);
  else if (e.enum) notes.push(`${what}has no enum on the server`);
  if ((e.refTable ?? "") !== (a.refTable ?? "")) {
    problems.push(`${what}refers to ${a.refTable ?? "nothing"} on the server, expected ${e.refTable ?? "nothing"}`);
  } else if (e.refType !== a.refType) notes.push(`${what}is a ${a.refType} reference on the server`);
  for (const k of ["minInteger", "maxInteger", "minReal", "maxReal", "minLength", "maxLength"] as const) {
    if (e[k] !== a[k]) notes.push(`${what}${k} is ${a[k] ?? "unset"} on the server, model ${e[k] ?? "unset"}`);
  }
}

const list = (xs: readonly unknown[]): string => xs.map((x) => JSON.stringify(x)).join(", ");
