import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestContext } from "@stratus/core/http";
import { describe, expect, it } from "vitest";
import { credentialsOf, tokenScopeOf } from "./credentials.js";
import { PolicyEnforcer } from "./enforcer.js";
import { loadPolicyFile } from "./policy-file.js";

const context = (facts: Partial<RequestContext>): RequestContext => ({
  userId: "u1",
  projectId: null,
  domainId: null,
  roles: [],
  systemScope: null,
  isAdmin: false,
  requestId: "req-1",
  globalRequestId: null,
  authToken: "tok",
  ...facts,
});

describe("credentialsOf", () => {
  it("maps a project-scoped context to oslo's policy values and Keystone's token", () => {
    const creds = credentialsOf(
      context({ projectId: "p1", projectDomainId: "d1", userDomainId: "d0", roles: ["Member"], isAdminProject: true }),
    );
    expect(creds).toEqual({
      user_id: "u1",
      user_domain_id: "d0",
      project_id: "p1",
      project_domain_id: "d1",
      domain_id: null,
      system_scope: null,
      roles: ["member"],
      is_admin_project: true,
      token: {
        user: { id: "u1", domain: { id: "d0" } },
        roles: [{ name: "member" }],
        project: { id: "p1", domain: { id: "d1" } },
      },
    });
  });

  it.each([
    [
      "a system-scoped context is system scope",
      { systemScope: "all" as const, roles: ["admin"] },
      "system",
      { all: true },
    ],
    ["a domain-scoped context is domain scope", { domainId: "d1" }, "domain", undefined],
    ["a project-scoped context is project scope", { projectId: "p1" }, "project", undefined],
    [
      "a project context whose domainId is the project's domain is still project scope",
      { projectId: "p1", domainId: "d1" },
      "project",
      undefined,
    ],
  ])("%s", (_name, facts, scope, system) => {
    const creds = credentialsOf(context(facts));
    expect(tokenScopeOf(creds)).toBe(scope);
    expect((creds["token"] as { system?: unknown }).system).toEqual(system);
  });

  it("takes the project's domain from domainId when projectDomainId is absent, and leaves domain_id empty", () => {
    const creds = credentialsOf(context({ projectId: "p1", domainId: "d1" }));
    expect(creds.project_domain_id).toBe("d1");
    expect(creds.domain_id).toBeNull();
  });

  it("defaults is_admin_project to false and user_domain_id to null", () => {
    const creds = credentialsOf(context({ projectId: "p1" }));
    expect(creds.is_admin_project).toBe(false);
    expect(creds.user_domain_id).toBeNull();
  });

  it("is what the enforcer's credentialsOf returns", () => {
    const ctx = context({ systemScope: "all", roles: ["reader"] });
    expect(new PolicyEnforcer({ onWarning: () => {} }).credentialsOf(ctx)).toEqual(credentialsOf(ctx));
  });
});

describe("policy files on disk", () => {
  it("loads a YAML file and builds an enforcer from it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "stratus-policy-"));
    const path = join(dir, "policy.yaml");
    await writeFile(path, '# operators\n"identity:list_projects": "role:auditor"\n');
    expect(await loadPolicyFile(path)).toEqual({ "identity:list_projects": "role:auditor" });
    const enforcer = await PolicyEnforcer.fromFile(path, { onWarning: () => {} });
    const auditor = credentialsOf(context({ projectId: "p1", roles: ["Auditor"] }));
    expect(enforcer.allows("identity:list_projects", auditor)).toBe(true);
  });

  it("a missing file is a bad_request naming the path", async () => {
    await expect(loadPolicyFile("/nonexistent/policy.yaml")).rejects.toMatchObject({
      code: "bad_request",
      message: expect.stringContaining("/nonexistent/policy.yaml"),
    });
  });
});
