import { describe, expect, it } from "vitest";
import { checkEventName, checkTarget, compileEventPattern, targetKey } from "./names.js";

describe("bus names", () => {
  it.each([
    ["a star matches exactly one word", "compute.*.create", "compute.instance.create", true],
    ["a star does not match zero words", "compute.*.create", "compute.create", false],
    ["a hash matches zero words", "compute.#", "compute", true],
    ["a hash matches many words", "#.end", "compute.instance.create.end", true],
    ["a lone hash matches everything", "#", "a.b.c", true],
    ["two hashes match around a literal", "#.instance.#", "compute.instance.create.end", true],
    ["a literal pattern matches only itself", "compute.instance", "compute.instance.x", false],
    ["a star and a hash together need at least one word", "*.#", "compute", true],
  ])("%s", (_name, pattern, event, expected) => {
    expect(compileEventPattern(pattern)(event)).toBe(expected);
  });

  it.each([
    ["a topic with a dot is refused", () => checkTarget({ topic: "a.b" })],
    ["a server with a space is refused", () => checkTarget({ topic: "a", server: "b c" })],
    ["an event with a wildcard is refused", () => checkEventName("compute.#")],
    ["a pattern with a partial wildcard is refused", () => compileEventPattern("comp*")],
  ])("%s with bad_request", (_name, attempt) => {
    expect(attempt).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it.each([
    ["a topic alone is its own key", { topic: "compute" }, "compute"],
    [
      "a server is appended after a dot",
      { topic: "compute", server: "host1.example.org" },
      "compute.host1.example.org",
    ],
  ])("%s", (_name, target, key) => {
    expect(targetKey(checkTarget(target))).toBe(key);
  });
});
