import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiFixture, apiFixture, BASE } from "../../../test/assignment/api-fixture.js";
import { AllowAllAuthorizer, DenyAllAuthorizer } from "../../testing.js";

describe("the domains and projects API", () => {
  let t: ApiFixture;
  const authorizer = new AllowAllAuthorizer();
  beforeAll(async () => {
    t = await apiFixture(authorizer);
  });
  afterAll(() => t.close());

  it("shows the default domain as Keystone does", async () => {
    const res = await t.call("GET", "/v3/domains/default");
    expect(res).toEqual({
      status: 200,
      body: {
        domain: {
          id: "default",
          name: "Default",
          description: "The default domain",
          enabled: true,
          tags: [],
          options: {},
          links: { self: `${BASE}/v3/domains/default` },
        },
      },
    });
    expect(authorizer.asked.at(-1)?.rule).toBe("identity:get_domain");
    expect(authorizer.asked.at(-1)?.target?.["target.domain.id"]).toBe("default");
  });

  it("creates a project in the default domain with Keystone's wire format", async () => {
    const res = await t.call("POST", "/v3/projects", { project: { name: "demo", tags: ["x"], color: "blue" } });
    expect(res.status).toBe(201);
    expect(res.body.project).toMatchObject({
      name: "demo",
      domain_id: "default",
      parent_id: "default",
      description: "",
      enabled: true,
      is_domain: false,
      tags: ["x"],
      options: {},
      color: "blue",
    });
    expect(res.body.project.links.self).toBe(`${BASE}/v3/projects/${res.body.project.id}`);
    expect(authorizer.asked.at(-1)).toMatchObject({
      rule: "identity:create_project",
      target: { "target.project.name": "demo" },
    });
  });

  it.each([
    ["a missing name", { project: {} }, "'name' is a required property"],
    ["a name of the wrong type", { project: { name: 1 } }, "Invalid input for field 'name': 1 is not of type 'string'"],
    [
      "a name that is too long",
      { project: { name: "x".repeat(65) } },
      `Invalid input for field 'name': '${"x".repeat(65)}' is too long`,
    ],
    ["a blank name", { project: { name: "   " } }, "Invalid input for field 'name': '   ' does not match '[\\\\S]+'"],
    [
      "a non-boolean enabled",
      { project: { name: "a", enabled: "yes" } },
      "Invalid input for field 'enabled': 'yes' is not of type 'boolean'",
    ],
    [
      "repeated tags",
      { project: { name: "a", tags: ["t", "t"] } },
      "Invalid input for field 'tags': ['t', 't'] has non-unique elements",
    ],
    [
      "a tag with a slash",
      { project: { name: "a", tags: ["a/b"] } },
      "Invalid input for field 'tags/0': 'a/b' does not match '^[^,/]*$'",
    ],
    ["an unknown domain", { project: { name: "a", domain_id: "nope" } }, "Could not find domain: nope."],
  ])("rejects %s with 400", async (_n, payload, message) => {
    const res = await t.call("POST", "/v3/projects", payload);
    expect(res).toEqual({ status: 400, body: { error: { code: 400, title: "Bad Request", message } } });
  });

  it("answers a duplicate name with Keystone's 409", async () => {
    const res = await t.call("POST", "/v3/projects", { project: { name: "demo" } });
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^Conflict occurred attempting to store project - it is not permitted to have two projects with either the same name or same id in the same domain: name is demo, project id [0-9a-f]{32}\.$/,
    );
  });

  it("answers an unknown project with Keystone's 404", async () => {
    expect(await t.call("GET", "/v3/projects/nope")).toEqual({
      status: 404,
      body: { error: { code: 404, title: "Not Found", message: "Could not find project: nope." } },
    });
  });

  it("lists projects without domains, with filters and Keystone's links", async () => {
    const all = await t.call("GET", "/v3/projects?name=demo");
    expect(all.body.projects.map((p: { name: string }) => p.name)).toEqual(["demo"]);
    expect(all.body.links).toEqual({ self: `${BASE}/v3/projects?name=demo`, previous: null, next: null });
    const domains = await t.call("GET", "/v3/projects?is_domain=true");
    expect(domains.body.projects.map((p: { id: string }) => p.id)).toEqual(["default"]);
    expect((await t.call("GET", "/v3/projects?tags=x")).body.projects).toHaveLength(1);
    expect((await t.call("GET", "/v3/projects?not-tags=x")).body.projects).toHaveLength(0);
  });

  it("shows parents and subtree, and refuses to delete a project with children", async () => {
    const parent = (await t.call("GET", "/v3/projects?name=demo")).body.projects[0];
    const child = (await t.call("POST", "/v3/projects", { project: { name: "kid", parent_id: parent.id } })).body
      .project;
    expect(child.domain_id).toBe("default");
    const withParents = await t.call("GET", `/v3/projects/${child.id}?parents_as_ids`);
    expect(withParents.body.project.parents).toEqual({ [parent.id]: { default: null } });
    const withSubtree = await t.call("GET", `/v3/projects/${parent.id}?subtree_as_list`);
    expect(withSubtree.body.project.subtree.map((s: { project: { id: string } }) => s.project.id)).toEqual([child.id]);
    const refused = await t.call("DELETE", `/v3/projects/${parent.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `Cannot delete the project ${parent.id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
    );
    expect((await t.call("DELETE", `/v3/projects/${child.id}`)).status).toBe(204);
  });

  it("manages tags through the tag endpoints", async () => {
    const p = (await t.call("GET", "/v3/projects?name=demo")).body.projects[0];
    expect((await t.call("PUT", `/v3/projects/${p.id}/tags/blue`)).status).toBe(201);
    expect((await t.call("GET", `/v3/projects/${p.id}/tags`)).body.tags).toEqual(["x", "blue"]);
    expect((await t.call("GET", `/v3/projects/${p.id}/tags/blue`)).status).toBe(204);
    expect((await t.call("DELETE", `/v3/projects/${p.id}/tags/red`)).status).toBe(404);
    expect((await t.call("PUT", `/v3/projects/${p.id}/tags`, { tags: ["a"] })).body.tags).toEqual(["a"]);
  });

  it("deletes a domain only once disabled", async () => {
    const d = (await t.call("POST", "/v3/domains", { domain: { name: "acme" } })).body.domain;
    expect(d).toMatchObject({ name: "acme", enabled: true, description: "", tags: [] });
    const refused = await t.call("DELETE", `/v3/domains/${d.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe("Cannot delete a domain that is enabled, please disable it first.");
    expect((await t.call("PATCH", `/v3/domains/${d.id}`, { domain: { enabled: false } })).body.domain.enabled).toBe(
      false,
    );
    expect((await t.call("DELETE", `/v3/domains/${d.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v3/domains/${d.id}`)).status).toBe(404);
  });

  it("refuses to move a project to another parent", async () => {
    const p = (await t.call("GET", "/v3/projects?name=demo")).body.projects[0];
    const res = await t.call("PATCH", `/v3/projects/${p.id}`, { project: { parent_id: "other" } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe("Update of `parent_id` is not allowed.");
  });
});

describe("the domains and projects API without permission", () => {
  let t: ApiFixture;
  beforeAll(async () => {
    t = await apiFixture(new DenyAllAuthorizer());
  });
  afterAll(() => t.close());

  it("answers 403 before acting", async () => {
    const res = await t.call("POST", "/v3/projects", { project: { name: "x" } });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "You are not authorized to perform the requested action: identity:create_project.",
    );
    expect(await t.resources.listProjects({ name: "x" })).toEqual([]);
  });
});
