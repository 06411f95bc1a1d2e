import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findColumn, IMPLICIT_COLUMNS, isImplicitColumn, parseColumnType, parseSchema, SchemaError } from "./schema.js";

const db = (columns: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  name: "T",
  version: "1.2.3",
  tables: { R: { columns, ...extra }, Other: { columns: {} } },
});

describe("parseColumnType normal form", () => {
  it.each([
    ["a bare atomic type is a required scalar", "integer", { key: { type: "integer" }, min: 1, max: 1 }],
    ["a key alone defaults min and max to 1", { key: "real" }, { key: { type: "real" }, min: 1, max: 1 }],
    ["an optional keeps min 0 max 1", { key: "string", min: 0, max: 1 }, { key: { type: "string" }, min: 0, max: 1 }],
    [
      "an unlimited set keeps max unlimited",
      { key: "uuid", min: 0, max: "unlimited" },
      { key: { type: "uuid" }, min: 0, max: "unlimited" },
    ],
    [
      "a map spells out key and value base types",
      { key: "string", value: "string", min: 0, max: "unlimited" },
      { key: { type: "string" }, value: { type: "string" }, min: 0, max: "unlimited" },
    ],
    [
      "an enum written as a set becomes a plain list",
      { key: { type: "string", enum: ["set", ["a", "b"]] } },
      { key: { type: "string", enum: ["a", "b"] }, min: 1, max: 1 },
    ],
    [
      "an enum written as one bare atom becomes a list of one",
      { key: { type: "string", enum: "only" } },
      { key: { type: "string", enum: ["only"] }, min: 1, max: 1 },
    ],
    [
      "an integer enum keeps its numbers",
      { key: { type: "integer", enum: ["set", [1, 2]] } },
      { key: { type: "integer", enum: [1, 2] }, min: 1, max: 1 },
    ],
    [
      "a refTable without refType is a strong reference",
      { key: { type: "uuid", refTable: "R" } },
      { key: { type: "uuid", refTable: "R", refType: "strong" }, min: 1, max: 1 },
    ],
    [
      "integer and length bounds are kept",
      { key: { type: "integer", minInteger: 1, maxInteger: 4095 }, min: 0, max: 1 },
      { key: { type: "integer", minInteger: 1, maxInteger: 4095 }, min: 0, max: 1 },
    ],
  ])("%s", (_n, json, normal) => {
    expect(parseColumnType(json, "c")).toEqual(normal);
  });

  it.each([
    ["an unknown atomic type", "strin", /c\.key\.type/],
    ["a min of 2", { key: "string", min: 2 }, /c\.min/],
    ["a max of 0", { key: "string", max: 0 }, /c\.max/],
    ["an enum value of the wrong type", { key: { type: "integer", enum: ["set", ["x"]] } }, /not integers/],
    ["a refTable on a string", { key: { type: "string", refTable: "R" } }, /uuids only/],
    ["minInteger above maxInteger", { key: { type: "integer", minInteger: 5, maxInteger: 1 } }, /minInteger/],
    ["a refType that is neither strong nor weak", { key: { type: "uuid", refType: "soft" } }, /refType/],
  ])("refuses %s, naming where", (_n, json, message) => {
    expect(() => parseColumnType(json, "c")).toThrow(SchemaError);
    expect(() => parseColumnType(json, "c")).toThrow(message);
  });
});

describe("parseSchema", () => {
  it("keeps name, version, cksum and the table options that are set", () => {
    const s = parseSchema({
      ...db({ a: { type: "string", ephemeral: true, mutable: false } }, { isRoot: true, maxRows: 1, indexes: [["a"]] }),
      cksum: "1 2",
    });
    expect(s).toMatchObject({ name: "T", version: "1.2.3", cksum: "1 2" });
    expect(s.tables.R).toEqual({
      columns: { a: { type: { key: { type: "string" }, min: 1, max: 1 }, ephemeral: true, mutable: false } },
      isRoot: true,
      maxRows: 1,
      indexes: [["a"]],
    });
    expect(s.tables.Other).toEqual({ columns: {} });
  });

  it("leaves out defaults so two spellings of one schema compare equal", () => {
    const a = parseSchema(db({ a: { type: "string", mutable: true, ephemeral: false } }, { isRoot: false }));
    const b = parseSchema(db({ a: { type: { key: { type: "string" }, min: 1, max: 1 } } }));
    expect(a).toEqual(b);
  });

  it("refuses every problem of a schema at once", () => {
    const bad = db(
      {
        _hidden: { type: "string" },
        ref: { type: { key: { type: "uuid", refTable: "Nope" } } },
        e: { type: { key: { type: "boolean", enum: "yes" } } },
      },
      { indexes: [["missing"]] },
    );
    const err = (() => {
      try {
        parseSchema(bad);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(SchemaError);
    expect(err?.message).toContain('R._hidden: names beginning with "_" are reserved');
    expect(err?.message).toContain("R.ref key: refTable Nope is not a table of this database");
    expect(err?.message).toContain('R.e key: enum values ["yes"] are not booleans');
    expect(err?.message).toContain("R: index [missing] names unknown missing");
  });

  it.each([
    ["a schema that is not an object", 42, /schema/],
    ["a schema without tables", { name: "T", version: "1.0.0" }, /schema\.tables/],
    ["a version that is not x.y.z", { name: "T", version: "1", tables: {} }, /schema\.version/],
    ["a column whose type is missing", db({ a: {} }), /schema\.tables\.R\.columns\.a\.type/],
  ])("refuses %s with the path in the message", (_n, json, message) => {
    expect(() => parseSchema(json)).toThrow(message);
  });

  it.each([
    ["ovn-nb.ovsschema", "OVN_Northbound", "Logical_Switch_Port"],
    ["ovn-sb.ovsschema", "OVN_Southbound", "Port_Binding"],
    ["vswitch.ovsschema", "Open_vSwitch", "Bridge"],
  ])("parses the committed %s (%s) into normal form", (file, name, table) => {
    const s = parseSchema(JSON.parse(readFileSync(new URL(`../schemas/${file}`, import.meta.url), "utf8")));
    expect(s.name).toBe(name);
    expect(s.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(s.tables[table]).toBeDefined();
    for (const t of Object.values(s.tables)) {
      for (const c of Object.values(t.columns)) {
        expect([0, 1]).toContain(c.type.min);
        expect(c.type.max === "unlimited" || c.type.max >= 1).toBe(true);
        expect(typeof c.type.key.type).toBe("string");
      }
    }
  });
});

describe("implicit columns", () => {
  const table = parseSchema(db({ name: { type: "string" } })).tables.R ?? { columns: {} };

  it.each([
    ["_uuid is an immutable uuid scalar on every table", "_uuid", IMPLICIT_COLUMNS._uuid],
    ["_version is an immutable uuid scalar on every table", "_version", IMPLICIT_COLUMNS._version],
    ["a declared column is found as declared", "name", table.columns.name],
    ["an undeclared column is not found", "nme", undefined],
    ["an inherited object property is not a column", "constructor", undefined],
  ])("%s", (_n, column, expected) => {
    expect(findColumn(table, column)).toEqual(expected);
  });

  it("knows which names are implicit", () => {
    expect(["_uuid", "_version", "name", "uuid"].map(isImplicitColumn)).toEqual([true, true, false, false]);
    expect(IMPLICIT_COLUMNS._uuid.type).toEqual({ key: { type: "uuid" }, min: 1, max: 1 });
  });
});
