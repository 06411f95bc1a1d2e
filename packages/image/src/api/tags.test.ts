import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp;
beforeEach(async () => {
  t = await imageTestApp();
});
afterEach(() => t.close());

const created = async () => (await t.call("POST", "/v2/images", { name: "tagged", tags: ["a"] })).body.id as string;
const tags = async (id: string) => (await t.call("GET", `/v2/images/${id}`)).body.tags as string[];

describe("PUT/DELETE /v2/images/{id}/tags/{tag}", () => {
  it("adds a tag once (twice is still 204) and removes it; an absent tag is a 404", async () => {
    const id = await created();
    expect((await t.call("PUT", `/v2/images/${id}/tags/b c`)).status).toBe(204);
    expect((await t.call("PUT", `/v2/images/${id}/tags/b c`)).status).toBe(204);
    expect(await tags(id)).toEqual(["a", "b c"]);
    expect((await t.call("DELETE", `/v2/images/${id}/tags/a`)).status).toBe(204);
    expect(await tags(id)).toEqual(["b c"]);
    const missing = await t.call("DELETE", `/v2/images/${id}/tags/a`);
    expect(missing.status).toBe(404);
  });

  it("answers 404 for an unknown or invisible image, 403 for a visible one of another project", async () => {
    expect((await t.call("PUT", "/v2/images/00000000-0000-4000-8000-000000000000/tags/x")).status).toBe(404);
    const id = await created();
    expect((await t.call("PUT", `/v2/images/${id}/tags/x`, undefined, { token: "other" })).status).toBe(404);
    await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/visibility", value: "public" }], {
      headers: { "content-type": "application/openstack-images-v2.1-json-patch" },
    });
    const res = await t.call("PUT", `/v2/images/${id}/tags/x`, undefined, { token: "other" });
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`Not allowed to update tags for image ${id}.`);
    expect((await t.call("DELETE", `/v2/images/${id}/tags/a`, undefined, { token: "other" })).status).toBe(403);
    expect(await tags(id)).toEqual(["a"]);
  });

  it("refuses a tag over 255 characters with 400 and the 129th tag with 413", async () => {
    const id = await created();
    expect((await t.call("PUT", `/v2/images/${id}/tags/${"x".repeat(256)}`)).status).toBe(400);
    for (let n = 1; n < 128; n++) await t.call("PUT", `/v2/images/${id}/tags/t${n}`);
    expect((await tags(id)).length).toBe(128);
    const over = await t.call("PUT", `/v2/images/${id}/tags/one-more`);
    expect(over.status).toBe(413);
    expect(over.body.message).toContain("Attempted: 129, Maximum: 128");
    expect((await tags(id)).length).toBe(128);
  });

  it("follows a configured tag quota", async () => {
    await t.close();
    t = await imageTestApp({ deps: { quotas: { tags: 2 } } });
    const id = await created();
    expect((await t.call("PUT", `/v2/images/${id}/tags/b`)).status).toBe(204);
    const over = await t.call("PUT", `/v2/images/${id}/tags/c`);
    expect(over.status).toBe(413);
    expect(over.body.message).toContain(`Image tag limit exceeded for image ${id}`);
    expect(over.body.message).toContain("Attempted: 3, Maximum: 2");
  });
});
