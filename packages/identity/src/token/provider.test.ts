import { describe, expect, it } from "vitest";
import { tokenFailureReason } from "./failures.js";
import { generateFernetKey, parseFernetKey } from "./fernet.js";
import { TokenProvider, type TokenProviderOptions } from "./provider.js";
import { revokeAuditChain, revokeAuditId, revokeDomain, revokeProject, revokeUser } from "./revocation/event.js";
import { RevocationIndex } from "./revocation/revocation-index.js";

const U = "6bb7a1e0f7a44f6aa4e5d57d51a1c0de";
const P = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const primary = parseFernetKey(generateFernetKey());
const keys = { fernetKeys: () => [primary], primary: () => primary };

function setup(extra: Partial<TokenProviderOptions> = {}) {
  let now = Date.parse("2026-11-22T10:00:00.400Z");
  const clock = { advance: (ms: number) => (now += ms), now: () => now };
  const revocations = new RevocationIndex({ now: clock.now });
  const provider = new TokenProvider({ keys, revocations, now: clock.now, ...extra });
  return { provider, revocations, clock };
}
const projectRequest = { userId: U, methods: ["password"], scope: { kind: "project", projectId: P } } as const;

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    return { code: (e as { code: string }).code, reason: tokenFailureReason(e), message: (e as Error).message };
  }
  throw new Error("expected a failure");
}

describe("TokenProvider", () => {
  it("issues a project-scoped token that validates to the same payload, issued and expiring on whole seconds", async () => {
    const { provider } = setup();
    const { token, payload } = provider.issue(projectRequest);
    expect(payload).toMatchObject({ kind: "project", version: 2, projectId: P, methods: ["password"] });
    expect(payload.issuedAt.toISOString()).toBe("2026-11-22T10:00:00.000Z");
    expect(payload.expiresAt.toISOString()).toBe("2026-11-22T11:00:00.000Z");
    expect(payload.auditId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await provider.validate(token)).toEqual(payload);
  });

  it("chains a rescoped token to its parent's audit id", async () => {
    const { provider } = setup();
    const first = provider.issue({ userId: U, methods: ["password"], scope: { kind: "unscoped" } });
    const second = provider.issue({
      ...projectRequest,
      methods: ["token", "password"],
      parentAuditId: first.payload.auditId,
    });
    const v = await provider.validate(second.token);
    expect(v.auditIds).toEqual([v.auditId, first.payload.auditId]);
    expect(v.parentAuditId).toBe(first.payload.auditId);
  });

  it.each([
    ["garbage is unauthorized and malformed", "not-a-token", "auth", "unauthorized", "malformed"],
    [
      "garbage as a subject token is 'Could not find token', as Keystone answers",
      "not-a-token",
      "subject",
      "not_found",
      "malformed",
    ],
  ] as const)("refuses %s", async (_name, token, purpose, code, reason) => {
    const { provider } = setup();
    expect(await failure(provider.validate(token, { purpose }))).toMatchObject({ code, reason });
  });

  it("refuses a tampered token as a bad signature", async () => {
    const { provider } = setup();
    const { token } = provider.issue(projectRequest);
    const tampered = token.slice(0, 40) + (token[40] === "A" ? "B" : "A") + token.slice(41);
    expect(await failure(provider.validate(tampered))).toMatchObject({ code: "unauthorized", reason: "bad_signature" });
  });

  it("refuses a token made with a key it does not hold", async () => {
    const { provider } = setup();
    const other = parseFernetKey(generateFernetKey());
    const stranger = new TokenProvider({ keys: { fernetKeys: () => [other], primary: () => other } });
    expect(await failure(provider.validate(stranger.issue(projectRequest).token))).toMatchObject({
      reason: "bad_signature",
    });
  });

  it("refuses an expired token, and accepts it within the 48 h allow_expired window only", async () => {
    const { provider, clock } = setup();
    const { token } = provider.issue(projectRequest);
    clock.advance(3600_000);
    expect(await failure(provider.validate(token, { purpose: "subject" }))).toMatchObject({
      code: "not_found",
      reason: "token_expired",
      message: expect.stringMatching(/^Could not find token: /),
    });
    expect(await provider.validate(token, { allowExpired: true })).toMatchObject({ projectId: P });
    clock.advance(48 * 3600_000);
    expect(await failure(provider.validate(token, { allowExpired: true }))).toMatchObject({ reason: "token_expired" });
  });

  it.each([
    ["by its audit id", (p: { auditId: string }) => revokeAuditId(p.auditId)],
    ["by its user", () => revokeUser(U)],
    ["by its project", () => revokeProject(P)],
  ])("refuses a token revoked %s", async (_name, event) => {
    const { provider, revocations } = setup();
    const { token, payload } = provider.issue(projectRequest);
    await revocations.revoke(event(payload));
    expect(await failure(provider.validate(token))).toMatchObject({ code: "unauthorized", reason: "revoked" });
  });

  it("still accepts a token issued after the user's revocation event", async () => {
    const { provider, revocations, clock } = setup();
    await revocations.revoke(revokeUser(U));
    clock.advance(1000);
    expect((await provider.validate(provider.issue(projectRequest).token)).userId).toBe(U);
  });

  it("revokes every token of a chain by the parent audit id", async () => {
    const { provider, revocations } = setup();
    const first = provider.issue({ userId: U, methods: ["password"], scope: { kind: "unscoped" } });
    const rescoped = provider.issue({ ...projectRequest, parentAuditId: first.payload.auditId });
    await revocations.revoke(revokeAuditChain(first.payload.auditId));
    expect(await failure(provider.validate(rescoped.token))).toMatchObject({ reason: "revoked" });
  });

  it("consults the tokenFacts hook for what the payload lacks, such as the user's domain", async () => {
    const { provider, revocations, clock } = setup({ tokenFacts: () => ({ identityDomainId: "d1" }) });
    // the same fixed clock: on the wall clock the token would expire an hour after the fixed instant
    const shared = new TokenProvider({
      keys,
      revocations,
      now: clock.now,
      tokenFacts: () => ({ identityDomainId: "d1" }),
    });
    const { token } = provider.issue(projectRequest);
    await revocations.revoke(revokeDomain("d1"));
    expect(await failure(shared.validate(token))).toMatchObject({ reason: "revoked" });
  });

  it("issues every scope kind, the system scope as 'all'", async () => {
    const { provider } = setup();
    const { token } = provider.issue({ userId: U, methods: ["password"], scope: { kind: "system", system: "all" } });
    expect(await provider.validate(token)).toMatchObject({ kind: "system", version: 8, system: "all" });
  });
});
