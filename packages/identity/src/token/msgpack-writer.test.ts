import { decode } from "@msgpack/msgpack";
import { describe, expect, it } from "vitest";
import { PyFloat, type PyValue, packPy } from "./msgpack-writer.js";

const hex = (v: PyValue) => Buffer.from(packPy(v)).toString("hex");

describe("packPy writes what Python's msgpack.packb writes", () => {
  it.each([
    ["small integers as positive fixints", 5, "05"],
    ["integers from 128 as uint8", 200, "ccc8"],
    ["integers from 256 as uint16", 1000, "cd03e8"],
    ["integers from 65536 as uint32", 70000, "ce00011170"],
    ["the ec2credential bit 2^32 as uint64", 2 ** 32, "cf0000000100000000"],
    ["small negative integers as negative fixints", -3, "fd"],
    ["a whole-second expiry as float64, not as an integer", new PyFloat(1932703628), "cb41dcccade3000000"],
    ["booleans and nil", [true, false, null], "93c3c2c0"],
    ["text as str", "all", "a3616c6c"],
    ["text of 32 bytes or more as str8", "x".repeat(40), `d928${"78".repeat(40)}`],
    ["bytes as bin8", Uint8Array.of(1, 2), "c4020102"],
  ])("writes %s", (_name, value, expected) => {
    expect(hex(value as PyValue)).toBe(expected);
  });

  it("round-trips nested lists through a standard msgpack decoder", () => {
    const v: PyValue = [2, [true, Uint8Array.of(9)], new PyFloat(1.5), ["a", "b"]];
    expect(decode(packPy(v))).toEqual([2, [true, Uint8Array.of(9)], 1.5, ["a", "b"]]);
  });

  it("refuses a fractional plain number, which must be wrapped as a float", () => {
    expect(() => packPy(1.5)).toThrow(RangeError);
  });
});
