import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, apiFixture, BASE } from "../../../test/assignment/api-fixture.js";
import { AllowAllAuthorizer, DenyAllAuthorizer } from "../../testing.js";

describe("the roles, grants and role assignments API", () => {
  let t: ApiFixture;
  const authorizer = new AllowAllAuthorizer();
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await apiFixture(authorizer);
    t.identity.addUser("u1", "alice");
    t.identity.addGroup("g1", "devs");
    t.identity.addMember("g1", "u1");
    for (const name of ["admin", "member", "reader"]) {
      const res = await t.call("POST", "/v3/roles", { role: { name } });
      ids[name] = res.body.role.id;
    }
    ids["parent"] = (await t.call("POST", "/v3/projects", { project: { name: "parent" } })).body.project.id;
    ids["child"] = (
      await t.call("POST", "/v3/projects", { project: { name: "child", parent_id: ids["parent"] } })
    ).body.project.id;
  });
  afterAll(() => t.close());

  it("creates roles with Keystone's wire format and refuses duplicates with 409", async () => {
    const role = (await t.call("GET", `/v3/roles/${ids["admin"]}`)).body.role;
    expect(role).toEqual({
      id: ids["admin"],
      name: "admin",
      domain_id: null,
      description: null,
      options: {},
      links: { self: `${BASE}/v3/roles/${ids["admin"]}` },
    });
    expect(await t.call("POST", "/v3/roles", { role: { name: "admin" } })).toEqual({
      status: 409,
      body: {
        error: {
          code: 409,
          title: "Conflict",
          message: "Conflict occurred attempting to store role - Duplicate entry found with name admin.",
        },
      },
    });
    expect((await t.call("GET", "/v3/roles/nope")).body.error.message).toBe("Could not find role: nope.");
  });

  it("creates, shows and lists implied roles", async () => {
    const put = await t.call("PUT", `/v3/roles/${ids["admin"]}/implies/${ids["member"]}`);
    expect(put.status).toBe(201);
    expect(put.body.role_inference.implies).toEqual({
      id: ids["member"],
      links: { self: `${BASE}/v3/roles/${ids["member"]}` },
      name: "member",
    });
    await t.call("PUT", `/v3/roles/${ids["member"]}/implies/${ids["reader"]}`);
    expect((await t.call("HEAD", `/v3/roles/${ids["admin"]}/implies/${ids["member"]}`)).status).toBe(204);
    expect((await t.call("GET", `/v3/roles/${ids["reader"]}/implies/${ids["admin"]}`)).body.error.message).toBe(
      `${ids["reader"]} does not imply ${ids["admin"]}.`,
    );
    expect((await t.call("PUT", `/v3/roles/${ids["member"]}/implies/${ids["admin"]}`)).status).toBe(403);
    const inferences = (await t.call("GET", "/v3/role_inferences")).body.role_inferences;
    expect(inferences).toHaveLength(2);
  });

  it.each([
    ["a user on a project", () => `/v3/projects/${ids["parent"]}/users/u1/roles/${ids["reader"]}`],
    ["a group on a domain", () => `/v3/domains/default/groups/g1/roles/${ids["reader"]}`],
    ["a user on the system", () => `/v3/system/users/u1/roles/${ids["reader"]}`],
    [
      "an inherited group grant on a domain",
      () => `/v3/OS-INHERIT/domains/default/groups/g1/roles/${ids["reader"]}/inherited_to_projects`,
    ],
  ])("grants, checks and revokes a role for %s", async (_n, url) => {
    expect((await t.call("HEAD", url())).status).toBe(404);
    expect((await t.call("PUT", url())).status).toBe(204);
    expect((await t.call("PUT", url())).status).toBe(204);
    expect((await t.call("GET", url())).status).toBe(204);
    expect((await t.call("DELETE", url())).status).toBe(204);
    expect((await t.call("DELETE", url())).status).toBe(404);
  });

  it.each([
    [
      "an unknown user",
      () => `/v3/projects/${ids["parent"]}/users/nobody/roles/${ids["reader"]}`,
      "Could not find user: nobody.",
    ],
    [
      "an unknown group",
      () => `/v3/domains/default/groups/nogroup/roles/${ids["reader"]}`,
      "Could not find group: nogroup.",
    ],
    ["an unknown project", () => `/v3/projects/nope/users/u1/roles/${ids["reader"]}`, "Could not find project: nope."],
    ["an unknown role", () => `/v3/projects/${ids["parent"]}/users/u1/roles/nope`, "Could not find role: nope."],
  ])("answers a grant naming %s with 404", async (_n, url, message) => {
    const res = await t.call("PUT", url());
    expect(res).toEqual({ status: 404, body: { error: { code: 404, title: "Not Found", message } } });
  });

  it("lists grants and the direct role assignments", async () => {
    await t.call("PUT", `/v3/projects/${ids["parent"]}/users/u1/roles/${ids["admin"]}`);
    await t.call(
      "PUT",
      `/v3/OS-INHERIT/projects/${ids["parent"]}/groups/g1/roles/${ids["member"]}/inherited_to_projects`,
    );
    const grants = await t.call("GET", `/v3/projects/${ids["parent"]}/users/u1/roles`);
    expect(grants.body.roles.map((r: { name: string }) => r.name)).toEqual(["admin"]);
    expect(grants.body.links.self).toBe(`${BASE}/v3/projects/${ids["parent"]}/users/u1/roles`);
    const direct = await t.call("GET", `/v3/role_assignments?scope.project.id=${ids["parent"]}`);
    expect(direct.body.role_assignments).toEqual([
      {
        scope: { project: { id: ids["parent"] }, "OS-INHERIT:inherited_to": "projects" },
        group: { id: "g1" },
        role: { id: ids["member"] },
        links: {
          assignment: `${BASE}/v3/OS-INHERIT/projects/${ids["parent"]}/groups/g1/roles/${ids["member"]}/inherited_to_projects`,
        },
      },
      {
        scope: { project: { id: ids["parent"] } },
        user: { id: "u1" },
        role: { id: ids["admin"] },
        links: { assignment: `${BASE}/v3/projects/${ids["parent"]}/users/u1/roles/${ids["admin"]}` },
      },
    ]);
  });

  it("expands groups, inheritance and implied roles in the effective list", async () => {
    const res = await t.call(
      "GET",
      `/v3/role_assignments?effective&user.id=u1&scope.project.id=${ids["child"]}&include_names`,
    );
    const rows = res.body.role_assignments.map((a: { role: { name: string }; links: Record<string, string> }) => [
      a.role.name,
      a.links["assignment"],
      a.links["membership"] ?? null,
    ]);
    expect(rows).toEqual([
      [
        "member",
        `${BASE}/v3/OS-INHERIT/projects/${ids["parent"]}/groups/g1/roles/${ids["member"]}/inherited_to_projects`,
        `${BASE}/v3/groups/g1/users/u1`,
      ],
      [
        "reader",
        `${BASE}/v3/OS-INHERIT/projects/${ids["parent"]}/groups/g1/roles/${ids["member"]}/inherited_to_projects`,
        `${BASE}/v3/groups/g1/users/u1`,
      ],
    ]);
    expect(res.body.role_assignments[1].links.prior_role).toBe(
      `${BASE}/v3/prior_role/${ids["reader"]}/implies/${ids["member"]}`,
    );
    expect(res.body.role_assignments[0].scope).toEqual({
      project: { id: ids["child"], name: "child", domain: { id: "default", name: "Default" } },
      "OS-INHERIT:inherited_to": "projects",
    });
    expect(res.body.role_assignments[0].user).toEqual({
      id: "u1",
      name: "alice",
      domain: { id: "default", name: "Default" },
    });
    const roles = await t.assignments.effectiveRoles({ userId: "u1", scope: { projectId: ids["child"] ?? "" } });
    expect(roles.map((r) => r.name)).toEqual(["member", "reader"]);
    const onParent = await t.assignments.effectiveRoles({ userId: "u1", scope: { projectId: ids["parent"] ?? "" } });
    expect(onParent.map((r) => r.name)).toEqual(["admin", "member", "reader"]);
  });

  it.each([
    [
      "effective with a group filter",
      "effective&group.id=g1",
      "Combining effective and group filter will always result in an empty list.",
    ],
    ["a domain and a project", "scope.domain.id=default&scope.project.id=x", "Specify a domain or project, not both"],
    ["a user and a group", "user.id=u1&group.id=g1", "Specify a user or group, not both"],
    [
      "a subtree without a project",
      "include_subtree",
      "scope.project.id must be specified if include_subtree is also specified",
    ],
  ])("rejects %s with 400", async (_n, query, message) => {
    const res = await t.call("GET", `/v3/role_assignments?${query}`);
    expect(res).toEqual({ status: 400, body: { error: { code: 400, title: "Bad Request", message } } });
  });

  it("deletes a role with its assignments", async () => {
    const role = (await t.call("POST", "/v3/roles", { role: { name: "temp" } })).body.role;
    await t.call("PUT", `/v3/projects/${ids["parent"]}/users/u1/roles/${role.id}`);
    expect((await t.call("DELETE", `/v3/roles/${role.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v3/role_assignments?role.id=${role.id}`)).body.role_assignments).toEqual([]);
  });
});

describe("the assignment API without permission", () => {
  let t: ApiFixture;
  beforeAll(async () => {
    t = await apiFixture(new DenyAllAuthorizer());
  });
  afterAll(() => t.close());

  it("answers 403 on a role create", async () => {
    const res = await t.call("POST", "/v3/roles", { role: { name: "x" } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "You are not authorized to perform the requested action: identity:create_role.",
    );
  });
});
