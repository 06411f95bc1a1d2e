import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { JSON_PATCH_TYPE } from "./patch.js";
import { type CallOptions, type ImageTestApp, imageTestApp } from "./testing.js";

let t: ImageTestApp;
beforeEach(async () => {
  t = await imageTestApp();
});
afterEach(() => t.close());

type Token = NonNullable<CallOptions["token"]>;
const as = (token: Token) => ({ token });
const UNKNOWN = "00000000-0000-4000-8000-000000000000";
const TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** A shared image of p-member (token "member"), optionally with data, and p-other added as a member. */
const sharedImage = async (options: { visibility?: string; withOther?: boolean } = {}) => {
  const res = await t.call("POST", "/v2/images", {
    name: "shared-img",
    disk_format: "raw",
    container_format: "bare",
    visibility: options.visibility ?? "shared",
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  if (options.withOther ?? true) expect((await addMember(id, "p-other")).status).toBe(200);
  return id;
};
const addMember = (id: string, member: unknown, token: Token = "member") =>
  t.call("POST", `/v2/images/${id}/members`, { member }, as(token));
const setStatus = (id: string, member: string, status: unknown, token: Token = "other") =>
  t.call("PUT", `/v2/images/${id}/members/${member}`, { status }, as(token));
const listed = async (token: Token, query = "") =>
  ((await t.call("GET", `/v2/images${query}`, undefined, as(token))).body.images as Array<{ id: string }>).map(
    (i) => i.id,
  );

describe("POST /v2/images/{id}/members", () => {
  it("adds a pending member with Glance's fields", async () => {
    const id = await sharedImage({ withOther: false });
    const res = await addMember(id, "p-other");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      member_id: "p-other",
      image_id: id,
      status: "pending",
      created_at: expect.stringMatching(TIME),
      updated_at: expect.stringMatching(TIME),
      schema: "/v2/schemas/member",
    });
  });

  it("refuses a duplicate with 409, and lets an admin add members to any shared image", async () => {
    const id = await sharedImage();
    const dup = await addMember(id, "p-other");
    expect(dup.status).toBe(409);
    expect(dup.body.message).toContain(`Member p-other is duplicated for image ${id}`);
    expect((await addMember(id, "p-third", "admin")).status).toBe(200);
  });

  it.each([
    ["no body", undefined, "Body expected in request."],
    ["a list", ["p-other"], 'Expected a member in the form: {"member": "image_id"}'],
    ["no member key", { project: "p-other" }, "Member to be added not specified"],
    ["an empty member", { member: "" }, "Member can't be empty"],
    ["a numeric member", { member: 42 }, 'Expected a member in the form: {"member": "image_id"}'],
    ["a member over 255 characters", { member: "x".repeat(256) }, "longer than 255 characters"],
  ])("refuses %s with 400", async (_what, body, message) => {
    const id = await sharedImage({ withOther: false });
    const res = await t.call("POST", `/v2/images/${id}/members`, body);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
    expect((await t.call("GET", `/v2/images/${id}/members`)).body.members).toEqual([]);
  });

  it("refuses malformed JSON with 400", async () => {
    const id = await sharedImage({ withOther: false });
    expect((await t.call("POST", `/v2/images/${id}/members`, "{not json")).status).toBe(400);
  });

  it.each(["private", "public", "community"])("refuses members on a %s image with 403", async (visibility) => {
    const id = await sharedImage({ visibility, withOther: false });
    const res = await addMember(id, "p-other");
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`Not allowed to create members for image ${id}.`);
  });

  it("answers 404 for an unknown or invisible image and 403 to a member that is not the owner", async () => {
    const missing = await addMember(UNKNOWN, "p-other");
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain(`Image ${UNKNOWN} not found.`);
    const id = await sharedImage({ withOther: false });
    expect((await addMember(id, "p-other", "other")).status).toBe(404);
    await addMember(id, "p-other");
    const byMember = await addMember(id, "p-third", "other");
    expect(byMember.status).toBe(403);
    expect(byMember.body.message).toContain("You are not authorized to complete add_member action.");
  });

  it("refuses the member past image_member_quota with 413 (default 128)", async () => {
    const id = await sharedImage({ withOther: false });
    for (let n = 1; n <= 128; n++) expect((await addMember(id, `p-${n}`)).status).toBe(200);
    const over = await addMember(id, "p-129");
    expect(over.status).toBe(413);
    expect(over.body.message).toContain(`Image member limit exceeded for image ${id}`);
    expect(over.body.message).toContain("Attempted: 129, Maximum: 128");
  });

  it("takes imageMemberQuota from the deps, and a negative one means no limit", async () => {
    await t.close();
    t = await imageTestApp({ deps: { imageMemberQuota: 1 } });
    const id = await sharedImage();
    expect((await addMember(id, "p-2")).status).toBe(413);
    await t.close();
    t = await imageTestApp({ deps: { imageMemberQuota: -1 } });
    const unlimited = await sharedImage();
    for (let n = 0; n < 130; n++) expect((await addMember(unlimited, `p-${n}`)).status).toBe(200);
  });
});

describe("GET /v2/images/{id}/members[/{member_id}]", () => {
  it("shows every member to the owner and an admin, and only its own membership to a member", async () => {
    const id = await sharedImage();
    await addMember(id, "p-third");
    const ids = async (token: Token) => {
      const res = await t.call("GET", `/v2/images/${id}/members`, undefined, as(token));
      expect(res.status).toBe(200);
      expect(res.body.schema).toBe("/v2/schemas/members");
      return (res.body.members as Array<{ member_id: string }>).map((m) => m.member_id);
    };
    expect(await ids("member")).toEqual(["p-other", "p-third"]);
    expect(await ids("admin")).toEqual(["p-other", "p-third"]);
    expect(await ids("other")).toEqual(["p-other"]);
  });

  it("shows one member; another project's membership and an unknown member are Glance's 404", async () => {
    const id = await sharedImage();
    await addMember(id, "p-third");
    const own = await t.call("GET", `/v2/images/${id}/members/p-other`, undefined, as("other"));
    expect(own.status).toBe(200);
    expect(own.body).toMatchObject({ member_id: "p-other", image_id: id, status: "pending" });
    expect((await t.call("GET", `/v2/images/${id}/members/p-third`)).status).toBe(200);
    const hidden = await t.call("GET", `/v2/images/${id}/members/p-third`, undefined, as("other"));
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toContain(`p-third not found in the member list of the image ${id}.`);
    expect((await t.call("GET", `/v2/images/${id}/members/p-nobody`)).status).toBe(404);
  });

  it("answers 404 for unknown and invisible images, and for a non-shared image 403 (list) or 404 (show)", async () => {
    expect((await t.call("GET", `/v2/images/${UNKNOWN}/members`)).status).toBe(404);
    expect((await t.call("GET", `/v2/images/${UNKNOWN}/members/p-other`)).status).toBe(404);
    const id = await sharedImage({ withOther: false });
    expect((await t.call("GET", `/v2/images/${id}/members`, undefined, as("other"))).status).toBe(404);
    const priv = await sharedImage({ visibility: "private", withOther: false });
    const list = await t.call("GET", `/v2/images/${priv}/members`);
    expect(list.status).toBe(403);
    expect(list.body.message).toContain(
      `Not allowed to list members for image ${priv}: Only shared images have members.`,
    );
    const show = await t.call("GET", `/v2/images/${priv}/members/p-other`);
    expect(show.status).toBe(404);
    expect(show.body.message).toContain("Only shared images have members.");
  });

  it("serves the member and members schemas", async () => {
    const member = await t.call("GET", "/v2/schemas/member");
    expect(member.status).toBe(200);
    expect(member.body).toMatchObject({ name: "member", additionalProperties: false });
    expect(member.body.properties.status.enum).toEqual(["pending", "accepted", "rejected"]);
    const members = await t.call("GET", "/v2/schemas/members");
    expect(members.body.name).toBe("members");
    expect(members.body.properties.members.items).toEqual(member.body);
  });
});

describe("PUT /v2/images/{id}/members/{member_id}", () => {
  it("lets the member accept, reject and reset its status, updating the member", async () => {
    const id = await sharedImage();
    for (const status of ["accepted", "rejected", "pending"]) {
      const res = await setStatus(id, "p-other", status);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ member_id: "p-other", image_id: id, status, schema: "/v2/schemas/member" });
    }
    expect((await setStatus(id, "p-other", "accepted", "admin")).body.status).toBe("accepted");
  });

  it("refuses the owner with 403 and another member's membership with 404", async () => {
    const id = await sharedImage();
    await addMember(id, "p-third");
    const byOwner = await setStatus(id, "p-other", "accepted", "member");
    expect(byOwner.status).toBe(403);
    expect(byOwner.body.message).toContain("You are not authorized to complete modify_member action.");
    await addMember(id, "p-member");
    expect((await setStatus(id, "p-member", "accepted", "member")).status).toBe(403);
    expect((await setStatus(id, "p-third", "accepted", "other")).status).toBe(404);
    expect((await t.call("GET", `/v2/images/${id}/members/p-other`)).body.status).toBe("pending");
  });

  it.each([
    ["a bad status", { status: "maybe" }, 'Incorrect request: Status must be "pending", "accepted" or "rejected".'],
    ["no status", { member: "p-other" }, "Status not specified"],
    ["a list", ["accepted"], 'Expected a status in the form: {"status": "status"}'],
    ["no body", undefined, "Body expected in request."],
  ])("refuses %s with 400", async (_what, body, message) => {
    const id = await sharedImage();
    const res = await t.call("PUT", `/v2/images/${id}/members/p-other`, body, as("other"));
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it("answers 404 for an unknown image or member and 403 once the image is no longer shared", async () => {
    expect((await setStatus(UNKNOWN, "p-other", "accepted")).status).toBe(404);
    const id = await sharedImage();
    expect((await setStatus(id, "p-nobody", "accepted", "admin")).status).toBe(404);
    await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/visibility", value: "public" }], {
      headers: { "content-type": JSON_PATCH_TYPE },
    });
    const res = await setStatus(id, "p-other", "accepted");
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`Not allowed to update members for image ${id}.`);
  });
});

describe("DELETE /v2/images/{id}/members/{member_id}", () => {
  it("lets the owner remove a member (204), after which the image is gone for that project", async () => {
    const id = await sharedImage();
    await setStatus(id, "p-other", "accepted");
    expect((await t.call("GET", `/v2/images/${id}`, undefined, as("other"))).status).toBe(200);
    expect((await t.call("DELETE", `/v2/images/${id}/members/p-other`)).status).toBe(204);
    expect((await t.call("GET", `/v2/images/${id}/members`)).body.members).toEqual([]);
    expect((await t.call("GET", `/v2/images/${id}`, undefined, as("other"))).status).toBe(404);
    expect(await listed("other")).not.toContain(id);
    expect((await t.call("DELETE", `/v2/images/${id}/members/p-other`)).status).toBe(404);
  });

  it("refuses a member with 403, and answers 404 for unknown images and members", async () => {
    const id = await sharedImage();
    const res = await t.call("DELETE", `/v2/images/${id}/members/p-other`, undefined, as("other"));
    expect(res.status).toBe(403);
    expect(res.body.message).toContain("You are not authorized to complete delete_member action.");
    expect((await t.call("DELETE", `/v2/images/${UNKNOWN}/members/p-other`)).status).toBe(404);
    expect((await t.call("DELETE", `/v2/images/${id}/members/p-nobody`)).status).toBe(404);
    expect((await t.call("DELETE", `/v2/images/${id}/members/p-other`, undefined, as("admin"))).status).toBe(204);
  });

  it("refuses on an image that is no longer shared with 403", async () => {
    const id = await sharedImage();
    await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/visibility", value: "private" }], {
      headers: { "content-type": JSON_PATCH_TYPE },
    });
    const res = await t.call("DELETE", `/v2/images/${id}/members/p-other`);
    expect(res.status).toBe(403);
    expect(res.body.message).toContain(`Not allowed to delete members for image ${id}.`);
  });
});

describe("what a member of a shared image may do", () => {
  it("lists the image by member_status (accepted by default, pending, rejected, all); 400 for another", async () => {
    const id = await sharedImage();
    expect(await listed("other")).not.toContain(id);
    expect(await listed("other", "?member_status=pending")).toContain(id);
    expect(await listed("other", "?member_status=all")).toContain(id);
    await setStatus(id, "p-other", "accepted");
    expect(await listed("other")).toContain(id);
    expect(await listed("other", "?member_status=pending")).not.toContain(id);
    await setStatus(id, "p-other", "rejected");
    expect(await listed("other")).not.toContain(id);
    expect(await listed("other", "?member_status=rejected")).toContain(id);
    expect(await listed("other", "?visibility=shared&member_status=all")).toContain(id);
    expect(await listed("member")).toContain(id);
    const bad = await t.call("GET", "/v2/images?member_status=maybe", undefined, as("other"));
    expect(bad.status).toBe(400);
  });

  it.each(["pending", "rejected", "accepted"])("shows and downloads the image while %s", async (status) => {
    const id = await sharedImage();
    const bytes = Buffer.from("shared bytes");
    expect((await t.call("PUT", `/v2/images/${id}/file`, bytes)).status).toBe(204);
    await setStatus(id, "p-other", status);
    const shown = await t.call("GET", `/v2/images/${id}`, undefined, as("other"));
    expect(shown.status).toBe(200);
    const file = await t.call("GET", `/v2/images/${id}/file`, undefined, as("other"));
    expect(file.status).toBe(200);
    expect(file.raw.equals(bytes)).toBe(true);
  });

  it("may not change, delete, upload to or tag the image (403)", async () => {
    const id = await sharedImage();
    await setStatus(id, "p-other", "accepted");
    const patch = await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/name", value: "x" }], {
      token: "other",
      headers: { "content-type": JSON_PATCH_TYPE },
    });
    expect(patch.status).toBe(403);
    expect((await t.call("DELETE", `/v2/images/${id}`, undefined, as("other"))).status).toBe(403);
    expect((await t.call("PUT", `/v2/images/${id}/file`, Buffer.from("x"), as("other"))).status).toBe(403);
    expect((await t.call("PUT", `/v2/images/${id}/tags/x`, undefined, as("other"))).status).toBe(403);
    expect((await t.call("GET", `/v2/images/${id}`)).body.name).toBe("shared-img");
  });

  it("loses sight of the image when the owner makes it private, and the members go with a deleted image", async () => {
    const id = await sharedImage();
    await t.call("PATCH", `/v2/images/${id}`, [{ op: "replace", path: "/visibility", value: "private" }], {
      headers: { "content-type": JSON_PATCH_TYPE },
    });
    expect((await t.call("GET", `/v2/images/${id}`, undefined, as("other"))).status).toBe(404);
    expect((await t.call("DELETE", `/v2/images/${id}`)).status).toBe(204);
    expect(await t.repository.listMembers(id)).toEqual([]);
  });
});
