import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BASE, type TestIdentity, testIdentity } from "./fixture.test.js";

let t: TestIdentity;
beforeEach(async () => {
  t = await testIdentity();
});
afterEach(async () => t.close());

const call = (
  method: "GET" | "POST" | "PATCH" | "DELETE" | "HEAD" | "PUT",
  url: string,
  payload?: unknown,
  token?: string,
) =>
  t.app.inject({
    method,
    url,
    headers: t.headers(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
const createUser = async (user: Record<string, unknown>) => {
  const res = await call("POST", "/v3/users", { user });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().user as Record<string, unknown> & { id: string };
};

describe("POST /v3/users", () => {
  it("creates a user in Keystone's shape, extras at top level, password never returned", async () => {
    const user = await createUser({ name: " alice ", password: "pw", email: "a@example.com", description: "d" });
    expect(user).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      name: "alice",
      domain_id: "default",
      enabled: true,
      password_expires_at: null,
      options: {},
      email: "a@example.com",
      description: "d",
      links: { self: `${BASE}/v3/users/${user.id}` },
    });
    expect(t.authorizer.calls.at(-1)).toMatchObject({
      rule: "identity:create_user",
      target: { "target.user.name": " alice " },
    });
  });

  it.each([
    ["a missing name", { password: "x" }, 400, "'name' is a required property"],
    ["a non-boolean enabled", { name: "a", enabled: "yes" }, 400, "'yes' is not of type 'boolean'"],
    ["an unknown option", { name: "a", options: { bogus: true } }, 400, "Additional properties are not allowed"],
    ["a domain that does not exist", { name: "a", domain_id: "nope" }, 404, "Could not find domain: nope."],
  ])("rejects %s", async (_name, user, status, message) => {
    const res = await call("POST", "/v3/users", { user });
    expect(res.statusCode).toBe(status);
    expect(res.json().error).toMatchObject({ code: status, message: expect.stringContaining(message) });
  });

  it("answers 409 with Keystone's message for a name taken in the domain", async () => {
    await createUser({ name: "alice" });
    const res = await call("POST", "/v3/users", { user: { name: "alice" } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toEqual({
      code: 409,
      title: "Conflict",
      message:
        "Conflict occurred attempting to store user - Duplicate entry found with name alice at domain ID default.",
    });
  });

  it("stores options and returns them; null removes one on update", async () => {
    const user = await createUser({
      name: "a",
      options: { ignore_password_expiry: true, multi_factor_auth_rules: [["password", "totp"]] },
    });
    expect(user.options).toEqual({ ignore_password_expiry: true, multi_factor_auth_rules: [["password", "totp"]] });
    const res = await call("PATCH", `/v3/users/${user.id}`, { user: { options: { ignore_password_expiry: null } } });
    expect(res.json().user.options).toEqual({ multi_factor_auth_rules: [["password", "totp"]] });
  });
});

describe("GET /v3/users", () => {
  beforeEach(async () => {
    t.area.domains.put({ id: "d2", name: "D2", enabled: true });
    await createUser({ name: "alice" });
    await createUser({ name: "bob", enabled: false });
    await createUser({ name: "alina", domain_id: "d2" });
  });

  it.each([
    ["everyone", "", ["alice", "alina", "bob"]],
    ["by name", "?name=alice", ["alice"]],
    ["by domain", "?domain_id=d2", ["alina"]],
    ["enabled only", "?enabled=true", ["alice", "alina"]],
    ["disabled only (0 is false)", "?enabled=0", ["bob"]],
    ["by name prefix", "?name__startswith=ali", ["alice", "alina"]],
    ["by name fragment, case-insensitively", "?name__icontains=LIN", ["alina"]],
    ["users with an expiring password (none)", "?password_expires_at=lt:2100-01-01T00:00:00Z", []],
  ])("lists %s", async (_name, query, names) => {
    const res = await call("GET", `/v3/users${query}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.users.map((u: { name: string }) => u.name).sort()).toEqual(names);
    expect(body.links).toEqual({ self: `${BASE}/v3/users${query}`, previous: null, next: null });
  });

  it("answers 400 for a bad password_expires_at operator, with Keystone's message", async () => {
    const res = await call("GET", "/v3/users?password_expires_at=xx:2026-01-01T00:00:00Z");
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain("The given operator xx is not valid.");
  });
});

describe("a user by id", () => {
  it("404s with Keystone's message for an unknown id", async () => {
    const res = await call("GET", "/v3/users/nope");
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toEqual({ code: 404, title: "Not Found", message: "Could not find user: nope." });
  });

  it("updates, keeps extras, refuses a domain change, deletes", async () => {
    const user = await createUser({ name: "a", email: "old@x" });
    const patched = await call("PATCH", `/v3/users/${user.id}`, { user: { name: "b", email: "new@x", title: "t" } });
    expect(patched.json().user).toMatchObject({ name: "b", email: "new@x", title: "t" });
    const moved = await call("PATCH", `/v3/users/${user.id}`, { user: { domain_id: "other" } });
    expect(moved.statusCode).toBe(400);
    expect(moved.json().error.message).toBe("Cannot change Domain ID");
    expect((await call("DELETE", `/v3/users/${user.id}`)).statusCode).toBe(204);
    expect((await call("GET", `/v3/users/${user.id}`)).statusCode).toBe(404);
  });

  it("checks identity:get_user with Keystone's target", async () => {
    const user = await createUser({ name: "a" });
    await call("GET", `/v3/users/${user.id}`);
    expect(t.authorizer.calls.at(-1)).toEqual({
      rule: "identity:get_user",
      target: expect.objectContaining({
        user_id: user.id,
        "target.user.id": user.id,
        "target.user.domain_id": "default",
      }),
    });
  });

  it("answers 403 when policy denies", async () => {
    const denied = await testIdentity({ deny: true });
    const res = await denied.app.inject({ method: "GET", url: "/v3/users", headers: denied.headers() });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe(
      "You are not authorized to perform the requested action: identity:list_users.",
    );
    await denied.close();
  });
});

describe("POST /v3/users/{id}/password", () => {
  it("changes the password with the right original, 401 with a wrong one", async () => {
    const user = await createUser({ name: "a", password: "old-pw" });
    const wrong = await call("POST", `/v3/users/${user.id}/password`, {
      user: { original_password: "bad", password: "x" },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toBe("The request you have made requires authentication.");
    const ok = await call("POST", `/v3/users/${user.id}/password`, {
      user: { original_password: "old-pw", password: "new-pw" },
    });
    expect(ok.statusCode).toBe(204);
    await expect(t.area.passwords.authenticatePassword({ userId: user.id, password: "new-pw" })).resolves.toBeDefined();
  });

  it("rejects extra properties (the password change schema is closed)", async () => {
    const user = await createUser({ name: "a", password: "old-pw" });
    const res = await call("POST", `/v3/users/${user.id}/password`, {
      user: { original_password: "old-pw", password: "n", extra: 1 },
    });
    expect(res.statusCode).toBe(400);
  });
});
