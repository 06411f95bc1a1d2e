import { describe, expect, it } from "vitest";
import { indexChildren, parentsAsIds, parentsOf, subtreeAsIds, subtreeOf } from "./hierarchy.js";
import { Listeners } from "./listeners.js";
import type { Project } from "./model.js";
import { matchesTags } from "./tags.js";

const p = (id: string, parentId: string | null): Project => ({
  id,
  name: id,
  domainId: parentId === null ? null : "d",
  description: "",
  enabled: true,
  parentId,
  isDomain: parentId === null,
  tags: [],
  extra: {},
});
const FOREST = [p("d", null), p("a", "d"), p("b", "a"), p("c", "b"), p("e", "a")];
const byId = new Map(FOREST.map((x) => [x.id, x]));

describe("project hierarchy", () => {
  it.each([
    ["a leaf lists its parents nearest first, ending with the domain", "c", ["b", "a", "d"]],
    ["a top-level project has only its domain as parent", "a", ["d"]],
    ["a domain has no parents", "d", []],
  ])("%s", (_n, id, expected) => {
    expect(parentsOf(byId.get(id)!, byId).map((x) => x.id)).toEqual(expected);
  });

  it("walks a subtree breadth first and shapes the *_as_ids trees as Keystone does", () => {
    const subtree = subtreeOf("a", indexChildren(FOREST));
    expect(subtree.map((x) => x.id)).toEqual(["b", "e", "c"]);
    expect(subtreeAsIds("a", subtree)).toEqual({ b: { c: null }, e: null });
    expect(parentsAsIds(parentsOf(byId.get("c")!, byId))).toEqual({ b: { a: { d: null } } });
    expect(subtreeAsIds("c", [])).toBeNull();
  });
});

describe("project tag filters", () => {
  it.each([
    ["tags needs every tag", ["x", "y"], { tags: "x,y" }, true],
    ["tags fails when one is missing", ["x"], { tags: "x,y" }, false],
    ["tags-any needs one of them", ["y"], { tagsAny: "x,y" }, true],
    ["not-tags drops projects with all of them", ["x", "y"], { notTags: "x,y" }, false],
    ["not-tags keeps projects with only some", ["x"], { notTags: "x,y" }, true],
    ["not-tags-any drops projects with any of them", ["y"], { notTagsAny: "x,y" }, false],
  ])("%s", (_n, tags, filter, expected) => {
    expect(matchesTags(tags, filter)).toBe(expected);
  });
});

describe("listener lists", () => {
  it("runs every listener even when one throws, then rethrows the first error", async () => {
    const events = new Listeners<{ ping: number }>();
    const seen: number[] = [];
    events.on("ping", () => {
      throw new Error("first");
    });
    const off = events.on("ping", (n) => {
      seen.push(n);
    });
    await expect(events.emit("ping", 1)).rejects.toThrow("first");
    off();
    await expect(events.emit("ping", 2)).rejects.toThrow("first");
    expect(seen).toEqual([1]);
  });
});
