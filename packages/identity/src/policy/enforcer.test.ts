import { StratusError } from "@stratus/core/errors";
import type { RequestContext } from "@stratus/core/http";
import { describe, expect, it } from "vitest";
import type { PolicyCredentials } from "../ports.js";
import { credentialsOf } from "./credentials.js";
import { PolicyEnforcer } from "./enforcer.js";
import type { PolicyTarget } from "./evaluate.js";
import type { PolicyWarning } from "./rule-set.js";

function persona(facts: Partial<RequestContext>): PolicyCredentials {
  return credentialsOf({
    userId: "u1",
    projectId: null,
    domainId: null,
    roles: [],
    systemScope: null,
    isAdmin: false,
    requestId: "req-1",
    globalRequestId: null,
    authToken: "tok",
    userDomainId: "d1",
    ...facts,
  });
}

const ADMIN = ["admin", "member", "reader"];
const MEMBER = ["member", "reader"];
const systemAdmin = persona({ systemScope: "all", roles: ADMIN });
const systemReader = persona({ systemScope: "all", roles: ["reader"] });
const domainAdmin = persona({ domainId: "d1", roles: ADMIN });
const domainReader = persona({ domainId: "d1", roles: ["reader"] });
const projectAdminA = persona({ projectId: "pA", projectDomainId: "d1", roles: ADMIN });
const memberA = persona({ projectId: "pA", projectDomainId: "d1", roles: MEMBER });
const readerA = persona({ projectId: "pA", projectDomainId: "d1", roles: ["reader"] });

const projectA = { "target.project.id": "pA", "target.project.domain_id": "d1" };
const projectB = { "target.project.id": "pB", "target.project.domain_id": "d2" };
const domain1 = { "target.domain_id": "d1", "target.domain.id": "d1" };
const domain2 = { "target.domain_id": "d2", "target.domain.id": "d2" };

const quiet = () => {};
const keystone = new PolicyEnforcer({ onWarning: quiet });
const newDefaults = new PolicyEnforcer({ enforceNewDefaults: true, enforceScope: true, onWarning: quiet });

describe("Keystone's personas under the shipped defaults (enforce_scope and enforce_new_defaults off)", () => {
  it.each([
    ["a system admin may create a project", systemAdmin, "identity:create_project", {}, true],
    ["a system reader may list projects", systemReader, "identity:list_projects", {}, true],
    ["a system reader may not create a project", systemReader, "identity:create_project", {}, false],
    ["a project member of A may get project A", memberA, "identity:get_project", projectA, true],
    ["a project member of A may not get project B", memberA, "identity:get_project", projectB, false],
    ["a project reader of A may not create a user", readerA, "identity:create_user", {}, false],
    ["a domain reader may list the users of its domain", domainReader, "identity:list_users", domain1, true],
    ["a domain reader may not list the users of another domain", domainReader, "identity:list_users", domain2, false],
    ["a domain reader may get a project in its domain", domainReader, "identity:get_project", projectA, true],
    ["a domain reader may not get a project in another domain", domainReader, "identity:get_project", projectB, false],
    [
      "a domain reader may get its own domain through token.domain.id",
      domainReader,
      "identity:get_domain",
      domain1,
      true,
    ],
    [
      "a project member may get its project's domain through token.project.domain.id",
      memberA,
      "identity:get_domain",
      domain1,
      true,
    ],
    ["a project member may not get another domain", memberA, "identity:get_domain", domain2, false],
    [
      "a domain admin holds role:admin, so admin_required lets it create users",
      domainAdmin,
      "identity:create_user",
      {},
      true,
    ],
    [
      "a project admin of A may get project B through the deprecated rule:admin_required",
      projectAdminA,
      "identity:get_project",
      projectB,
      true,
    ],
    ["anyone may get a region (an empty check string)", readerA, "identity:get_region", {}, true],
    [
      "a member may list role assignments of no domain only as an admin",
      memberA,
      "identity:list_role_assignments",
      { "target.domain_id": null },
      false,
    ],
  ])("%s", (_name, creds, rule, target, expected) => {
    expect(keystone.allows(rule, creds, target as PolicyTarget)).toBe(expected);
    if (expected) expect(() => keystone.enforce(rule, creds, target as PolicyTarget)).not.toThrow();
    else expect(() => keystone.enforce(rule, creds, target as PolicyTarget)).toThrow(StratusError);
  });
});

describe("with enforce_new_defaults and enforce_scope on", () => {
  it.each([
    ["a project admin of A may no longer get project B", projectAdminA, "identity:get_project", projectB, false],
    ["a project admin of A may still get project A", projectAdminA, "identity:get_project", projectA, true],
    [
      "a domain admin may not create a region (scope_types are system and project)",
      domainAdmin,
      "identity:create_region",
      {},
      false,
    ],
    ["a system admin may create a region", systemAdmin, "identity:create_region", {}, true],
  ])("%s", (_name, creds, rule, target, expected) => {
    expect(newDefaults.allows(rule, creds, target as PolicyTarget)).toBe(expected);
  });
});

describe("errors", () => {
  it("a denial is forbidden with Keystone's ForbiddenAction message", () => {
    const error = catchError(() => keystone.enforce("identity:get_project", memberA, projectB));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("You are not authorized to perform the requested action: identity:get_project.");
    expect(error.details).toEqual({ action: "identity:get_project" });
  });

  it("an unknown rule is internal, never a silent deny", () => {
    const error = catchError(() => keystone.enforce("identity:get_projcet", systemAdmin, {}));
    expect(error.code).toBe("internal");
    expect(error.message).toContain("identity:get_projcet");
    expect(() => keystone.allows("identity:nope", systemAdmin)).toThrow(/not registered/);
  });

  it("a wrong scope with enforce_scope is forbidden, with oslo's InvalidScope text as the cause", () => {
    const error = catchError(() => newDefaults.enforce("identity:create_region", domainAdmin, {}));
    expect(error.code).toBe("forbidden");
    expect(error.message).toBe("You are not authorized to perform the requested action: identity:create_region.");
    expect(String((error.cause as Error).message)).toBe(
      `"identity:create_region": "rule:admin_required" requires a scope of ['system', 'project'], request was made with domain scope.`,
    );
  });

  it("a wrong scope without enforce_scope is allowed with a warning", () => {
    const warnings: PolicyWarning[] = [];
    const lax = new PolicyEnforcer({ onWarning: (w) => warnings.push(w) });
    warnings.length = 0;
    expect(() => lax.enforce("identity:create_region", domainAdmin, {})).not.toThrow();
    expect(warnings).toEqual([
      expect.objectContaining({
        kind: "scope_mismatch",
        rule: "identity:create_region",
        message: expect.stringContaining("domain scoped"),
      }),
    ]);
  });
});

describe("policy overrides", () => {
  it.each([
    [
      "a YAML override replaces a default",
      'identity:create_project: "role:reader"\n',
      readerA,
      "identity:create_project",
      true,
    ],
    [
      "a JSON override replaces a default",
      '{"identity:list_projects": "!"}',
      systemAdmin,
      "identity:list_projects",
      false,
    ],
    [
      "an override may use the list-of-lists form",
      '{"identity:create_user": [["role:member", "project_id:pA"]]}',
      memberA,
      "identity:create_user",
      true,
    ],
    [
      "an override may define and reference its own alias",
      "cloud_admin: role:admin and system_scope:all\nidentity:create_domain: rule:cloud_admin\n",
      domainAdmin,
      "identity:create_domain",
      false,
    ],
    [
      "an overridden rule is not OR-ed with its deprecated check",
      'identity:get_project: "project_id:%(target.project.id)s"\n',
      projectAdminA,
      "identity:get_project",
      false,
    ],
  ])("%s", (_name, text, creds, rule, expected) => {
    const enforcer = new PolicyEnforcer({ overrides: text, onWarning: quiet });
    expect(enforcer.allows(rule, creds, projectB)).toBe(expected);
  });

  it.each([
    [
      "an unparsable rule names the rule and position",
      'identity:get_project: "role:reader or"\n',
      /Policy rule "identity:get_project" is invalid at position 14/,
    ],
    [
      "a reference to a missing rule fails at load",
      'identity:get_project: "rule:no_such_rule"\n',
      /"identity:get_project" references rule:no_such_rule, which is not defined/,
    ],
    ["rules that refer to each other fail at load", "a: rule:b\nb: rule:a\n", /cycle: a -> b -> a/],
    [
      "a rule of the wrong type names the rule",
      "identity:get_project: 42\n",
      /identity:get_project: a rule must be a string/,
    ],
    ["a YAML syntax error is reported", "identity:get_project: [\n", /Invalid policy file/],
    ["a duplicate key is reported", "a: '@'\na: '!'\n", /Invalid policy file/],
  ])("%s", (_name, text, message) => {
    const error = catchError(() => new PolicyEnforcer({ overrides: text, onWarning: quiet }));
    expect(error.code).toBe("bad_request");
    expect(error.message).toMatch(message);
  });

  it("an empty policy file overrides nothing", () => {
    expect(new PolicyEnforcer({ overrides: "", onWarning: quiet }).ruleOf("identity:get_project")?.toString()).toBe(
      keystone.ruleOf("identity:get_project")?.toString(),
    );
  });
});

describe("deprecated rules (oslo's _handle_deprecated_rule)", () => {
  const defaults = [
    {
      name: "svc:new",
      checkStr: "role:new",
      scopeTypes: [],
      description: "",
      deprecatedRule: { name: "svc:old", checkStr: "role:old", reason: "renamed", since: "Z" },
      deprecatedForRemoval: false,
    },
  ];

  it.each([
    ["without enforce_new_defaults the old and new checks are OR-ed", {}, "(role:new or role:old)"],
    ["with enforce_new_defaults only the new check applies", { enforceNewDefaults: true }, "role:new"],
    [
      "an operator's override of the old name carries over to the new rule",
      { overrides: "svc:old: role:custom\n" },
      "role:custom",
    ],
    [
      "an override of the old name that points at the new rule does not",
      { overrides: "svc:old: rule:svc:new\n" },
      "(role:new or role:old)",
    ],
  ])("%s", (_name, options, rendered) => {
    const warnings: PolicyWarning[] = [];
    const enforcer = new PolicyEnforcer({ defaults, ...options, onWarning: (w) => warnings.push(w) });
    expect(enforcer.ruleOf("svc:new")?.toString()).toBe(rendered);
  });

  it("Keystone's get_project is the new check OR-ed with the deprecated one by default", () => {
    expect(keystone.ruleOf("identity:get_project")?.toString()).toBe(
      "(((role:reader and system_scope:all) or (role:reader and domain_id:%(target.project.domain_id)s) or project_id:%(target.project.id)s) or (rule:admin_required or project_id:%(target.project.id)s))",
    );
  });
});

function catchError(fn: () => unknown): StratusError {
  try {
    fn();
  } catch (e) {
    if (StratusError.is(e)) return e;
    throw e;
  }
  throw new Error("expected an error");
}
