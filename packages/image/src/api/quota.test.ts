import { request } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { ImageQuotas } from "./quota.js";
import { type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp | undefined;
afterEach(() => t?.close());
const app = async (quotas: ImageQuotas) => {
  t = await imageTestApp({ deps: { quotas } });
  return t;
};
const glance413 = (message: string) => ({
  message: `${message}<br /><br />\n\n\n`,
  code: "413 Request Entity Too Large",
  title: "Request Entity Too Large",
});
const raw = { disk_format: "raw", container_format: "bare" };
const create = async (a: ImageTestApp, body: object = raw, token: "member" | "other" = "member") =>
  (await a.call("POST", "/v2/images", body, { token })).body.id as string;
const patch = (a: ImageTestApp, id: string, changes: object[]) =>
  a.call("PATCH", `/v2/images/${id}`, JSON.stringify(changes), {
    headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
  });
const tags = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const props = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`p${i}`, "v"]));

describe("image count quota (Glance's image_count_total)", () => {
  it("refuses the image past the limit with oslo.limit's words, counting every status and only the caller's project", async () => {
    const a = await app({ images: 2 });
    await create(a);
    await create(a, { name: "no formats, still counted" });
    const res = await a.call("POST", "/v2/images", raw);
    expect(res.status).toBe(413);
    expect(res.body).toEqual(
      glance413(
        "The request returned a 413 Request Entity Too Large. This generally means that rate limiting or a quota" +
          " threshold was breached.\n\nThe response body:\nProject p-member is over a limit for [Resource" +
          " image_count_total is over limit of 2 due to current usage 2 and delta 1]",
      ),
    );
    expect((await a.call("GET", "/v2/images")).body.images).toHaveLength(2);
    expect((await a.call("POST", "/v2/images", raw, { token: "other" })).status).toBe(201);
  });

  it("lets a project create again once it deleted an image", async () => {
    const a = await app({ images: 1 });
    const id = await create(a);
    expect((await a.call("POST", "/v2/images", raw)).status).toBe(413);
    expect((await a.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
    expect((await a.call("POST", "/v2/images", raw)).status).toBe(201);
  });

  it.each([
    ["no quota", {}],
    ["a negative one", { images: -1 }],
  ])("creates without limit with %s", async (_name, quotas) => {
    const a = await app(quotas);
    for (let i = 0; i < 5; i++) expect((await a.call("POST", "/v2/images", raw)).status).toBe(201);
  });
});

describe("tag and property quotas (image_tag_quota, image_property_quota)", () => {
  it.each([
    ["129 tags past the default 128", {}, { tags: tags(129) }, "tags. Attempted: 129, Maximum: 128"],
    ["3 tags past a quota of 2", { tags: 2 }, { tags: tags(3) }, "tags. Attempted: 3, Maximum: 2"],
    ["129 properties past the default 128", {}, props(129), "properties. Attempted: 129, Maximum: 128"],
    ["3 properties past a quota of 2", { properties: 2 }, props(3), "properties. Attempted: 3, Maximum: 2"],
  ])("refuses a create with %s (413) and keeps no image", async (_name, quotas, body, tail) => {
    const a = await app(quotas);
    const res = await a.call("POST", "/v2/images", { ...raw, ...body });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(glance413(`The limit has been exceeded on the number of allowed image ${tail}`));
    expect((await a.call("GET", "/v2/images")).body.images).toEqual([]);
  });

  it("accepts exactly the quota, and no limit with a negative one", async () => {
    const a = await app({ tags: -1, properties: 3 });
    expect((await a.call("POST", "/v2/images", { ...raw, tags: tags(500), ...props(3) })).status).toBe(201);
  });

  it("refuses a PATCH that sets too many tags or adds a property past the quota, and changes nothing", async () => {
    const a = await app({ tags: 2, properties: 1 });
    const id = await create(a, { ...raw, tags: ["a"], p0: "v" });
    const tooManyTags = await patch(a, id, [{ op: "replace", path: "/tags", value: ["a", "b", "c"] }]);
    expect([tooManyTags.status, tooManyTags.body.message]).toEqual([
      413,
      "The limit has been exceeded on the number of allowed image tags. Attempted: 3, Maximum: 2<br /><br />\n\n\n",
    ]);
    const tooManyProps = await patch(a, id, [
      { op: "replace", path: "/name", value: "renamed" },
      { op: "add", path: "/p1", value: "v" },
    ]);
    expect(tooManyProps.status).toBe(413);
    expect(tooManyProps.body.message).toContain("properties. Attempted: 2, Maximum: 1");
    const image = (await a.call("GET", `/v2/images/${id}`)).body;
    expect([image.name, image.tags, image.p1]).toEqual([null, ["a"], undefined]);
  });

  it("lets an image already over a lowered quota lose properties and change values, but not gain one", async () => {
    const a = await app({ properties: 2 });
    const id = await create(a);
    await a.repository.update(id, (image) => ({ ...image, properties: props(4) }));
    expect((await patch(a, id, [{ op: "remove", path: "/p0" }])).status).toBe(200);
    expect((await patch(a, id, [{ op: "replace", path: "/p1", value: "w" }])).status).toBe(200);
    const res = await patch(a, id, [{ op: "add", path: "/p9", value: "v" }]);
    expect([res.status, res.body.message]).toEqual([
      413,
      "The limit has been exceeded on the number of allowed image properties. Attempted: 4, Maximum: 2<br /><br />\n\n\n",
    ]);
  });
});

describe("storage quota (Glance's user_storage_quota)", () => {
  const put = (a: ImageTestApp, id: string, body: Buffer | Readable, token: "member" | "other" = "member") =>
    a.app.inject({
      method: "PUT",
      url: `/v2/images/${id}/file`,
      headers: { "x-auth-token": token, "content-type": "application/octet-stream", accept: "application/json" },
      payload: body,
    });
  const statusOf = async (a: ImageTestApp, id: string) => (await a.call("GET", `/v2/images/${id}`)).body.status;

  it("refuses an upload whose Content-Length does not fit the room left, leaving it queued with nothing stored", async () => {
    const a = await app({ bytes: 1000 });
    expect((await put(a, await create(a), Buffer.alloc(600))).statusCode).toBe(204);
    const id = await create(a);
    const res = await put(a, id, Buffer.alloc(401));
    expect([res.statusCode, res.json()]).toEqual([
      413,
      glance413(
        "Image exceeds the storage quota: The size of the data 401 will exceed the limit. 400 bytes remaining.",
      ),
    ]);
    expect(await statusOf(a, id)).toBe("queued");
    expect(a.storedFiles()).toHaveLength(1);
    expect((await put(a, id, Buffer.alloc(400))).statusCode).toBe(204);
    expect((await put(a, await create(a, raw, "other"), Buffer.alloc(1000), "other")).statusCode).toBe(204);
  });

  it("cuts a chunked upload off as soon as it passes the room, without reading the rest", async () => {
    const a = await app({ bytes: 10 * 65536 });
    const id = await create(a);
    await a.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = a.app.server.address() as AddressInfo;
    let sent = 0;
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request({
        host: "127.0.0.1",
        port,
        method: "PUT",
        path: `/v2/images/${id}/file`,
        headers: { "x-auth-token": "member", "content-type": "application/octet-stream", accept: "application/json" },
      });
      let answered = false;
      req.on("response", (r) => {
        answered = true;
        const parts: Buffer[] = [];
        r.on("data", (b: Buffer) => parts.push(b));
        r.on("end", () => {
          req.destroy();
          resolve({ status: r.statusCode ?? 0, body: Buffer.concat(parts).toString() });
        });
      });
      req.on("error", (e) => (answered ? undefined : reject(e)));
      // up to 64 MiB in 64 KiB chunks, each sent once the previous one left, until the answer comes
      const next = (): void => {
        if (answered) return;
        if (sent === 1024) return void req.end();
        sent++;
        req.write(Buffer.alloc(65536, 1), next);
      };
      next();
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).message).toBe(
      "Image exceeds the storage quota: The size of the data %(image_size)s will exceed the limit. %(remaining)s" +
        " bytes remaining.<br /><br />\n\n\n",
    );
    expect(sent).toBeLessThan(200); // 640 KiB of room: the 11th chunk ends it, socket buffers aside
    expect(await statusOf(a, id)).toBe("queued");
    expect(a.storedFiles()).toEqual([]);
  });

  it("refuses a chunked upload when no room is left at all, naming the size None as Glance does", async () => {
    const a = await app({ bytes: 100 });
    await put(a, await create(a), Buffer.alloc(100));
    const res = await put(a, await create(a), Readable.from([Buffer.alloc(1)]));
    expect([res.statusCode, res.json().message]).toEqual([
      413,
      "Image exceeds the storage quota: The size of the data None will exceed the limit. 0 bytes remaining.<br /><br />\n\n\n",
    ]);
  });

  it.each([
    ["no quota", {}],
    ["a quota of 0, which Glance reads as none", { bytes: 0 }],
  ])("stores any size with %s", async (_name, quotas) => {
    const a = await app(quotas);
    expect((await put(a, await create(a), Buffer.alloc(2 ** 20))).statusCode).toBe(204);
  });
});
