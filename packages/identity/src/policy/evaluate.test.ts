import { describe, expect, it } from "vitest";
import type { PolicyCredentials } from "../ports.js";
import { type CompiledCheck, compileCheck, type PolicyTarget } from "./evaluate.js";
import { parseRule } from "./parse.js";
import { pyLiteral, pyStr } from "./python-values.js";

const base: PolicyCredentials = {
  user_id: "u1",
  user_domain_id: "d1",
  project_id: "p1",
  project_domain_id: "d1",
  domain_id: null,
  system_scope: null,
  roles: ["Member", "reader"],
  is_admin_project: false,
};

const noRules = (name: string): CompiledCheck => {
  throw new Error(`unexpected rule:${name}`);
};
const holds = (rule: string, target: PolicyTarget, creds: Partial<PolicyCredentials> = {}): boolean =>
  compileCheck(parseRule(rule), noRules)(target, { ...base, ...creds });

describe("checks against targets and credentials", () => {
  it.each([
    ["a role check ignores case on both sides", "role:MEMBER", {}, {}, true],
    ["a role check fails for a role the caller lacks", "role:admin", {}, {}, false],
    ["a role check may take its role from the target", "role:%(wanted)s", { wanted: "Reader" }, {}, true],
    ["a role check with a missing placeholder fails (oslo's KeyError)", "role:%(wanted)s", {}, {}, false],
    ["credentials without roles hold no role", "role:reader", {}, { roles: undefined as never }, false],
    [
      "a flat target key matches a credential",
      "project_id:%(target.project.id)s",
      { "target.project.id": "p1" },
      {},
      true,
    ],
    [
      "a flat target key of another project does not",
      "project_id:%(target.project.id)s",
      { "target.project.id": "p2" },
      {},
      false,
    ],
    [
      "a nested target is walked by the placeholder's dotted path",
      "project_id:%(target.project.id)s",
      { target: { project: { id: "p1" } } },
      {},
      true,
    ],
    [
      "the flat key wins over a nested one",
      "project_id:%(target.project.id)s",
      { "target.project.id": "p2", target: { project: { id: "p1" } } },
      {},
      false,
    ],
    [
      "a nested path that runs into a list fails",
      "project_id:%(target.project.id)s",
      { target: [{ project: { id: "p1" } }] },
      {},
      false,
    ],
    ["a missing placeholder key fails", "project_id:%(target.project.id)s", {}, {}, false],
    ["not of a missing placeholder holds, as in oslo", "not project_id:%(target.project.id)s", {}, {}, true],
    ["a constant match compares with the credential", "system_scope:all", {}, { system_scope: "all" }, true],
    ["a null credential renders as None", "domain_id:None", {}, {}, true],
    ["a null target value renders as None", "domain_id:%(target.domain_id)s", { "target.domain_id": null }, {}, true],
    ["a true credential renders as True", "is_admin_project:True", {}, { is_admin_project: true }, true],
    [
      "a true credential is not 1 (Keystone's is_admin:1 needs the integer)",
      "is_admin:1",
      {},
      { is_admin: true },
      false,
    ],
    ["an integer credential 1 matches is_admin:1", "is_admin:1", {}, { is_admin: 1 }, true],
    ["a missing credential fails", "nonexistent:x", {}, {}, false],
    [
      "a dotted path walks nested credentials",
      "token.project.domain.id:%(target.domain.id)s",
      { "target.domain.id": "d1" },
      { token: { project: { domain: { id: "d1" } } } },
      true,
    ],
    [
      "a path through a list matches any element",
      "token.roles.name:admin",
      {},
      { token: { roles: [{ name: "reader" }, { name: "admin" }] } },
      true,
    ],
    ["a path ending in a list compares each element", "groups:g2", {}, { groups: ["g1", "g2"] }, true],
    ["a path through a string fails instead of raising", "user_id.x:u1", {}, {}, false],
    ["the legacy system key falls back to system_scope", "system:all", {}, { system_scope: "all" }, true],
    [
      "a quoted literal compares with the rendered target",
      "'Member':%(role.name)s",
      { "role.name": "Member" },
      {},
      true,
    ],
    ["a quoted literal is case-sensitive", "'Member':%(role.name)s", { "role.name": "member" }, {}, false],
    ["a True literal matches a true target value", "True:%(user.enabled)s", { "user.enabled": true }, {}, true],
    ["a True literal does not match a false one", "True:%(user.enabled)s", { "user.enabled": false }, {}, false],
    [
      "a None literal matches a null target value",
      "None:%(target.role.domain_id)s",
      { "target.role.domain_id": null },
      {},
      true,
    ],
    ["a None literal does not match an absent key", "None:%(target.role.domain_id)s", {}, {}, false],
    ["an integer literal matches a number", "42:%(size)s", { size: 42 }, {}, true],
    ["several placeholders and %% render together", "'p1%d1':%(a)s%%%(b)s", { a: "p1", b: "d1" }, {}, true],
    ["a number target renders as Python does", "user_id:%(n)s", { n: 7 }, { user_id: "7" }, true],
    ["and stops at the first denial", "role:reader and role:admin", {}, {}, false],
    ["or allows on the first match", "role:admin or role:reader", {}, {}, true],
  ] as const)("%s", (_name, rule, target, creds, expected) => {
    expect(holds(rule, target as PolicyTarget, creds as Partial<PolicyCredentials>)).toBe(expected);
  });

  it("rule references go through the resolver", () => {
    const compiled = compileCheck(parseRule("rule:x and role:reader"), (name) => () => name === "x");
    expect(compiled({}, base)).toBe(true);
  });
});

describe("Python values", () => {
  it.each([
    ["a string is itself", "abc", "abc"],
    ["true is True", true, "True"],
    ["false is False", false, "False"],
    ["null is None", null, "None"],
    ["an integer is its digits", 12, "12"],
    ["a list is its repr", ["a", 1, null], "['a', 1, None]"],
    ["a dict is its repr", { a: true }, "{'a': True}"],
  ])("str() of %s", (_name, value, expected) => {
    expect(pyStr(value)).toBe(expected);
  });

  it.each([
    ["a single-quoted string", "'Member'", "Member"],
    ["a double-quoted string", '"Member"', "Member"],
    ["True", "True", "True"],
    ["None", "None", "None"],
    ["an integer with a sign", "+007", "7"],
    ["a decimal", "1.50", "1.5"],
    ["a whole decimal keeps its .0", "2.", "2.0"],
    ["a name is a path, not a literal", "user_id", undefined],
    ["a dotted path is not a literal", "token.user.id", undefined],
  ])("literal_eval of %s", (_name, key, expected) => {
    expect(pyLiteral(key)).toBe(expected);
  });
});
