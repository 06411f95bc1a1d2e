import { describe, expect, it } from "vitest";
import { newImage } from "./model.js";
import { compareBy, parseSort } from "./sort.js";

describe("parseSort", () => {
  it.each([
    ["no sort parameters as created_at desc", {}, [{ key: "created_at", dir: "desc" }]],
    [
      "one sort_dir for every sort_key",
      { sort_key: ["name", "size"], sort_dir: "asc" },
      [
        { key: "name", dir: "asc" },
        { key: "size", dir: "asc" },
      ],
    ],
    [
      "paired sort_key and sort_dir",
      { sort_key: ["name", "size"], sort_dir: ["asc", "desc"] },
      [
        { key: "name", dir: "asc" },
        { key: "size", dir: "desc" },
      ],
    ],
    [
      "the new syntax with desc as the default direction",
      { sort: "name:asc,status" },
      [
        { key: "name", dir: "asc" },
        { key: "status", dir: "desc" },
      ],
    ],
  ])("reads %s", (_what, query, expected) => {
    expect(parseSort(query)).toEqual(expected);
  });

  it.each([
    ["an unknown key", { sort_key: "owner" }, "Invalid sort key: owner. It must be one of the following: name,"],
    ["an unknown direction", { sort: "name:up" }, "Invalid sort direction: up"],
    ["both syntaxes", { sort: "name", sort_key: "size" }, "Old and new sorting syntax cannot be combined"],
    ["two dirs for three keys", { sort_key: ["a", "b", "c"], sort_dir: ["asc", "desc"] }, "Number of sort dirs"],
  ])("refuses %s with bad_request", (_what, query, message) => {
    expect(() => parseSort(query)).toThrow(
      expect.objectContaining({ code: "bad_request", message: expect.stringContaining(message) }),
    );
  });
});

describe("compareBy", () => {
  const img = (id: string, name: string | null, size: number | null) => ({
    ...newImage(id, "2026-01-01T00:00:00.000Z", "p"),
    name,
    size,
  });
  it("puts nulls first ascending, last descending, and breaks ties by id", () => {
    const list = [img("c", "b", 3), img("a", null, null), img("b", "b", 1), img("d", "a", 2)];
    expect([...list].sort(compareBy([{ key: "name", dir: "asc" }])).map((i) => i.id)).toEqual(["a", "d", "b", "c"]);
    expect([...list].sort(compareBy([{ key: "size", dir: "desc" }])).map((i) => i.id)).toEqual(["c", "d", "b", "a"]);
  });
});
