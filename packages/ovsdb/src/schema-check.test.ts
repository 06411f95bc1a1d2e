import { describe, expect, it } from "vitest";
import { OVN_NORTHBOUND_SCHEMA } from "./generated/index.js";
import { type ColumnSchema, type DatabaseSchema, parseColumnType } from "./schema.js";
import {
  assertSchema,
  checkSchema,
  compareSchemas,
  type SchemaMismatch,
  SchemaMismatchError,
  type SchemaNote,
} from "./schema-check.js";

const col = (type: unknown): ColumnSchema => ({ type: parseColumnType(type, "test") });
const model = (): DatabaseSchema => ({
  name: "T",
  version: "1.0.0",
  tables: {
    Switch: {
      columns: {
        name: col("string"),
        ports: col({ key: { type: "uuid", refTable: "Port" }, min: 0, max: "unlimited" }),
        tag: col({ key: { type: "integer", minInteger: 0, maxInteger: 4095 }, min: 0, max: 1 }),
        ids: col({ key: "string", value: "string", min: 0, max: "unlimited" }),
        dir: col({ key: { type: "string", enum: ["set", ["in", "out"]] } }),
        addrs: col({ key: "string", min: 0, max: 4 }),
      },
    },
    Port: { columns: { name: col("string") } },
  },
});
const server = (change: (s: DatabaseSchema) => void): DatabaseSchema => {
  const s = structuredClone(model());
  change(s);
  return s;
};
const sw = (s: DatabaseSchema) => (s.tables.Switch as { columns: Record<string, ColumnSchema> }).columns;
const line = (m: SchemaMismatch | SchemaNote) =>
  `${m.table}${m.column ? `.${m.column}` : ""}: ${"problem" in m ? m.problem : m.note}`;

describe("checkSchema mismatches", () => {
  it.each([
    ["a missing table", (s: DatabaseSchema) => delete s.tables.Port, ["Port: table missing on the server"]],
    ["a missing column", (s: DatabaseSchema) => delete sw(s).tag, ["Switch.tag: column missing on the server"]],
    [
      "an optional that became a required scalar",
      (s: DatabaseSchema) => (sw(s).tag = col("integer")),
      ["Switch.tag: is a scalar on the server, expected an optional"],
    ],
    [
      "a set that became a map",
      (s: DatabaseSchema) => (sw(s).addrs = col({ key: "string", value: "string", min: 0, max: "unlimited" })),
      ["Switch.addrs: is a map on the server, expected a set"],
    ],
    [
      "another atomic type",
      (s: DatabaseSchema) => (sw(s).name = col("integer")),
      ["Switch.name: type is integer on the server, expected string"],
    ],
    [
      "another map value type",
      (s: DatabaseSchema) => (sw(s).ids = col({ key: "string", value: "integer", min: 0, max: "unlimited" })),
      ["Switch.ids: value type is integer on the server, expected string"],
    ],
    [
      "an enum value the server lacks",
      (s: DatabaseSchema) => (sw(s).dir = col({ key: { type: "string", enum: "in" } })),
      ['Switch.dir: enum lacks "out" on the server'],
    ],
    [
      "an enum only the server has",
      (s: DatabaseSchema) => (sw(s).name = col({ key: { type: "string", enum: ["set", ["a", "b"]] } })),
      ['Switch.name: is limited to "a", "b" on the server, expected any string'],
    ],
    [
      "a reference to another table",
      (s: DatabaseSchema) =>
        (sw(s).ports = col({ key: { type: "uuid", refTable: "Switch" }, min: 0, max: "unlimited" })),
      ["Switch.ports: refers to Switch on the server, expected Port"],
    ],
    [
      "a smaller max",
      (s: DatabaseSchema) => (sw(s).addrs = col({ key: "string", min: 0, max: 2 })),
      ["Switch.addrs: holds at most 2 on the server, expected 4"],
    ],
    [
      "a larger min",
      (s: DatabaseSchema) => (sw(s).addrs = col({ key: "string", min: 1, max: 4 })),
      ["Switch.addrs: needs at least 1 on the server, expected 0"],
    ],
    ["another database", (s: DatabaseSchema) => (s.name = "Other"), ["*: database is Other, expected T"]],
  ])("reports %s", (_n, change, expected) => {
    expect(checkSchema(model(), server(change)).map(line)).toEqual(expected);
  });

  it("reports every missing table, missing column and type change at once, and assertSchema throws them all", () => {
    const older = server((s) => {
      delete s.tables.Port;
      delete sw(s).tag;
      sw(s).name = col("integer");
      sw(s).dir = col({ key: { type: "string", enum: "in" } });
    });
    const found = checkSchema(model(), older);
    expect(found.map((m) => m.code).sort()).toEqual(["missing-column", "missing-table", "type", "type"]);
    let err: unknown;
    try {
      assertSchema(model(), older);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SchemaMismatchError);
    expect((err as SchemaMismatchError).mismatches).toHaveLength(4);
    expect((err as Error).message).toMatch(/T: the server's schema does not match the model \(4 mismatches\)/);
    for (const m of found) expect((err as Error).message).toContain(line(m));
  });

  it("checks only the tables asked for", () => {
    const s = server((x) => delete x.tables.Port);
    expect(checkSchema(model(), s, { tables: ["Switch"] })).toEqual([]);
    expect(() => assertSchema(model(), s, { tables: ["Port"] })).toThrow(/Port: table missing/);
  });
});

describe("checkSchema information (a newer server)", () => {
  it.each([
    [
      "a table only the server has",
      (s: DatabaseSchema) => (s.tables.Extra = { columns: {} }),
      "Extra: table only on the server",
    ],
    [
      "a column only the server has",
      (s: DatabaseSchema) => (sw(s).extra = col("string")),
      "Switch.extra: column only on the server",
    ],
    [
      "an enum value only the server has",
      (s: DatabaseSchema) => (sw(s).dir = col({ key: { type: "string", enum: ["set", ["in", "out", "both"]] } })),
      'Switch.dir: enum has "both" only on the server',
    ],
    [
      "a larger max on the server",
      (s: DatabaseSchema) => (sw(s).addrs = col({ key: "string", min: 0, max: "unlimited" })),
      "Switch.addrs: holds 0..unlimited on the server, model 0..4",
    ],
    [
      "another integer range",
      (s: DatabaseSchema) =>
        (sw(s).tag = col({ key: { type: "integer", minInteger: 1, maxInteger: 4095 }, min: 0, max: 1 })),
      "Switch.tag: minInteger is 1 on the server, model 0",
    ],
    [
      "a weak reference where the model has a strong one",
      (s: DatabaseSchema) =>
        (sw(s).ports = col({ key: { type: "uuid", refTable: "Port", refType: "weak" }, min: 0, max: "unlimited" })),
      "Switch.ports: is a weak reference on the server",
    ],
    ["another version", (s: DatabaseSchema) => (s.version = "1.1.0"), "*: server schema version 1.1.0, model 1.0.0"],
  ])("notes %s without calling it a mismatch", (_n, change, note) => {
    const notes: SchemaNote[] = [];
    expect(checkSchema(model(), server(change), { onInfo: (n) => notes.push(n) })).toEqual([]);
    expect(notes.map(line)).toEqual([note]);
    expect(compareSchemas(model(), server(change)).info.map(line)).toEqual([note]);
  });

  it("finds nothing at all between the generated OVN_Northbound schema and itself", () => {
    expect(compareSchemas(OVN_NORTHBOUND_SCHEMA, structuredClone(OVN_NORTHBOUND_SCHEMA))).toEqual({
      mismatches: [],
      info: [],
    });
  });
});
