import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "2290d4af-9e6e-400b-9d65-1ee01376f71a";
const PARENT = "0a7a3c5e-1b1e-4a3c-9d0a-6f2c0a1b2c3d";
const OTHER = "7260669a-e3d4-4867-aaa7-683e2ab6958c";
const AGG = "f4c1a8d2-3e5b-4c6d-8e7f-9a0b1c2d3e4f";

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
});
afterEach(() => t.close());

const create = (name: string, uuid: string, parent?: string) =>
  t.call(
    "POST",
    "/resource_providers",
    { name, uuid, ...(parent ? { parent_provider_uuid: parent } : {}) },
    { microversion: "1.20" },
  );

describe("POST /resource_providers", () => {
  it("answers 201 with a Location and no body before 1.20", async () => {
    const res = await t.call("POST", "/resource_providers", { name: "a", uuid: RP });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/resource_providers/${RP}`);
    expect(res.text).toBe("");
    expect(res.headers["content-type"]).toBeUndefined();
  });

  it("answers 200 with the provider from 1.20, generating a uuid when none is given", async () => {
    const res = await t.call("POST", "/resource_providers", { name: "a" }, { microversion: "1.20" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "a", generation: 0, parent_provider_uuid: null });
    expect(res.body.root_provider_uuid).toBe(res.body.uuid);
    expect(res.headers.location).toBe(`/resource_providers/${res.body.uuid}`);
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it("normalizes a uuid given without dashes, and refuses it again as a duplicate", async () => {
    const hex = RP.replaceAll("-", "");
    expect(
      (await t.call("POST", "/resource_providers", { name: "a", uuid: hex }, { microversion: "1.20" })).body.uuid,
    ).toBe(RP);
    const dup = await t.call("POST", "/resource_providers", { name: "b", uuid: hex }, { microversion: "1.23" });
    expect(dup.status).toBe(409);
    expect(dup.body.errors[0].detail).toContain(`Conflicting resource provider uuid: ${RP} already exists`);
    expect(dup.body.errors[0].code).toBe("placement.duplicate_name");
  });

  it.each([
    ["an unknown field", { name: "a", x: 1 }, "1.20", "Additional properties are not allowed ('x' was unexpected)"],
    [
      "a bad uuid",
      { name: "a", uuid: "not-a-uuid" },
      "1.20",
      "Failed validating 'format' in schema['properties']['uuid']",
    ],
    ["a name over 200 characters", { name: "n".repeat(201) }, "1.20", "Failed validating 'maxLength'"],
    ["no name", { uuid: RP }, "1.20", "'name' is a required property"],
    ["a parent before 1.14", { name: "a", parent_provider_uuid: PARENT }, "1.13", "JSON does not validate"],
    ["a root provider uuid", { name: "a", root_provider_uuid: PARENT }, "1.20", "JSON does not validate"],
    [
      "itself as parent",
      { name: "a", uuid: RP, parent_provider_uuid: RP },
      "1.20",
      "parent provider UUID cannot be same as UUID",
    ],
    ["a missing parent", { name: "a", parent_provider_uuid: PARENT }, "1.20", "parent provider UUID does not exist."],
  ])("refuses %s with 400", async (_what, body, microversion, detail) => {
    const res = await t.call("POST", "/resource_providers", body, { microversion });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].title).toBe("Bad Request");
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("refuses malformed JSON with 400 Malformed JSON", async () => {
    const res = await t.call("POST", "/resource_providers", "{bad", { microversion: "1.20" });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain("Malformed JSON");
  });

  it("refuses a duplicate name with 409 placement.duplicate_name", async () => {
    await create("a", RP);
    const res = await t.call("POST", "/resource_providers", { name: "a" }, { microversion: "1.23" });
    expect(res.status).toBe(409);
    expect(res.body.errors[0]).toMatchObject({ title: "Conflict", code: "placement.duplicate_name" });
    expect(res.body.errors[0].detail).toContain("Conflicting resource provider name: a already exists");
  });

  it("refuses a member with 403 before looking at the body", async () => {
    const res = await t.call("POST", "/resource_providers", { bad: true }, { token: "member" });
    expect(res.status).toBe(403);
  });
});

describe("GET /resource_providers/{uuid}", () => {
  it.each([
    ["1.0", 4, 3, false],
    ["1.1", 4, 4, false],
    ["1.6", 4, 5, false],
    ["1.11", 4, 6, false],
    ["1.14", 6, 6, false],
    ["1.15", 6, 6, true],
  ])("at %s has %i fields, %i links, cache headers %s", async (microversion, fields, links, cached) => {
    await create("a", RP);
    const res = await t.call("GET", `/resource_providers/${RP}`, undefined, { microversion });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body)).toHaveLength(fields);
    expect(res.body.links).toHaveLength(links);
    expect(res.body.links[0]).toEqual({ rel: "self", href: `/resource_providers/${RP}` });
    expect(res.headers["cache-control"] === "no-cache").toBe(cached);
    expect(res.headers["last-modified"] !== undefined).toBe(cached);
  });

  it("answers 404 with Placement's message for an unknown provider", async () => {
    const res = await t.call("GET", `/resource_providers/${OTHER}`, undefined, { microversion: "1.23" });
    expect(res.status).toBe(404);
    expect(res.body.errors[0].detail).toContain(`No resource provider with uuid ${OTHER} found`);
    expect(res.body.errors[0].code).toBe("placement.undefined_code");
  });
});

describe("PUT /resource_providers/{uuid}", () => {
  beforeEach(async () => {
    await create("parent", PARENT);
    await create("child", RP);
    await create("other", OTHER);
  });
  const put = (uuid: string, body: unknown, microversion: string) =>
    t.call("PUT", `/resource_providers/${uuid}`, body, { microversion });

  it("renames without changing the generation", async () => {
    const res = await put(RP, { name: "new name" }, "1.0");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "new name", generation: 0, uuid: RP });
    expect(res.body.parent_provider_uuid).toBeUndefined();
  });

  it("gives a root a parent before 1.37 and moves the root of its subtree", async () => {
    await create("grandchild", AGG, RP);
    const res = await put(RP, { name: "child", parent_provider_uuid: PARENT }, "1.14");
    expect(res.body).toMatchObject({ parent_provider_uuid: PARENT, root_provider_uuid: PARENT });
    const gc = await t.call("GET", `/resource_providers/${AGG}`, undefined, { microversion: "1.14" });
    expect(gc.body.root_provider_uuid).toBe(PARENT);
  });

  it.each([
    ["re-parenting before 1.37", OTHER, "1.36", "re-parenting a provider is not currently allowed."],
    ["un-parenting before 1.37", null, "1.36", "un-parenting a provider is not currently allowed."],
    [
      "a parent that does not exist",
      "11111111-2222-3333-4444-555555555555",
      "1.37",
      "parent provider UUID does not exist.",
    ],
    ["itself as parent", RP, "1.37", "creating loop in the provider tree is not allowed."],
  ])("refuses %s with 400", async (_what, parent, microversion, detail) => {
    await put(RP, { name: "child", parent_provider_uuid: PARENT }, "1.14");
    const res = await put(RP, { name: "child", parent_provider_uuid: parent }, microversion);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("refuses a parent that is its own child with 400 (loop)", async () => {
    await put(RP, { name: "child", parent_provider_uuid: PARENT }, "1.14");
    const res = await put(PARENT, { name: "parent", parent_provider_uuid: RP }, "1.37");
    expect(res.body.errors[0].detail).toContain("creating loop in the provider tree is not allowed.");
  });

  it("re-parents and un-parents from 1.37", async () => {
    await put(RP, { name: "child", parent_provider_uuid: PARENT }, "1.14");
    const moved = await put(RP, { name: "child", parent_provider_uuid: OTHER }, "1.37");
    expect(moved.body).toMatchObject({ parent_provider_uuid: OTHER, root_provider_uuid: OTHER });
    const root = await put(RP, { name: "child", parent_provider_uuid: null }, "1.37");
    expect(root.body).toMatchObject({ parent_provider_uuid: null, root_provider_uuid: RP });
  });

  it.each([
    ["a taken name", { name: "other" }, "1.23", 409, "placement.duplicate_name"],
    ["a uuid in the body", { name: "x", uuid: RP }, "1.23", 400, "placement.undefined_code"],
    ["a parent before 1.14", { name: "x", parent_provider_uuid: PARENT }, "1.23", 200, undefined],
    ["a name over 200 characters", { name: "n".repeat(201) }, "1.23", 400, "placement.undefined_code"],
  ])("with %s answers as Placement", async (_what, body, microversion, status, code) => {
    const res = await put(RP, body, microversion);
    expect(res.status).toBe(status);
    if (code !== undefined) expect(res.body.errors[0].code).toBe(code);
  });

  it("answers 404 for an unknown provider", async () => {
    expect((await put("11111111-2222-3333-4444-555555555555", { name: "x" }, "1.0")).status).toBe(404);
  });
});

describe("DELETE /resource_providers/{uuid}", () => {
  it("deletes and then answers 404 'found for delete'", async () => {
    await create("a", RP);
    expect((await t.call("DELETE", `/resource_providers/${RP}`)).status).toBe(204);
    const again = await t.call("DELETE", `/resource_providers/${RP}`);
    expect(again.status).toBe(404);
    expect(again.body.errors[0].detail).toContain(`No resource provider with uuid ${RP} found for delete`);
  });

  it("refuses a parent with 409 placement.resource_provider.cannot_delete_parent", async () => {
    await create("parent", PARENT);
    await create("child", RP, PARENT);
    const res = await t.call("DELETE", `/resource_providers/${PARENT}`, undefined, { microversion: "1.23" });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("placement.resource_provider.cannot_delete_parent");
    expect(res.body.errors[0].detail).toContain("Unable to delete parent resource provider");
  });

  it("refuses a provider with allocations with 409 placement.resource_provider.inuse", async () => {
    await create("a", RP);
    await t.store.write((s) => s.setInventories(RP, 0, { VCPU: { total: 4 } }), { providers: [RP] });
    await t.store.write(
      (s) =>
        s.claim(OTHER, { allocations: { [RP]: { VCPU: 1 } }, consumerGeneration: null, projectId: "p", userId: "u" }),
      { consumers: [OTHER] },
    );
    const res = await t.call("DELETE", `/resource_providers/${RP}`, undefined, { microversion: "1.23" });
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("placement.resource_provider.inuse");
    expect(res.body.errors[0].detail).toContain("Resource provider has allocations.");
  });
});
