import { describe, expect, it } from "vitest";
import { RemoteTokenAuthenticator } from "./remote-authenticator.js";

const tokenBody = (userId: string, roles: string[], expiresAt = "2099-01-01T00:00:00.000000Z") => ({
  token: {
    user: { id: userId, domain: { id: "default" } },
    project: { id: "p1", domain: { id: "default" } },
    roles: roles.map((name) => ({ id: `${name}-id`, name })),
    audit_ids: ["a1"],
    expires_at: expiresAt,
    methods: ["password"],
  },
});

/** A Keystone that knows a few subject tokens and counts what it was asked. */
function fakeKeystone(known: Record<string, ReturnType<typeof tokenBody>>) {
  const calls: string[] = [];
  let serviceTokens = 0;
  const fetchFn = (async (_url: string, init?: RequestInit) => {
    const headers = (init?.headers ?? {}) as Record<string, string>;
    if (init?.method === "POST") {
      calls.push("issue");
      serviceTokens++;
      return new Response(JSON.stringify(tokenBody("svc", ["service"])), {
        status: 201,
        headers: { "x-subject-token": `svc-token-${serviceTokens}` },
      });
    }
    calls.push(`validate ${headers["x-subject-token"]}`);
    if (!headers["x-auth-token"]?.startsWith("svc-token")) return new Response("{}", { status: 401 });
    const body = known[headers["x-subject-token"] ?? ""];
    return body ? new Response(JSON.stringify(body), { status: 200 }) : new Response("{}", { status: 404 });
  }) as typeof fetch;
  return { fetchFn, calls };
}

const request = (headers: Record<string, string>) => ({ headers, requestId: "req-1", globalRequestId: null });
const options = {
  identityUrl: "http://keystone.test:5000",
  serviceCredentials: { username: "nova", password: "x", projectName: "service" },
};

describe("RemoteTokenAuthenticator", () => {
  it("validates a token once, then answers from its cache", async () => {
    const k = fakeKeystone({ good: tokenBody("u1", ["Member", "reader"]) });
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: k.fetchFn });
    const first = await auth.authenticate(request({ "x-auth-token": "good" }));
    const second = await auth.authenticate(request({ "x-auth-token": "good" }));
    expect(first).toMatchObject({ userId: "u1", projectId: "p1", roles: ["member", "reader"], authToken: "good" });
    expect(second?.userId).toBe("u1");
    expect(k.calls).toEqual(["issue", "validate good"]);
  });

  it.each([
    ["a missing token", {}],
    ["a token Keystone does not know", { "x-auth-token": "bad" }],
    ["a service token without a service role", { "x-auth-token": "good", "x-service-token": "plain" }],
  ])("refuses %s", async (_name, headers) => {
    const k = fakeKeystone({ good: tokenBody("u1", ["member"]), plain: tokenBody("u2", ["member"]) });
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: k.fetchFn });
    expect(await auth.authenticate(request(headers))).toBeNull();
  });

  it("accepts a user token with a valid service token", async () => {
    const k = fakeKeystone({ good: tokenBody("u1", ["member"]), svc: tokenBody("nova", ["service"]) });
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: k.fetchFn });
    expect((await auth.authenticate(request({ "x-auth-token": "good", "x-service-token": "svc" })))?.userId).toBe("u1");
  });

  it("stops trusting a cached validation after cacheSeconds", async () => {
    let now = 0;
    const k = fakeKeystone({ good: tokenBody("u1", ["member"]) });
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: k.fetchFn, cacheSeconds: 60, now: () => now });
    await auth.authenticate(request({ "x-auth-token": "good" }));
    now = 61_000;
    await auth.authenticate(request({ "x-auth-token": "good" }));
    expect(k.calls.filter((c) => c === "validate good")).toHaveLength(2);
  });

  it("never trusts a cached validation past the token's own expiry", async () => {
    let now = Date.parse("2030-01-01T00:00:00Z");
    const k = fakeKeystone({ soon: tokenBody("u1", ["member"], "2030-01-01T00:00:30.000000Z") });
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: k.fetchFn, now: () => now });
    await auth.authenticate(request({ "x-auth-token": "soon" }));
    now += 31_000;
    await auth.authenticate(request({ "x-auth-token": "soon" }));
    expect(k.calls.filter((c) => c === "validate soon")).toHaveLength(2);
  });

  it("gets a new service token once when Keystone refuses its own", async () => {
    const k = fakeKeystone({ good: tokenBody("u1", ["member"]) });
    let first = true;
    const flaky = (async (url: string, init?: RequestInit) => {
      if (init?.method !== "POST" && first) {
        first = false;
        return new Response("{}", { status: 401 });
      }
      return k.fetchFn(url, init);
    }) as typeof fetch;
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: flaky });
    expect((await auth.authenticate(request({ "x-auth-token": "good" })))?.userId).toBe("u1");
    expect(k.calls.filter((c) => c === "issue")).toHaveLength(2);
  });

  it("says Keystone is unavailable (503), not that the token is bad, when it cannot be reached", async () => {
    const down = (async () => {
      throw new TypeError("fetch failed");
    }) as typeof fetch;
    const auth = new RemoteTokenAuthenticator({ ...options, fetch: down });
    await expect(auth.authenticate(request({ "x-auth-token": "good" }))).rejects.toMatchObject({
      code: "backend_unavailable",
      retryable: true,
    });
  });
});
