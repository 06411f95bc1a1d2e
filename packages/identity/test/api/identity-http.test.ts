/**
 * The assembled identity service over HTTP with Keystone's default policy: the negative paths a
 * client meets, and every event that must revoke tokens.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratus/core/db";
import { createServiceApp, type ServiceApp } from "@stratus/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bootstrap } from "../../src/bootstrap.js";
import { createIdentity, type Identity } from "../../src/identity.js";

const AUTH_FAILED = {
  error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
};

interface Harness {
  readonly app: ServiceApp;
  readonly identity: Identity;
  close(): Promise<void>;
}

async function start(tokenExpirationSeconds = 3600): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-identity-"));
  const database = await openDatabase({ engine: "sqlite", path: join(dir, "identity.db") });
  const identity = await createIdentity({
    database,
    keyRepository: join(dir, "fernet-keys"),
    credentialKeyRepository: join(dir, "credential-keys"),
    tokenExpirationSeconds,
    users: { passwordHashRounds: 4 },
  });
  await bootstrap(identity, { adminPassword: "admin-pw", publicUrl: "http://keystone.test:5000/v3/" });
  const app = createServiceApp({
    service: "identity",
    authenticator: identity.authenticator,
    identityUri: "http://keystone.test:5000",
  });
  identity.registerRoutes(app);
  await app.ready();
  return {
    app,
    identity,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

const passwordAuth = (name: string, password: string, project?: string) => ({
  auth: {
    identity: { methods: ["password"], password: { user: { name, password, domain: { id: "default" } } } },
    ...(project === undefined ? {} : { scope: { project: { name: project, domain: { id: "default" } } } }),
  },
});

describe("identity over HTTP", () => {
  let h: Harness;
  let admin: string;
  const call = async (
    method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE" | "HEAD",
    url: string,
    token?: string,
    payload?: unknown,
    subject?: string,
  ) => {
    const res = await h.app.inject({
      method,
      url,
      headers: { ...(token ? { "x-auth-token": token } : {}), ...(subject ? { "x-subject-token": subject } : {}) },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, headers: res.headers };
  };
  const login = async (name: string, password: string, project?: string) => {
    const res = await call("POST", "/v3/auth/tokens", undefined, passwordAuth(name, password, project));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.headers["x-subject-token"] as string;
  };
  /** A user with `member` on a new project; returns ids and a token scoped there. */
  const memberOf = async (suffix: string) => {
    const project = (
      await call("POST", "/v3/projects", admin, { project: { name: `p-${suffix}`, domain_id: "default" } })
    ).body.project;
    const user = (
      await call("POST", "/v3/users", admin, {
        user: { name: `u-${suffix}`, password: `pw-${suffix}`, domain_id: "default" },
      })
    ).body.user;
    const member = (await call("GET", "/v3/roles?name=member", admin)).body.roles[0];
    expect((await call("PUT", `/v3/projects/${project.id}/users/${user.id}/roles/${member.id}`, admin)).status).toBe(
      204,
    );
    return { project, user, member, token: await login(user.name, `pw-${suffix}`, project.name) };
  };
  const validates = async (token: string) => (await call("GET", "/v3/auth/tokens", admin, undefined, token)).status;

  beforeAll(async () => {
    h = await start();
    admin = await login("admin", "admin-pw", "admin");
  });
  afterAll(() => h.close());

  it.each([
    ["a wrong password", passwordAuth("admin", "wrong", "admin")],
    ["an unknown user", passwordAuth("nobody", "x", "admin")],
    ["an unknown auth method", { auth: { identity: { methods: ["kerberos"], kerberos: {} } } }],
  ])("answers %s with 401 and Keystone's body", async (_name, body) => {
    const res = await call("POST", "/v3/auth/tokens", undefined, body);
    expect(res.status).toBe(401);
    if (_name !== "an unknown auth method") expect(res.body).toEqual(AUTH_FAILED);
  });

  it.each([
    ["garbage", "not-a-token"],
    ["a tampered token", "tamper"],
    ["an empty Fernet shell", "gAAAAA"],
  ])("answers a subject token that is %s with 404, never 500", async (_name, kind) => {
    const subject = kind === "tamper" ? `${admin.slice(0, -6)}AAAAAA` : kind;
    const res = await call("GET", "/v3/auth/tokens", admin, undefined, subject);
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(`Could not find token: ${subject}.`);
  });

  it("answers a garbled X-Auth-Token with 401 and WWW-Authenticate", async () => {
    const res = await call("GET", "/v3/projects", "garbled");
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Keystone uri="http://keystone.test:5000"');
  });

  it("lets a member read their project but not another one (403)", async () => {
    const a = await memberOf("a");
    const b = await memberOf("b");
    expect((await call("GET", `/v3/projects/${a.project.id}`, a.token)).status).toBe(200);
    const other = await call("GET", `/v3/projects/${b.project.id}`, a.token);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toBe(
      "You are not authorized to perform the requested action: identity:get_project.",
    );
    expect((await call("POST", "/v3/projects", a.token, { project: { name: "nope" } })).status).toBe(403);
  });

  it.each([
    ["an unknown domain", "GET", "/v3/domains/nosuch", undefined, 404],
    ["an unknown project", "GET", "/v3/projects/nosuch", undefined, 404],
    ["a duplicate project name", "POST", "/v3/projects", { project: { name: "admin", domain_id: "default" } }, 409],
    ["a project name that is not a string", "POST", "/v3/projects", { project: { name: 1 } }, 400],
    ["a body that is not JSON", "POST", "/v3/projects", "{nope", 400],
  ] as const)("answers %s with %s", async (_name, method, url, payload, status) => {
    const res = await call(method, url, admin, payload);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(status);
  });

  it("revokes a token explicitly, and the cache never serves it again", async () => {
    const m = await memberOf("revoke");
    expect(await validates(m.token)).toBe(200);
    expect(await validates(m.token)).toBe(200); // now cached
    expect((await call("DELETE", "/v3/auth/tokens", admin, undefined, m.token)).status).toBe(204);
    expect(await validates(m.token)).toBe(404);
    expect((await call("GET", "/v3/auth/projects", m.token)).status).toBe(401);
  });

  it.each([
    [
      "the user is disabled",
      async (m: Awaited<ReturnType<typeof memberOf>>) =>
        call("PATCH", `/v3/users/${m.user.id}`, admin, { user: { enabled: false } }),
    ],
    [
      "the user is deleted",
      async (m: Awaited<ReturnType<typeof memberOf>>) => call("DELETE", `/v3/users/${m.user.id}`, admin),
    ],
    [
      "the password changes",
      async (m: Awaited<ReturnType<typeof memberOf>>) =>
        call("PATCH", `/v3/users/${m.user.id}`, admin, { user: { password: "new-pw" } }),
    ],
    [
      "the project is disabled",
      async (m: Awaited<ReturnType<typeof memberOf>>) =>
        call("PATCH", `/v3/projects/${m.project.id}`, admin, { project: { enabled: false } }),
    ],
    [
      "the role assignment is removed",
      async (m: Awaited<ReturnType<typeof memberOf>>) =>
        call("DELETE", `/v3/projects/${m.project.id}/users/${m.user.id}/roles/${m.member.id}`, admin),
    ],
  ])("stops a token at once when %s", async (name, change) => {
    const m = await memberOf(name.replaceAll(" ", "-"));
    expect(await validates(m.token)).toBe(200);
    const res = await change(m);
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    expect(await validates(m.token)).toBe(404);
  });

  it("stops a token made with an application credential when the credential is deleted", async () => {
    const m = await memberOf("appcred");
    const created = await call("POST", `/v3/users/${m.user.id}/application_credentials`, m.token, {
      application_credential: { name: "ac" },
    });
    expect(created.status).toBe(201);
    const cred = created.body.application_credential;
    const issued = await call("POST", "/v3/auth/tokens", undefined, {
      auth: {
        identity: { methods: ["application_credential"], application_credential: { id: cred.id, secret: cred.secret } },
      },
    });
    expect(issued.status).toBe(201);
    expect(issued.body.token.application_credential).toEqual({ id: cred.id, name: "ac", restricted: true });
    const token = issued.headers["x-subject-token"] as string;
    expect(await validates(token)).toBe(200);
    expect((await call("DELETE", `/v3/users/${m.user.id}/application_credentials/${cred.id}`, m.token)).status).toBe(
      204,
    );
    expect(await validates(token)).toBe(404);
  });

  it("refuses a scope the user has no role on with Keystone's message", async () => {
    const m = await memberOf("noscope");
    const res = await call("POST", "/v3/auth/tokens", undefined, passwordAuth(m.user.name, "pw-noscope", "admin"));
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain(`User ${m.user.id} has no access to project`);
  });
});

describe("expired tokens", () => {
  it("are not found, unless allow_expired asks for them within the window", async () => {
    const h = await start(1);
    const res = await h.app.inject({
      method: "POST",
      url: "/v3/auth/tokens",
      payload: passwordAuth("admin", "admin-pw", "admin"),
    });
    const token = res.headers["x-subject-token"] as string;
    const other = await h.app.inject({
      method: "POST",
      url: "/v3/auth/tokens",
      payload: passwordAuth("admin", "admin-pw", "admin"),
    });
    await new Promise((r) => setTimeout(r, 2100));
    const fresh = (
      await h.app.inject({
        method: "POST",
        url: "/v3/auth/tokens",
        payload: passwordAuth("admin", "admin-pw", "admin"),
      })
    ).headers["x-subject-token"] as string;
    const get = (query: string) =>
      h.app.inject({
        method: "GET",
        url: `/v3/auth/tokens${query}`,
        headers: { "x-auth-token": fresh, "x-subject-token": token },
      });
    expect((await get("")).statusCode).toBe(404);
    expect((await get("?allow_expired=1")).statusCode).toBe(200);
    // an expired token is no credential, whatever the window
    expect(
      (
        await h.app.inject({
          method: "GET",
          url: "/v3/projects",
          headers: { "x-auth-token": other.headers["x-subject-token"] as string },
        })
      ).statusCode,
    ).toBe(401);
    await h.close();
  });
});
