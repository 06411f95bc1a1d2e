import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { imageDir } from "../inspect/testing.js";
import { type ImportTestApp, importTestApp } from "./import/testing.js";

const dir = imageDir("stratus-glance-import-");
afterAll(() => dir.remove());

let t: ImportTestApp;
beforeEach(async () => {
  t = await importTestApp();
});
afterEach(() => t.close());

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const created = async (body: Record<string, unknown> = { disk_format: "raw", container_format: "bare" }) =>
  (await t.call("POST", "/v2/images", { name: "i", ...body })).body.id as string;
const stage = (id: string, bytes: Uint8Array, token?: "admin" | "member" | "other") =>
  t.call("PUT", `/v2/images/${id}/stage`, Buffer.from(bytes), token === undefined ? {} : { token });
const importDirect = (id: string, extra: Record<string, unknown> = {}) =>
  t.call("POST", `/v2/images/${id}/import`, { method: { name: "glance-direct" }, ...extra });
const show = async (id: string) => (await t.call("GET", `/v2/images/${id}`)).body;

describe("discovery", () => {
  it("lists glance-direct and web-download, one default file store, and the methods on create", async () => {
    expect((await t.call("GET", "/v2/info/import")).body).toEqual({
      "import-methods": {
        description: "Import methods available.",
        type: "array",
        value: ["glance-direct", "web-download"],
      },
    });
    const stores = await t.call("GET", "/v2/info/stores");
    expect(stores.body.stores).toEqual([expect.objectContaining({ id: "file", default: "true" })]);
    const res = await t.call("POST", "/v2/images", { name: "x" });
    expect(res.headers["openstack-image-import-methods"]).toBe("glance-direct,web-download");
  });

  it("offers no method, no stores (404) and no header without a staging area", async () => {
    await t.close();
    t = await importTestApp({ withoutStaging: true });
    expect((await t.call("GET", "/v2/info/import")).body["import-methods"].value).toEqual([]);
    expect((await t.call("GET", "/v2/info/stores")).status).toBe(404);
    const id = await created();
    expect(
      (await t.call("POST", "/v2/images", { name: "x" })).headers["openstack-image-import-methods"],
    ).toBeUndefined();
    expect((await stage(id, randomBytes(16))).status).toBe(404);
    expect((await importDirect(id)).status).toBe(400);
  });
});

describe("PUT /v2/images/{id}/stage", () => {
  it("stages the bytes: uploading, size set, nothing in the store yet", async () => {
    const id = await created();
    expect((await stage(id, randomBytes(4096))).status).toBe(204);
    expect(await show(id)).toMatchObject({ status: "uploading", size: 4096, checksum: null });
    expect(t.files()).toMatchObject({ store: [], staging: [id] });
  });

  it.each([
    ["a second stage of an uploading image", "uploading", 409],
    ["a stage of an active image", "active", 409],
  ])("refuses %s (%s) with %i", async (_what, state, status) => {
    const id = await created();
    if (state === "active") await t.call("PUT", `/v2/images/${id}/file`, randomBytes(512));
    else await stage(id, randomBytes(512));
    const res = await stage(id, randomBytes(512));
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(`Image status transition from ${state} to uploading is not allowed`);
  });

  it("answers 404 for an unknown or another project's image and 403 for a public image of another owner", async () => {
    expect((await stage("00000000-0000-0000-0000-000000000000", randomBytes(8))).status).toBe(404);
    const mine = await created();
    expect((await stage(mine, randomBytes(8), "other")).status).toBe(404);
    const pub = (await t.call("POST", "/v2/images", { name: "p", visibility: "public" }, { token: "admin" })).body.id;
    expect((await stage(pub, randomBytes(8))).status).toBe(403);
  });

  it("fails an import past the owner's byte quota: queued again, nothing stored, the task says why", async () => {
    await t.close();
    t = await importTestApp({ quotas: { bytes: 5000 } });
    const first = await created();
    await stage(first, randomBytes(3000));
    await importDirect(first);
    await t.imports.idle();
    expect((await show(first)).status).toBe("active");
    const second = await created();
    await stage(second, randomBytes(3000));
    expect((await importDirect(second)).status).toBe(202);
    await t.imports.idle();
    expect(await show(second)).toMatchObject({ status: "queued", size: null });
    expect(t.files().store).toEqual([first]);
    const tasks = (await t.call("GET", `/v2/images/${second}/tasks`)).body.tasks;
    expect(tasks[0]).toMatchObject({ status: "failure" });
    expect(tasks[0].message).toContain("storage quota");
  });

  it("refuses a stage over the size limit with 413: back to queued, nothing staged", async () => {
    await t.close();
    t = await importTestApp({ maxSize: 1024 });
    const id = await created();
    const res = await stage(id, randomBytes(4096));
    expect(res.status).toBe(413);
    expect(await show(id)).toMatchObject({ status: "queued", size: null });
    expect(t.files().staging).toEqual([]);
  });

  it("drops the staged bytes when the image is deleted", async () => {
    const id = await created();
    await stage(id, randomBytes(512));
    expect((await t.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
    expect(t.files().staging).toEqual([]);
  });
});

describe("POST /v2/images/{id}/import (glance-direct)", () => {
  it("imports a staged qcow2: 202, importing, then active with Glance's hashes, one successful task", async () => {
    dir.create("plain.qcow2", "qcow2", "32M");
    const bytes = dir.read("plain.qcow2");
    const id = await created({ disk_format: "qcow2", container_format: "bare" });
    await stage(id, bytes);
    const res = await importDirect(id);
    expect(res.status).toBe(202);
    expect(await show(id)).toMatchObject({ status: "importing", os_glance_importing_to_stores: "file" });
    await t.imports.idle();
    const image = await show(id);
    expect(image).toMatchObject({
      status: "active",
      checksum: md5(bytes),
      size: bytes.byteLength,
      virtual_size: 32 * 2 ** 20,
      disk_format: "qcow2",
      os_glance_importing_to_stores: "",
      os_glance_failed_import: "",
    });
    expect(image.os_glance_import_task).toBeUndefined();
    expect(t.files()).toEqual({ store: [id], staging: [], work: [] });
    const tasks = (await t.call("GET", `/v2/images/${id}/tasks`)).body.tasks;
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({
      type: "api_image_import",
      status: "success",
      image_id: id,
      user_id: "u-member",
      owner: "p-member",
      result: { image_id: id },
      input: { image_id: id, import_req: { method: { name: "glance-direct" } }, backend: ["file"] },
      deleted: false,
    });
    const download = await t.call("GET", `/v2/images/${id}/file`);
    expect(Buffer.compare(download.raw, bytes)).toBe(0);
  });

  it.each([
    ["a qcow2 declared raw", "format-mismatch"],
    ["a qcow2 with a backing file", "qcow2-backing-file"],
  ])("fails the import of %s: queued, no bytes anywhere, the task says why", async (what, reason) => {
    const file = what.includes("backing")
      ? dir.create("child.qcow2", "qcow2", "16M", undefined, ["-b", "/etc/passwd", "-F", "raw"])
      : dir.create("lying.qcow2", "qcow2", "16M");
    const id = await created({ disk_format: what.includes("backing") ? "qcow2" : "raw", container_format: "bare" });
    await stage(id, dir.read(file.split("/").at(-1) ?? ""));
    expect((await importDirect(id)).status).toBe(202);
    await t.imports.idle();
    expect(await show(id)).toMatchObject({
      status: "queued",
      size: null,
      checksum: null,
      os_glance_failed_import: "file",
      os_glance_importing_to_stores: "",
    });
    expect(t.files()).toEqual({ store: [], staging: [], work: [] });
    const [task] = (await t.call("GET", `/v2/images/${id}/tasks`)).body.tasks;
    expect(task).toMatchObject({ status: "failure", result: null });
    expect(task.message).toContain(reason);
    // the image takes a new stage and import after the failure
    expect((await stage(id, randomBytes(1024))).status).toBe(204);
  });

  it.each([
    ["no body", undefined, 400, "Body expected in request."],
    ["no method", {}, 400, "Import request requires a 'method' field."],
    ["a method without a name", { method: {} }, 400, "Import request requires a 'name' field."],
    ["an unknown method", { method: { name: "copy-image" } }, 400, "Unknown import method name 'copy-image'."],
    [
      "a non-boolean all_stores",
      { method: { name: "glance-direct" }, all_stores: "yes" },
      400,
      "'all_stores' must be boolean value only",
    ],
    ["a uri with glance-direct", { method: { name: "glance-direct", uri: "http://x/" } }, 400, "URI is only supported"],
    [
      "an unknown store",
      { method: { name: "glance-direct" }, stores: ["ceph"] },
      409,
      "Unknown scheme 'ceph' found in URI",
    ],
  ])("answers %s with a fault", async (_what, body, status, message) => {
    const id = await created();
    await stage(id, randomBytes(512));
    const res = await t.call("POST", `/v2/images/${id}/import`, body);
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(message);
    expect((await show(id)).status).toBe("uploading");
  });

  it.each([
    ["an image that was not staged", "queued", "Image needs to be staged before 'glance-direct' method can be used"],
    ["an active image", "active", "Image with status active cannot be target for import"],
    ["an image being imported", "importing", "Image needs to be staged"],
  ])("answers an import of %s with 409", async (_what, state, message) => {
    const id = await created();
    if (state === "active") await t.call("PUT", `/v2/images/${id}/file`, randomBytes(512));
    if (state === "importing") {
      await stage(id, randomBytes(512));
      await importDirect(id);
    }
    const res = await importDirect(id);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(message);
    await t.imports.idle();
  });

  it("answers 409 for a staged image without a disk format, and 403 to a member of another project", async () => {
    const bare = await created({ container_format: "bare" });
    await stage(bare, randomBytes(512));
    expect((await importDirect(bare)).body.message).toContain("'disk_format' needs to be set before import");
    const pub = (
      await t.call(
        "POST",
        "/v2/images",
        { visibility: "public", disk_format: "raw", container_format: "bare" },
        { token: "admin" },
      )
    ).body.id;
    await stage(pub, randomBytes(512), "admin");
    expect((await importDirect(pub)).status).toBe(403);
  });
});
