import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IdentityEvent } from "../../identity-users/events.js";
import { BASE, type TestIdentity, testIdentity } from "./fixture.test.js";

let t: TestIdentity;
let events: IdentityEvent[];
beforeEach(async () => {
  t = await testIdentity();
  events = [];
  t.area.events.subscribe((e) => {
    events.push(e);
  });
});
afterEach(async () => t.close());

type Method = "GET" | "POST" | "PATCH" | "DELETE" | "HEAD" | "PUT";
const call = (method: Method, url: string, payload?: unknown, token?: string) =>
  t.app.inject({
    method,
    url,
    headers: t.headers(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const created = async (url: string, key: string, body: Record<string, unknown>, token?: string) => {
  const res = await call("POST", url, { [key]: body }, token);
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[key] as Record<string, unknown> & { id: string };
};

describe("groups", () => {
  it("creates a group with Keystone's defaults and 409s on a duplicate name", async () => {
    const group = await created("/v3/groups", "group", { name: "devs" });
    expect(group).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: "devs",
      domain_id: "default",
      description: "",
      links: { self: `${BASE}/v3/groups/${group.id}` },
    });
    const dup = await call("POST", "/v3/groups", { group: { name: "devs" } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toBe(
      "Conflict occurred attempting to store group - Duplicate entry found with name devs at domain ID default.",
    );
  });

  it("adds, checks, lists and removes members with Keystone's status codes", async () => {
    const group = await created("/v3/groups", "group", { name: "devs" });
    const user = await created("/v3/users", "user", { name: "alice" });
    const member = `/v3/groups/${group.id}/users/${user.id}`;
    expect((await call("HEAD", member)).statusCode).toBe(404);
    expect((await call("PUT", member)).statusCode).toBe(204);
    expect((await call("PUT", member)).statusCode).toBe(204);
    expect((await call("HEAD", member)).statusCode).toBe(204);
    const users = (await call("GET", `/v3/groups/${group.id}/users`)).json().users;
    expect(users.map((u: { name: string }) => u.name)).toEqual(["alice"]);
    const groups = (await call("GET", `/v3/users/${user.id}/groups`)).json().groups;
    expect(groups).toEqual([expect.objectContaining({ id: group.id, membership_expires_at: null })]);
    expect(await t.area.groups.groupIdsOfUser(user.id)).toEqual([group.id]);
    expect((await call("DELETE", member)).statusCode).toBe(204);
    expect(events).toContainEqual({ type: "user_removed_from_group", userId: user.id, groupId: group.id });
    const again = await call("DELETE", member);
    expect(again.statusCode).toBe(404);
    expect(again.json().error.message).toBe(`User '${user.id}' not found in group '${group.id}'`);
  });

  it.each([
    ["an unknown group", (_groupId: string) => "/v3/groups/nope/users/nope", "Could not find group: nope."],
    ["an unknown user", (groupId: string) => `/v3/groups/${groupId}/users/nope`, "Could not find user: nope."],
  ])("404s adding a member to %s", async (_name, urlOf, message) => {
    const group = await created("/v3/groups", "group", { name: "g" });
    const res = await call("PUT", urlOf(group.id));
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toBe(message);
  });

  it("updates and deletes a group", async () => {
    const group = await created("/v3/groups", "group", { name: "g" });
    const res = await call("PATCH", `/v3/groups/${group.id}`, { group: { description: "new" } });
    expect(res.json().group).toMatchObject({ name: "g", description: "new" });
    expect((await call("DELETE", `/v3/groups/${group.id}`)).statusCode).toBe(204);
    expect((await call("GET", `/v3/groups/${group.id}`)).json().error.message).toBe(
      `Could not find group: ${group.id}.`,
    );
  });
});

describe("application credentials", () => {
  let alice: { id: string };
  beforeEach(async () => {
    alice = await created("/v3/users", "user", { name: "alice", password: "pw" });
    t.area.roles.addRole("r-member", "member");
    t.area.roles.addRole("r-reader", "reader");
    t.area.roles.addRole("r-admin", "admin");
    t.area.roles.grant(alice.id, "p1", "r-member");
    t.area.roles.grant(alice.id, "p1", "r-reader");
    t.addToken("alice-token", { userId: alice.id, projectId: "p1", roles: ["member", "reader"] });
  });
  const url = () => `/v3/users/${alice.id}/application_credentials`;

  it("creates one with a generated secret shown once, then authenticates with it", async () => {
    const appCred = await created(
      url(),
      "application_credential",
      { name: "ci", roles: [{ name: "reader" }] },
      "alice-token",
    );
    expect(appCred).toMatchObject({
      name: "ci",
      user_id: alice.id,
      project_id: "p1",
      unrestricted: false,
      expires_at: null,
      roles: [expect.objectContaining({ id: "r-reader", name: "reader" })],
      links: { self: `${BASE}${url()}/${appCred.id}` },
    });
    expect(appCred.secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    const shown = (await call("GET", `${url()}/${appCred.id}`, undefined, "alice-token")).json().application_credential;
    expect(shown.secret).toBeUndefined();
    const auth = await t.area.appCreds.authenticate({ id: appCred.id }, String(appCred.secret));
    expect(auth).toMatchObject({ userId: alice.id, projectId: "p1", roles: [{ id: "r-reader" }] });
    await expect(t.area.appCreds.authenticate({ name: "ci", userId: alice.id }, "wrong")).rejects.toMatchObject({
      code: "unauthorized",
    });
  });

  it.each([
    [
      "a role the user does not hold",
      { name: "x", roles: [{ name: "admin" }] },
      400,
      "Cannot create an application credential with unassigned role",
    ],
    [
      "an expiry in the past",
      { name: "x", expires_at: "2000-01-01T00:00:00" },
      400,
      "The 'expires_at' must not be before now.",
    ],
    ["a malformed expiry", { name: "x", expires_at: "soon" }, 400, "Timestamp not in expected format."],
  ])("rejects %s", async (_name, body, status, message) => {
    const res = await call("POST", url(), { application_credential: body }, "alice-token");
    expect(res.statusCode).toBe(status);
    expect(res.json().error.message).toContain(message);
  });

  it("refuses to create one for another user and 409s on a duplicate name", async () => {
    const other = await call("POST", url(), { application_credential: { name: "x" } });
    expect(other.statusCode).toBe(403);
    await created(url(), "application_credential", { name: "x", secret: "s" }, "alice-token");
    const dup = await call("POST", url(), { application_credential: { name: "x" } }, "alice-token");
    expect(dup.statusCode).toBe(409);
  });

  it("rejects an expired credential and forgets a deleted one", async () => {
    const soon = new Date(Date.now() + 1500).toISOString().replace("Z", "");
    const appCred = await created(
      url(),
      "application_credential",
      { name: "tmp", secret: "s3", expires_at: soon },
      "alice-token",
    );
    expect(appCred.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/);
    await new Promise((r) => setTimeout(r, 1600));
    await expect(t.area.appCreds.authenticate({ id: appCred.id }, "s3")).rejects.toMatchObject({
      details: { reason: "expired" },
    });
    expect((await call("DELETE", `${url()}/${appCred.id}`, undefined, "alice-token")).statusCode).toBe(204);
    expect(events).toContainEqual({
      type: "application_credential_deleted",
      applicationCredentialId: appCred.id,
      userId: alice.id,
    });
    const gone = await call("GET", `${url()}/${appCred.id}`, undefined, "alice-token");
    expect(gone.json().error.message).toBe(`Could not find Application Credential: ${appCred.id}.`);
  });

  it("stops working when the user is disabled (Keystone deletes the user's credentials)", async () => {
    const appCred = await created(url(), "application_credential", { name: "ci", secret: "s" }, "alice-token");
    await call("PATCH", `/v3/users/${alice.id}`, { user: { enabled: false } });
    expect(events).toContainEqual({ type: "user_disabled", userId: alice.id });
    await expect(t.area.appCreds.authenticate({ id: appCred.id }, "s")).rejects.toMatchObject({ code: "unauthorized" });
  });
});

describe("credentials", () => {
  it("stores an EC2 credential under sha256(access), encrypted at rest, and lists it", async () => {
    const blob = JSON.stringify({ access: "AKIA1", secret: "s" });
    const cred = await created("/v3/credentials", "credential", { type: "ec2", user_id: "u1", project_id: "p1", blob });
    expect(cred.id).toBe(createHash("sha256").update("AKIA1").digest("hex"));
    expect(cred).toMatchObject({ type: "ec2", user_id: "u1", project_id: "p1", blob });
    const row = await t.area.database.kysely.selectFrom("iu_credential").selectAll().executeTakeFirstOrThrow();
    expect(row.encrypted_blob).not.toContain("AKIA1");
    const list = (await call("GET", "/v3/credentials?user_id=u1")).json().credentials;
    expect(list).toEqual([expect.objectContaining({ id: cred.id, blob })]);
  });

  it.each([
    [
      "an ec2 blob without access",
      { type: "ec2", user_id: "u", project_id: "p", blob: '{"secret":1}' },
      "Expecting to find access in credential.",
    ],
    [
      "an ec2 blob that is not JSON",
      { type: "ec2", user_id: "u", project_id: "p", blob: "nope" },
      "Invalid blob in credential",
    ],
    [
      "an ec2 credential without project",
      { type: "ec2", user_id: "u", blob: "{}" },
      "is not valid under any of the given schemas",
    ],
  ])("rejects %s", async (_name, body, message) => {
    const res = await call("POST", "/v3/credentials", { credential: body });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain(message);
  });

  it("updates the blob, deletes, and 404s after", async () => {
    const cred = await created("/v3/credentials", "credential", { type: "totp", user_id: "u1", blob: "seed" });
    const res = await call("PATCH", `/v3/credentials/${cred.id}`, { credential: { blob: "seed2" } });
    expect(res.json().credential.blob).toBe("seed2");
    expect((await call("DELETE", `/v3/credentials/${cred.id}`)).statusCode).toBe(204);
    expect((await call("GET", `/v3/credentials/${cred.id}`)).json().error.message).toBe(
      `Could not find credential: ${cred.id}.`,
    );
  });
});
