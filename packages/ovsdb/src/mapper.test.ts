import { describe, expect, it } from "vitest";
import {
  applyDiff,
  decodePartial,
  decodeRow,
  decodeValue,
  defaultValue,
  encodeRow,
  encodeValue,
  NamedUuid,
  ValueError,
  ZERO_UUID,
} from "./mapper.js";
import { type ColumnType, parseColumnType } from "./schema.js";

const t = (json: unknown): ColumnType => parseColumnType(json, "test");
const str = t("string");
const optStr = t({ key: "string", min: 0, max: 1 });
const strSet = t({ key: "string", min: 0, max: "unlimited" });
const uuidSet = t({ key: { type: "uuid", refTable: "Logical_Switch_Port" }, min: 0, max: "unlimited" });
const strMap = t({ key: "string", value: "string", min: 0, max: "unlimited" });
const intMap = t({ key: "integer", value: "string", min: 0, max: "unlimited" });
const optInt = t({ key: { type: "integer", minInteger: 0, maxInteger: 4095 }, min: 0, max: 1 });
const dir = t({ key: { type: "string", enum: ["set", ["from-lport", "to-lport"]] } });

describe("decodeValue / encodeValue", () => {
  it.each([
    ["a scalar string is itself", str, "ls1", "ls1"],
    ["an empty optional is null", optStr, ["set", []], null],
    ["an optional holding one value is that value", optStr, "x", "x"],
    ["an optional given as a set of one is that value", optStr, ["set", ["x"]], "x"],
    ["a set of strings is an array", strSet, ["set", ["a", "b"]], ["a", "b"]],
    ["a set of one may come as the bare atom", strSet, "a", ["a"]],
    [
      "a set of uuids is an array of bare uuids",
      uuidSet,
      [
        "set",
        [
          ["uuid", "u1"],
          ["uuid", "u2"],
        ],
      ],
      ["u1", "u2"],
    ],
    ["a string map is a record", strMap, ["map", [["k", "v"]]], { k: "v" }],
    ["an integer-keyed map is a record with numeric keys", intMap, ["map", [[7, "v"]]], { 7: "v" }],
    ["an empty optional integer is null", optInt, ["set", []], null],
    ["an enum is its literal", dir, "to-lport", "to-lport"],
  ])("%s", (_n, type, wire, value) => {
    expect(decodeValue(type, wire)).toEqual(value);
  });

  it.each([
    ["a set always goes out as a set", strSet, ["a"], ["set", ["a"]]],
    ["a null optional goes out as the empty set", optStr, null, ["set", []]],
    ["a uuid goes out tagged", uuidSet, ["u1"], ["set", [["uuid", "u1"]]]],
    ["a named reference goes out as named-uuid", uuidSet, [new NamedUuid("row1")], ["set", [["named-uuid", "row1"]]]],
    [
      "a map goes out as pairs",
      strMap,
      { a: "1", b: "2" },
      [
        "map",
        [
          ["a", "1"],
          ["b", "2"],
        ],
      ],
    ],
    ["an integer map key goes out as a number", intMap, { 7: "v" }, ["map", [[7, "v"]]]],
  ])("%s", (_n, type, value, wire) => {
    expect(encodeValue(type, value)).toEqual(wire);
  });

  it.each([
    ["a required string", str, "ls1"],
    ["an empty optional", optStr, null],
    ["a full optional", optStr, "x"],
    ["an empty set", strSet, []],
    ["a set of one", strSet, ["a"]],
    ["a set of several", strSet, ["a", "b", "c"]],
    ["a set of uuids", uuidSet, ["0b8a8c8e-0000-4000-8000-000000000001"]],
    ["an empty map", strMap, {}],
    ["a string map", strMap, { "neutron:port_name": "p1", other: "" }],
    ["an integer-keyed map", intMap, { 1: "a", 4095: "b" }],
    ["an optional integer", optInt, 42],
    ["an enum literal", dir, "from-lport"],
    ["a real", t("real"), 0.25],
    ["a boolean", t("boolean"), true],
  ])("round-trips %s through encode and decode", (_n, type, value) => {
    expect(decodeValue(type, encodeValue(type, value))).toEqual(value);
  });

  it.each([
    ["an atom of the wrong JSON type in a string column", str, 5],
    ["a string in an integer set", t({ key: "integer", min: 0, max: "unlimited" }), ["set", ["1"]]],
    ["a bare string where a uuid belongs", uuidSet, ["set", ["u1"]]],
    ["a set where a map belongs", strMap, ["set", []]],
  ])("refuses to decode %s", (_n, type, wire) => {
    expect(() => decodeValue(type, wire)).toThrow(ValueError);
  });

  it.each([
    ["a value outside the enum", dir, "sideways"],
    ["more elements than the column's max", t({ key: "string", min: 0, max: 2 }), ["a", "b", "c"]],
    ["an empty set where at least one is required", t({ key: "string", min: 1, max: "unlimited" }), []],
    ["an infinite real", t("real"), Number.POSITIVE_INFINITY],
    ["a number for a string column", str, 5],
    ["a fraction for an integer column", optInt, 1.5],
    ["null for a required scalar", str, null],
    ["an array for a map column", strMap, ["a"]],
  ])("refuses to encode %s", (_n, type, value) => {
    expect(() => encodeValue(type, value)).toThrow(ValueError);
  });
});

describe("applyDiff (update2 modify)", () => {
  it.each([
    ["set elements in the diff that were present are removed", strSet, ["a", "b"], ["set", ["b"]], ["a"]],
    ["set elements in the diff that were absent are added", strSet, ["a"], ["set", ["c"]], ["a", "c"]],
    [
      "a map key with the same value in the diff is removed",
      strMap,
      { a: "1", b: "2" },
      ["map", [["a", "1"]]],
      { b: "2" },
    ],
    ["a map key with another value in the diff is replaced", strMap, { a: "1" }, ["map", [["a", "9"]]], { a: "9" }],
    ["a new map key is added", strMap, { a: "1" }, ["map", [["z", "0"]]], { a: "1", z: "0" }],
    ["an optional column takes the new value", optStr, "x", ["set", []], null],
    ["a scalar takes the new value", str, "x", "y", "y"],
    ["an optional going from one value to another takes the new value", optStr, "x", "y", "y"],
    ["an optional that was empty takes the new value", optStr, null, "z", "z"],
    [
      "a set with max 2 is toggled like any set",
      t({ key: "integer", min: 1, max: 2 }),
      [1, 2],
      ["set", [1, 2, 3]],
      [3],
    ],
    ["a set diff given as one bare atom toggles that atom", strSet, ["a", "b"], "a", ["b"]],
    ["a set diff on an empty old value adds everything", strSet, [], ["set", ["a", "b"]], ["a", "b"]],
    [
      "a map diff changes, removes and adds keys in one go (ovsdb-server's own diff)",
      strMap,
      { k: "v", k2: "v2" },
      [
        "map",
        [
          ["k", "w"],
          ["k2", "v2"],
          ["k3", "v3"],
        ],
      ],
      { k: "w", k3: "v3" },
    ],
  ])("%s", (_n, type, old, diff, next) => {
    expect(applyDiff(type, old, diff)).toEqual(next);
  });
});

describe("rows", () => {
  const table = {
    columns: { name: { type: str }, ports: { type: uuidSet }, external_ids: { type: strMap }, tag: { type: optInt } },
  };

  it("fills absent columns with their defaults when decoding a full row", () => {
    expect(decodeRow(table, { name: "n" })).toEqual({ name: "n", ports: [], external_ids: {}, tag: null });
    expect(defaultValue(t("uuid"))).toBe(ZERO_UUID);
    expect(defaultValue(dir)).toBe("from-lport");
  });

  it.each([
    ["a required integer defaults to 0", t("integer"), 0],
    ["a required real defaults to 0", t("real"), 0],
    ["a required boolean defaults to false", t("boolean"), false],
    ["a required string defaults to the empty string", str, ""],
    ["a required uuid defaults to the all-zero uuid", t("uuid"), ZERO_UUID],
    ["an enum defaults to its first value", dir, "from-lport"],
    ["an optional defaults to null", optStr, null],
    ["a set with min 0 defaults to empty", strSet, []],
    ["a set with min 1 defaults to one default atom, as ovsdb-server has it", t({ key: "integer", max: 2 }), [0]],
    ["a map defaults to empty", strMap, {}],
  ])("%s", (_n, type, value) => {
    expect(defaultValue(type)).toEqual(value);
  });

  it("decodes only the columns present in a partial row, ignoring columns the model lacks", () => {
    expect(decodePartial(table, { tag: ["set", [7]], extra: "x", constructor: "y" })).toEqual({ tag: 7 });
  });

  it("encodes a partial row, skipping _uuid and _version", () => {
    expect(encodeRow(table, { _uuid: "x", name: "n", tag: 5 })).toEqual({ name: "n", tag: 5 });
  });

  it("refuses unknown columns all at once, by name", () => {
    expect(() => encodeRow(table, { nme: "n", prts: [], constructor: 1 })).toThrow(
      "unknown column(s): nme, prts, constructor",
    );
  });

  it("names the column whose value is wrong", () => {
    expect(() => encodeRow(table, { tag: "x" })).toThrow(/column tag/);
  });
});
