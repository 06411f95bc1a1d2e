import { StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import { checksEqual, referencedRules } from "./check.js";
import { parseListRule, parseRule } from "./parse.js";

describe("parseRule", () => {
  it.each([
    ["an empty rule always allows, as in oslo", "", "@"],
    ["@ always allows", "@", "@"],
    ["! always denies", "!", "!"],
    ["a role check keeps its name as written", "role:Admin", "role:Admin"],
    ["a rule reference names the rule", "rule:admin_required", "rule:admin_required"],
    ["a generic check splits at the first colon only", "role:compute:admin", "role:compute:admin"],
    [
      "a generic check keeps a %(target)s placeholder",
      "project_id:%(target.project.id)s",
      "project_id:%(target.project.id)s",
    ],
    ["a quoted literal key is a generic check", "'Member':%(role.name)s", "'Member':%(role.name)s"],
    ["and binds tighter than or on the right", "role:a or role:b and role:c", "(role:a or (role:b and role:c))"],
    ["and binds tighter than or on the left", "role:a and role:b or role:c", "((role:a and role:b) or role:c)"],
    ["a chain of ors stays one flat or", "role:a or role:b or role:c", "(role:a or role:b or role:c)"],
    ["a chain of ands stays one flat and", "role:a and role:b and role:c", "(role:a and role:b and role:c)"],
    [
      "mixed chains group every and-run",
      "role:a and role:b or role:c and role:d or role:e",
      "((role:a and role:b) or (role:c and role:d) or role:e)",
    ],
    ["not binds tighter than and", "not role:a and role:b", "(not role:a and role:b)"],
    ["not applies to a parenthesized group", "not (role:a or role:b)", "not (role:a or role:b)"],
    ["not can be doubled", "not not role:a", "not not role:a"],
    ["parentheses override precedence", "(role:a or role:b) and role:c", "((role:a or role:b) and role:c)"],
    ["redundant parentheses vanish", "((role:a))", "role:a"],
    [
      "a parenthesized and inside an and stays nested, as oslo builds it",
      "(role:a and role:b) and role:c",
      "((role:a and role:b) and role:c)",
    ],
    ["keywords are case-insensitive", "role:a AND role:b Or NOT role:c", "((role:a and role:b) or not role:c)"],
    [
      "parentheses may touch checks and placeholders keep theirs",
      "(user_id:%(target.user.id)s)",
      "user_id:%(target.user.id)s",
    ],
    ["any whitespace separates tokens", "role:a\n\tor   role:b", "(role:a or role:b)"],
  ])("%s: %j", (_name, text, rendered) => {
    expect(parseRule(text).toString()).toBe(rendered);
  });

  it.each([
    ["a word without a colon is not a check", "role:a or admin", 10, "is not a check"],
    ["a bare True is not a check in oslo either (it fails closed there)", "True", 0, "is not a check"],
    ["a dangling operator ends the rule too early", "role:a and", 10, "ends too early"],
    ["two checks need an operator", "role:a role:b", 7, 'expected "and", "or" or the end'],
    ["an unclosed parenthesis is reported", "(role:a or role:b", 17, "is not closed"],
    ["a stray closing parenthesis is reported", "role:a)", 6, "unbalanced ')'"],
    ["empty parentheses hold no check", "()", 1, "expected a check"],
    ["a quoted string is not a check", "role:a or 'admin'", 10, "quoted string"],
    ["remote http checks are not supported", "http://policy.example/check", 0, "not supported"],
    ["rule: needs a name", "rule:", 5, "needs the name"],
    ["a check needs a kind", ":admin", 0, "needs a kind"],
    ["an empty path segment is rejected", "user..id:%(x)s", 0, "dotted credential path"],
    ["only %(name)s placeholders are supported", "project_id:%(id)d", 11, "placeholders"],
    ["a blank rule is not the empty rule", "   ", 0, "blank"],
    ["an operator cannot start a rule", "or role:a", 0, "expected a check"],
  ])("%s: %j fails at position %i", (_name, text, position, reason) => {
    let error: unknown;
    try {
      parseRule(text, "identity:example");
    } catch (e) {
      error = e;
    }
    expect(StratusError.is(error)).toBe(true);
    const err = error as StratusError;
    expect(err.code).toBe("bad_request");
    expect(err.message).toContain('Policy rule "identity:example"');
    expect(err.message).toContain(reason);
    expect(err.details).toMatchObject({ rule: "identity:example", position });
  });
});

describe("round trip", () => {
  it.each([
    "rule:admin_required or (role:reader and system_scope:all) or token.domain.id:%(target.domain.id)s",
    "(role:admin and system_scope:all) or (role:admin and domain_id:%(target.project.domain_id)s)",
    "not (role:a and not role:b) or @ and !",
    "(role:a and role:b) and (role:c or role:d) or not role:e",
    "True:%(user.enabled)s and None:%(target.role.domain_id)s and 'x':%(a)s%%%(b)s",
    "",
  ])("toString of %j parses back to an equal tree, and renders the same again", (text) => {
    const tree = parseRule(text);
    const again = parseRule(tree.toString());
    expect(checksEqual(tree, again)).toBe(true);
    expect(again.toString()).toBe(tree.toString());
  });

  it("a parsed tree is frozen all the way down", () => {
    const tree = parseRule("role:a or (role:b and not role:c)");
    expect(Object.isFrozen(tree)).toBe(true);
    expect(tree.type === "or" && Object.isFrozen(tree.checks)).toBe(true);
    expect(() => (tree as unknown as { checks: unknown[] }).checks.push(1)).toThrow(TypeError);
  });

  it("referencedRules lists every rule: reference in order", () => {
    expect(referencedRules(parseRule("rule:a or (rule:b and not rule:a)"))).toEqual(["a", "b", "a"]);
  });
});

describe("parseListRule", () => {
  it.each([
    ["an empty list always allows", [], "@"],
    ["a list of empty lists denies", [[]], "!"],
    ["one inner list of one check is that check", [["role:admin"]], "role:admin"],
    ["an inner list is an and", [["role:admin", "system_scope:all"]], "(role:admin and system_scope:all)"],
    ["the outer list is an or", [["role:a"], ["role:b", "role:c"]], "(role:a or (role:b and role:c))"],
    ["a bare string is a one-check list and empty lists are skipped", ["role:a", [], ["role:b"]], "(role:a or role:b)"],
  ])("%s", (_name, rule, rendered) => {
    const tree = parseListRule(rule as string[][]);
    expect(tree.toString()).toBe(rendered);
    expect(checksEqual(parseRule(tree.toString()), tree)).toBe(true);
  });

  it.each([
    ["an item with an operator", [["role:a or role:b"]]],
    ["an item with parentheses", [["(role:a)"]]],
    ["an item without a kind", [["admin"]]],
  ])("rejects %s, naming the rule", (_name, rule) => {
    expect(() => parseListRule(rule, "identity:legacy")).toThrow(/Policy rule "identity:legacy"/);
  });
});
