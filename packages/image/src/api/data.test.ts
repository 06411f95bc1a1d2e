import { createHash, randomBytes } from "node:crypto";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { imageDir } from "../inspect/testing.js";
import { type ImageTestApp, imageTestApp } from "./testing.js";

const dir = imageDir("stratus-glance-data-");
afterAll(() => dir.remove());

let t: ImageTestApp;
beforeEach(async () => {
  t = await imageTestApp();
});
afterEach(() => t.close());

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
const sha512 = (b: Uint8Array) => createHash("sha512").update(b).digest("hex");
const created = async (disk_format: string, container_format = "bare") => {
  const res = await t.call("POST", "/v2/images", { name: "d", disk_format, container_format });
  return res.body.id as string;
};
const upload = (id: string, bytes: Uint8Array) => t.call("PUT", `/v2/images/${id}/file`, Buffer.from(bytes));

describe("PUT /v2/images/{id}/file", () => {
  it("stores a qcow2 made by qemu-img: active, md5 checksum, sha512 multihash, size and the inspector's virtual size", async () => {
    dir.create("plain.qcow2", "qcow2", "64M");
    const bytes = dir.read("plain.qcow2");
    const id = await created("qcow2");
    const res = await upload(id, bytes);
    expect(res.status).toBe(204);
    const image = (await t.call("GET", `/v2/images/${id}`)).body;
    expect(image).toMatchObject({
      status: "active",
      checksum: md5(bytes),
      os_hash_algo: "sha512",
      os_hash_value: sha512(bytes),
      size: bytes.byteLength,
      virtual_size: 64 * 2 ** 20,
      stores: "file",
    });
    expect(t.storedFiles()).toEqual([id]);
  });

  it("streams the same bytes back with Content-MD5 and Content-Length", async () => {
    const bytes = randomBytes(3 * 2 ** 20 + 17);
    const id = await created("raw");
    expect((await upload(id, bytes)).status).toBe(204);
    const res = await t.call("GET", `/v2/images/${id}/file`);
    expect(res.status).toBe(200);
    expect(res.headers["content-md5"]).toBe(md5(bytes));
    expect(res.headers["content-type"]).toBe("application/octet-stream");
    expect(Number(res.headers["content-length"])).toBe(bytes.byteLength);
    expect(Buffer.compare(res.raw, bytes)).toBe(0);
  });

  it.each([
    [
      "a qcow2 with a backing file declared qcow2",
      () => {
        dir.create("base.qcow2", "qcow2", "16M");
        dir.create("child.qcow2", "qcow2", "16M", undefined, ["-b", "/etc/passwd", "-F", "raw"]);
        return { bytes: dir.read("child.qcow2"), declared: "qcow2", reason: "qcow2-backing-file" };
      },
    ],
    [
      "a qcow2 declared raw",
      () => {
        dir.create("lying.qcow2", "qcow2", "16M");
        return { bytes: dir.read("lying.qcow2"), declared: "raw", reason: "format-mismatch" };
      },
    ],
  ])("refuses %s with 400; the image stays queued with nothing in the store", async (_what, make) => {
    const { bytes, declared, reason } = make();
    const id = await created(declared);
    const res = await upload(id, bytes);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("400 Bad Request");
    expect(res.body.message).toContain(reason);
    const image = (await t.call("GET", `/v2/images/${id}`)).body;
    expect(image).toMatchObject({ status: "queued", checksum: null, size: null, virtual_size: null });
    expect(t.storedFiles()).toEqual([]);
    expect((await t.call("GET", `/v2/images/${id}/file`)).status).toBe(204);
  });

  it("shows direct_url and locations to admins and services only, once the image has data", async () => {
    const id = await created("raw");
    expect((await t.call("GET", `/v2/images/${id}`, undefined, { token: "admin" })).body.direct_url).toBeUndefined();
    await upload(id, randomBytes(512));
    const admin = (await t.call("GET", `/v2/images/${id}`, undefined, { token: "admin" })).body;
    expect(admin.direct_url).toBe(`file://${join(t.store.directory, id)}`);
    expect(admin.locations).toEqual([{ url: admin.direct_url, metadata: { store: "file" } }]);
    const listed = (await t.call("GET", "/v2/images", undefined, { token: "admin" })).body.images;
    expect(listed[0].direct_url).toBe(admin.direct_url);
    const member = (await t.call("GET", `/v2/images/${id}`)).body;
    expect(member.direct_url).toBeUndefined();
    expect(member.locations).toBeUndefined();
    expect(member.stores).toBe("file");
  });

  it("takes plain raw content under another disk_format only with requireFormatMatch off, never a qcow2", async () => {
    const bytes = randomBytes(4096);
    const strict = await created("vhd");
    expect((await upload(strict, bytes)).body.message).toContain(
      "format-mismatch: the image was declared vhd but its content is raw",
    );
    await t.close();
    t = await imageTestApp({ deps: { requireFormatMatch: false } });
    const lenient = await created("vhd");
    expect((await upload(lenient, bytes)).status).toBe(204);
    expect((await t.call("GET", `/v2/images/${lenient}`)).body).toMatchObject({ status: "active", size: 4096 });
    dir.create("declared-raw.qcow2", "qcow2", "16M");
    const lying = await created("raw");
    const res = await upload(lying, dir.read("declared-raw.qcow2"));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain("format-mismatch: the image was declared raw but its content is qcow2");
  });

  it("refuses an image over the store's size limit with 413 and keeps nothing", async () => {
    await t.close();
    t = await imageTestApp({ maxSize: 1024 });
    const id = await created("raw");
    const res = await upload(id, randomBytes(4096));
    expect(res.status).toBe(413);
    expect(res.body.message).toContain("The incoming image is too large");
    expect((await t.call("GET", `/v2/images/${id}`)).body.status).toBe("queued");
    expect(t.storedFiles()).toEqual([]);
  });

  it("takes a second upload after a refused one", async () => {
    const id = await created("raw");
    dir.create("again.qcow2", "qcow2", "1M");
    expect((await upload(id, dir.read("again.qcow2"))).status).toBe(400);
    expect((await upload(id, randomBytes(1024))).status).toBe(204);
    expect((await t.call("GET", `/v2/images/${id}`)).body.status).toBe("active");
  });

  it.each([
    ["an active image", 409],
    ["an image without disk and container formats", 400],
  ])("answers an upload to %s with %i", async (what, status) => {
    let id: string;
    if (what.startsWith("an active")) {
      id = await created("raw");
      await upload(id, randomBytes(512));
    } else {
      id = (await t.call("POST", "/v2/images", {})).body.id;
    }
    expect((await upload(id, randomBytes(512))).status).toBe(status);
  });
});

describe("formats after upload", () => {
  it.each([
    ["disk_format", "qcow2"],
    ["container_format", "ovf"],
  ])("refuses to change %s of an active image with 403", async (key, value) => {
    const id = await created("raw");
    await upload(id, randomBytes(512));
    const res = await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: `/${key}`, value }], {
      headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
    });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`Attribute ${key} can be only replaced for a queued image.`);
  });
});

describe("GET /v2/images/{id}/file", () => {
  it("answers 204 for an image without data", async () => {
    const id = await created("raw");
    const res = await t.call("GET", `/v2/images/${id}/file`);
    expect(res.status).toBe(204);
    expect(res.raw.byteLength).toBe(0);
  });

  it("lets the owner deactivate and reactivate (not another project), and forbids non-admin downloads meanwhile", async () => {
    const id = await created("raw");
    await upload(id, randomBytes(512));
    await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/visibility", value: "public" }], {
      headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
    });
    const deactivate = (token: "member" | "other") =>
      t.call("POST", `/v2/images/${id}/actions/deactivate`, undefined, { token });
    expect((await deactivate("other")).status).toBe(403);
    expect((await deactivate("member")).status).toBe(204);
    expect((await deactivate("member")).status).toBe(204); // idempotent
    expect((await t.call("GET", `/v2/images/${id}`)).body.status).toBe("deactivated");
    expect((await t.call("GET", `/v2/images/${id}/file`)).status).toBe(403);
    expect((await t.call("GET", `/v2/images/${id}/file`, undefined, { token: "admin" })).status).toBe(200);
    expect((await t.call("POST", `/v2/images/${id}/actions/reactivate`, undefined, { token: "other" })).status).toBe(
      403,
    );
    expect((await t.call("POST", `/v2/images/${id}/actions/reactivate`)).status).toBe(204);
    expect((await t.call("GET", `/v2/images/${id}/file`)).status).toBe(200);
  });

  it("refuses to deactivate a queued image with 403", async () => {
    const id = await created("raw");
    const res = await t.call("POST", `/v2/images/${id}/actions/deactivate`, undefined, { token: "admin" });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain("Not allowed to deactivate image in status 'queued'");
  });

  it("deletes the stored bytes with the image", async () => {
    const id = await created("raw");
    await upload(id, randomBytes(512));
    expect(t.storedFiles()).toEqual([id]);
    expect((await t.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
    expect(t.storedFiles()).toEqual([]);
  });
});
