/**
 * Schema checks on connect: the model a program was built with (a generated schema) against the
 * server's. Every mismatch is collected and reported at once. Tables and columns the server has
 * beyond the model are fine (a newer server); missing or differently typed ones are not.
 */
import type { BaseType, ColumnType, DatabaseSchema } from "./schema.js";

export interface SchemaMismatch {
  table: string;
  column?: string;
  problem: string;
}

/** All differences that would break a client built for `expected`. Empty: compatible. */
export function checkSchema(expected: DatabaseSchema, actual: DatabaseSchema): SchemaMismatch[] {
  const out: SchemaMismatch[] = [];
  if (expected.name !== actual.name) {
    out.push({ table: "*", problem: `database is ${actual.name}, expected ${expected.name}` });
    return out;
  }
  for (const [table, t] of Object.entries(expected.tables)) {
    const at = actual.tables[table];
    if (!at) {
      out.push({ table, problem: "table missing on the server" });
      continue;
    }
    for (const [column, c] of Object.entries(t.columns)) {
      const ac = at.columns[column];
      if (!ac) out.push({ table, column, problem: "column missing on the server" });
      else {
        const diff = typeDifference(c.type, ac.type);
        if (diff) out.push({ table, column, problem: diff });
      }
    }
  }
  return out;
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
export function assertSchema(expected: DatabaseSchema, actual: DatabaseSchema): void {
  const m = checkSchema(expected, actual);
  if (m.length > 0) throw new SchemaMismatchError(expected.name, m);
}

function typeDifference(e: ColumnType, a: ColumnType): string | undefined {
  const kind = (t: ColumnType) => (t.value ? "map" : t.max !== 1 ? "set" : t.min === 0 ? "optional" : "scalar");
  if (kind(e) !== kind(a)) return `is a ${kind(a)} on the server, expected a ${kind(e)}`;
  const k = baseDifference(e.key, a.key);
  if (k) return `key ${k}`;
  if (e.value && a.value) {
    const v = baseDifference(e.value, a.value);
    if (v) return `value ${v}`;
  }
  if (e.max !== a.max && kind(e) === "set") return `holds at most ${a.max} on the server, expected ${e.max}`;
  return undefined;
}

function baseDifference(e: BaseType, a: BaseType): string | undefined {
  if (e.type !== a.type) return `type is ${a.type} on the server, expected ${e.type}`;
  if (e.enum && a.enum) {
    const missing = e.enum.filter((x) => !a.enum?.includes(x));
    if (missing.length > 0) return `enum lacks ${missing.map((x) => JSON.stringify(x)).join(", ")} on the server`;
  }
  if ((e.refTable ?? "") !== (a.refTable ?? ""))
    return `refers to ${a.refTable ?? "nothing"} on the server, expected ${e.refTable ?? "nothing"}`;
  return undefined;
}
