import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JSON_PATCH_TYPE } from "./patch.js";
import { type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp;
beforeEach(async () => {
  t = await imageTestApp();
});
afterEach(() => t.close());

const patch = (id: string, ops: unknown, token: "member" | "admin" | "other" = "member") =>
  t.call("PATCH", `/v2/images/${id}`, ops, { token, headers: { "content-type": JSON_PATCH_TYPE } });
const create = async (body: Record<string, unknown> = {}) => {
  const res = await t.call("POST", "/v2/images", body);
  expect(res.status).toBe(201);
  return res.body as Record<string, unknown> & { id: string };
};

describe("POST /v2/images", () => {
  it("creates a queued, shared image with Glance's fields, properties at the top level and a Location", async () => {
    const res = await t.call("POST", "/v2/images", {
      name: "cirros",
      disk_format: "qcow2",
      container_format: "bare",
      tags: ["a", "a", "b"],
      os_distro: "cirros",
    });
    expect(res.status).toBe(201);
    const image = res.body;
    expect(image).toMatchObject({
      name: "cirros",
      status: "queued",
      visibility: "shared",
      protected: false,
      checksum: null,
      os_hash_algo: null,
      os_hash_value: null,
      size: null,
      virtual_size: null,
      disk_format: "qcow2",
      container_format: "bare",
      min_disk: 0,
      min_ram: 0,
      owner: "p-member",
      tags: ["a", "b"],
      os_distro: "cirros",
      schema: "/v2/schemas/image",
    });
    expect(image.self).toBe(`/v2/images/${image.id}`);
    expect(image.file).toBe(`/v2/images/${image.id}/file`);
    expect(image.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(res.headers["location"]).toBe(`/v2/images/${image.id}`);
  });

  it("keeps a client-chosen id, and refuses it again with 409", async () => {
    const id = "6b5b2b5e-6d3c-4a59-9d1e-0d3f7b5f3a11";
    expect((await create({ id })).id).toBe(id);
    expect((await t.call("POST", "/v2/images", { id })).status).toBe(409);
  });

  it.each([
    ["a read-only attribute (status)", { status: "active" }, 403, "Attribute 'status' is read-only."],
    ["a link attribute (self)", { self: "/x" }, 403, "Attribute 'self' is read-only."],
    ["a reserved name (os_glance_x)", { os_glance_x: "1" }, 403, "Attribute 'os_glance_x' is reserved."],
    ["an unknown disk format", { disk_format: "floppy" }, 400, "Provided object does not match schema 'image'"],
    ["a non-string custom property", { foo: 1 }, 400, "is not of type 'string'"],
    ["a non-boolean protected", { protected: "yes" }, 400, "is not of type 'boolean'"],
    [
      "a negative min_disk",
      { min_disk: -1 },
      400,
      "Invalid value '-1' for parameter 'min_disk': Cannot be a negative value",
    ],
  ])("refuses %s with %i and a Glance fault body", async (_what, body, status, message) => {
    const res = await t.call("POST", "/v2/images", body);
    expect(res.status).toBe(status);
    expect(res.body.code).toMatch(new RegExp(`^${status} `));
    expect(res.body.message).toContain(message);
    expect(typeof res.body.title).toBe("string");
  });

  it("answers 401 without a token", async () => {
    expect((await t.call("POST", "/v2/images", {}, { token: null })).status).toBe(401);
  });
});

describe("GET /v2/images", () => {
  it("pages newest first with limit/marker and a relative next link that keeps the filters", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await create({ name: "img" })).id);
      await new Promise((r) => setTimeout(r, 2));
    }
    const first = await t.call("GET", "/v2/images?limit=2&name=img");
    expect(first.status).toBe(200);
    expect(first.body.images.map((i: { id: string }) => i.id)).toEqual([ids[4], ids[3]]);
    expect(first.body.first).toBe("/v2/images?limit=2&name=img");
    expect(first.body.schema).toBe("/v2/schemas/images");
    expect(first.body.next).toBe(`/v2/images?limit=2&name=img&marker=${ids[3]}`);
    const last = await t.call("GET", `/v2/images?limit=2&name=img&marker=${ids[1]}`);
    expect(last.body.images.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect(last.body.next).toBeUndefined();
  });

  it.each([
    ["name", "name=b", ["b"]],
    ["status", "status=queued", ["a", "b", "c"]],
    ["visibility", "visibility=public", ["c"]],
  ])("filters by %s", async (_key, query, names) => {
    await create({ name: "a" });
    await create({ name: "b" });
    await t.call("POST", "/v2/images", { name: "c", visibility: "public" }, { token: "admin" });
    const res = await t.call("GET", `/v2/images?${query}`);
    expect(res.body.images.map((i: { name: string }) => i.name).sort()).toEqual(names);
  });

  it("hides another project's private and shared images from a member, not from an admin", async () => {
    await create({ name: "mine" });
    expect((await t.call("GET", "/v2/images", undefined, { token: "other" })).body.images).toEqual([]);
    expect((await t.call("GET", "/v2/images", undefined, { token: "admin" })).body.images).toHaveLength(1);
  });

  it("lists another project's community images only when asked, and hidden images only with os_hidden=true", async () => {
    const community = await t.call("POST", "/v2/images", { name: "c", visibility: "community" }, { token: "other" });
    await t.call("POST", "/v2/images", { name: "h", os_hidden: true });
    const names = async (q: string) =>
      (await t.call("GET", `/v2/images${q}`)).body.images.map((i: { name: string }) => i.name);
    expect(await names("")).toEqual([]);
    expect(await names("?visibility=community")).toEqual(["c"]);
    expect(await names("?os_hidden=true")).toEqual(["h"]);
    expect((await t.call("GET", `/v2/images/${community.body.id}`)).status).toBe(200);
  });

  it("sorts by name ascending and pages in that order", async () => {
    for (const name of ["b", "c", "a"]) await create({ name });
    const first = await t.call("GET", "/v2/images?sort=name:asc&limit=2");
    expect(first.body.images.map((i: { name: string }) => i.name)).toEqual(["a", "b"]);
    const rest = await t.call("GET", first.body.next);
    expect(rest.body.images.map((i: { name: string }) => i.name)).toEqual(["c"]);
  });

  it.each([
    ["changes-since (gone from v2)", "changes-since=2026-01-01T00:00:00Z"],
    ["an unknown sort key", "sort_key=owner"],
    ["a bad os_hidden", "os_hidden=maybe"],
    ["an unknown marker", "marker=6b5b2b5e-6d3c-4a59-9d1e-0d3f7b5f3a11"],
    ["a bad status", "status=bogus"],
    ["a bad visibility", "visibility=bogus"],
    ["a negative limit", "limit=-1"],
  ])("answers 400 for %s", async (_what, query) => {
    const res = await t.call("GET", `/v2/images?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("400 Bad Request");
  });
});

describe("GET/DELETE /v2/images/{id}", () => {
  it("shows an image, and 404s an unknown or invisible one with Glance's message", async () => {
    const { id } = await create({ name: "x" });
    expect((await t.call("GET", `/v2/images/${id}`)).body.name).toBe("x");
    const hidden = await t.call("GET", `/v2/images/${id}`, undefined, { token: "other" });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ code: "404 Not Found", title: "Not Found" });
    expect(hidden.body.message).toContain(`No image found with ID ${id}`);
  });

  it("deletes with 204, then 404s", async () => {
    const { id } = await create();
    expect((await t.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2/images/${id}`)).status).toBe(404);
  });

  it("refuses to delete a protected image with 403 until protected is turned off", async () => {
    const { id } = await create({ protected: true });
    const res = await t.call("DELETE", `/v2/images/${id}`);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("403 Forbidden");
    expect((await patch(id, [{ op: "replace", path: "/protected", value: false }])).status).toBe(200);
    expect((await t.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
  });
});

describe("PATCH /v2/images/{id}", () => {
  it("adds, replaces and removes properties, name, tags, protected and visibility", async () => {
    const { id, updated_at } = await create({ name: "old" });
    const res = await patch(id, [
      { op: "replace", path: "/name", value: "new" },
      { op: "add", path: "/os_distro", value: "ubuntu" },
      { op: "add", path: "/hw_disk_bus", value: "scsi" },
      { op: "replace", path: "/tags", value: ["x", "y"] },
      { op: "replace", path: "/protected", value: true },
      { op: "replace", path: "/visibility", value: "private" },
      { op: "replace", path: "/os_distro", value: "debian" },
      { op: "remove", path: "/hw_disk_bus" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: "new",
      os_distro: "debian",
      tags: ["x", "y"],
      protected: true,
      visibility: "private",
    });
    expect(res.body.hw_disk_bus).toBeUndefined();
    expect(res.body.updated_at >= updated_at).toBe(true);
  });

  it.each([
    [
      "replacing a read-only attribute",
      [{ op: "replace", path: "/status", value: "active" }],
      403,
      "Attribute 'status' is read-only.",
    ],
    ["adding checksum", [{ op: "add", path: "/checksum", value: "0" }], 403, "Attribute 'checksum' is read-only."],
    ["removing a base attribute", [{ op: "remove", path: "/name" }], 403, "Property name may not be removed."],
    ["removing a missing property", [{ op: "remove", path: "/nope" }], 409, "Property nope does not exist."],
    [
      "replacing a missing property",
      [{ op: "replace", path: "/nope", value: "1" }],
      409,
      "Property nope does not exist.",
    ],
    ["an unknown operation", [{ op: "move", path: "/name", value: "x" }], 400, "Invalid operation: `move`"],
    ["a change without value", [{ op: "add", path: "/x" }], 400, 'Operation "add" requires a member named "value".'],
    ["a body that is not a list", { op: "add" }, 400, "Request body must be a JSON array of operation objects."],
    ["a bad visibility", [{ op: "replace", path: "/visibility", value: "everyone" }], 400, "does not match schema"],
  ])("answers %s with %i", async (_what, ops, status, message) => {
    const { id } = await create({ name: "n" });
    const res = await patch(id, ops);
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(message);
  });

  it("refuses another content type with 415 and another project with 404", async () => {
    const { id } = await create();
    const json = await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/name", value: "x" }]);
    expect(json.status).toBe(415);
    expect((await patch(id, [{ op: "replace", path: "/name", value: "x" }], "other")).status).toBe(404);
  });

  it("takes the draft-4 style of application/openstack-images-v2.0-json-patch too", async () => {
    const { id } = await create({ name: "old" });
    const v20 = (ops: unknown) =>
      t.call("PATCH", `/v2/images/${id}`, ops, {
        headers: { "content-type": "application/openstack-images-v2.0-json-patch" },
      });
    const res = await v20([
      { replace: "/name", value: "new" },
      { add: "/os_distro", value: "debian" },
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "new", os_distro: "debian" });
    expect((await v20([{ remove: "/os_distro" }])).body.os_distro).toBeUndefined();
    const two = await v20([{ add: "/a", replace: "/b", value: "x" }]);
    expect(two.status).toBe(400);
    expect(two.body.message).toContain('exactly one member named "add", "remove", or "replace"');
    expect((await v20([{ replace: "/status", value: "active" }])).status).toBe(403);
  });
});

describe("schemas", () => {
  it("serves the image schema with Glance's base properties, string additionalProperties and links", async () => {
    const res = await t.call("GET", "/v2/schemas/image");
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("image");
    expect(res.body.additionalProperties).toEqual({ type: "string" });
    expect(res.body.properties.status.enum).toContain("deactivated");
    expect(res.body.properties.checksum.readOnly).toBe(true);
    expect(res.body.properties.disk_format.enum).toEqual([
      null,
      "ami",
      "ari",
      "aki",
      "vhd",
      "vhdx",
      "vmdk",
      "raw",
      "qcow2",
      "vdi",
      "iso",
      "ploop",
    ]);
    expect(res.body.links.map((l: { rel: string }) => l.rel)).toEqual(["self", "enclosure", "describedby"]);
  });

  it("serves the collection schema around it", async () => {
    const res = await t.call("GET", "/v2/schemas/images");
    expect(res.body.name).toBe("images");
    expect(res.body.properties.images.items.name).toBe("image");
    expect(Object.keys(res.body.properties)).toEqual(["images", "first", "next", "schema"]);
  });
});
