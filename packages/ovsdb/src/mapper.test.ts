import { describe, expect, it } from "vitest";
import {
  applyDiff,
  decodeRow,
  decodeValue,
  defaultValue,
  encodeRow,
  encodeValue,
  NamedUuid,
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
    ["a number for a string column", str, 5],
    ["a fraction for an integer column", optInt, 1.5],
    ["null for a required scalar", str, null],
    ["an array for a map column", strMap, ["a"]],
  ])("refuses %s", (_n, type, value) => {
    expect(() => encodeValue(type, value)).toThrow();
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

  it("encodes a partial row, skipping _uuid and _version", () => {
    expect(encodeRow(table, { _uuid: "x", name: "n", tag: 5 })).toEqual({ name: "n", tag: 5 });
  });

  it("refuses unknown columns all at once, by name", () => {
    expect(() => encodeRow(table, { nme: "n", prts: [] })).toThrow("unknown column(s): nme, prts");
  });

  it("names the column whose value is wrong", () => {
    expect(() => encodeRow(table, { tag: "x" })).toThrow(/column tag/);
  });
});
