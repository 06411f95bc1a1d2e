import { describe, expect, it } from "vitest";
import { tokenFailureReason } from "./failures.js";
import { encrypt, generateFernetKey, parseFernetKey } from "./fernet.js";
import { PyFloat, packPy } from "./msgpack-writer.js";
import { PAYLOAD_VERSIONS, type TokenPayload } from "./payloads.js";
import { KeystoneTokenFormat, packToken, unpackToken } from "./token-format.js";

const key = parseFernetKey(generateFernetKey());
const common = {
  userId: "6bb7a1e0f7a44f6aa4e5d57d51a1c0de",
  methods: ["password"],
  expiresAt: new Date("2031-04-05T06:07:08Z"),
  auditIds: ["wVTt4Tg1SgSt1HZTb2gN0A"],
};
const P = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
const fed = {
  groupIds: ["99998888777766665555444433332222", "admins"],
  identityProviderId: "myidp",
  protocolId: "saml2",
};

const samples: Array<[string, TokenPayload]> = [
  ["version 0, an unscoped token", { ...common, kind: "unscoped" }],
  [
    "version 1, a token scoped to a UUID domain",
    { ...common, kind: "domain", domainId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9" },
  ],
  ["version 1, a token scoped to the default domain", { ...common, kind: "domain", domainId: "default" }],
  ["version 2, a project-scoped token", { ...common, kind: "project", projectId: P }],
  [
    "version 2, a rescoped token with its parent audit id",
    { ...common, kind: "project", projectId: P, auditIds: ["wVTt4Tg1SgSt1HZTb2gN0A", "X7gq0bUuRsKvYYYH3tqgqA"] },
  ],
  [
    "version 3, a trust-scoped token",
    { ...common, kind: "trust", projectId: P, trustId: "11112222333344445555666677778888" },
  ],
  ["version 4, a federated unscoped token", { ...common, kind: "federated_unscoped", ...fed, methods: ["mapped"] }],
  ["version 5, a federated project-scoped token", { ...common, kind: "federated_project", projectId: P, ...fed }],
  [
    "version 6, a federated domain-scoped token",
    { ...common, kind: "federated_domain", domainId: "0a1b2c3d4e5f60718293a4b5c6d7e8f9", ...fed, groupIds: [] },
  ],
  [
    "version 7, an OAuth1 token",
    { ...common, kind: "oauth1", projectId: P, accessTokenId: "cafebabecafebabecafebabecafebabe" },
  ],
  ["version 8, a system-scoped token", { ...common, kind: "system", system: "all" }],
  [
    "version 9, an application credential token",
    {
      ...common,
      kind: "application_credential",
      projectId: P,
      applicationCredentialId: "abcdefabcdefabcdefabcdefabcdef01",
    },
  ],
  [
    "version 2 with non-UUID user and project ids (kept as strings)",
    { ...common, kind: "project", userId: "alice@ldap", projectId: "my-project" },
  ],
  [
    "version 2 with methods including the ec2credential pseudo-method",
    { ...common, kind: "project", projectId: P, methods: ["ec2credential", "token"] },
  ],
];

describe("Keystone token payloads", () => {
  it("covers every payload version Keystone 22 defines, 0 through 9", () => {
    expect(PAYLOAD_VERSIONS.map((v) => v.version)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it.each(samples)("round-trips %s through packToken and unpackToken", (_name, payload) => {
    const issued = new Date("2026-11-22T10:00:00Z");
    const token = packToken(payload, key, { now: issued });
    expect(token).not.toMatch(/=/);
    const back = unpackToken(token, [key]);
    expect(back).toEqual({
      ...payload,
      version: PAYLOAD_VERSIONS.find((v) => v.kind === payload.kind)!.version,
      issuedAt: issued,
    });
  });

  it("writes a dashed UUID as its 16 bytes, so it comes back undashed, as Keystone's does", () => {
    const back = unpackToken(
      packToken({ ...common, kind: "project", projectId: "f0e1d2c3-b4a5-9687-7869-5a4b3c2d1e0f" }, key),
      [key],
    );
    expect(back.kind === "project" && back.projectId).toBe(P);
  });

  it("keeps sub-second expiry to the millisecond", () => {
    const expiresAt = new Date("2031-04-05T06:07:08.250Z");
    expect(unpackToken(packToken({ ...common, kind: "unscoped", expiresAt }, key), [key]).expiresAt).toEqual(expiresAt);
  });

  it.each([
    ["an auth method that is not configured", { ...common, kind: "unscoped", methods: ["totp"] }],
    ["a trust id that is not a UUID", { ...common, kind: "trust", projectId: P, trustId: "not-a-uuid" }],
    ["a domain id that is neither a UUID nor the default domain", { ...common, kind: "domain", domainId: "other" }],
    ["an audit id that is not url-safe base64", { ...common, kind: "unscoped", auditIds: ["no/slashes+here"] }],
    ["three audit ids", { ...common, kind: "unscoped", auditIds: ["AA", "BB", "CC"] }],
  ] as Array<[string, TokenPayload]>)("refuses to pack a payload with %s", (_name, payload) => {
    expect(() => packToken(payload, key)).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  const sealed = (value: Parameters<typeof packPy>[0]) => encrypt(key, packPy(value));
  it.each([
    [
      "an unknown payload version (10, OAuth2, is not in Keystone 22)",
      sealed([10, [true, Buffer.alloc(16)]]),
      "unsupported_version",
    ],
    ["a payload with a missing field", sealed([0, [true, Buffer.alloc(16)], 2]), "malformed"],
    ["a payload that is not a list", sealed("hello"), "malformed"],
    [
      "an id pair whose bytes are not 16 long",
      sealed([0, [true, Buffer.alloc(3)], 2, new PyFloat(1.5), [Buffer.alloc(16)]]),
      "malformed",
    ],
    [
      "a token signed with a key we do not hold",
      packToken({ ...common, kind: "unscoped" }, parseFernetKey(generateFernetKey())),
      "bad_signature",
    ],
  ])("refuses to unpack %s", (_name, token, reason) => {
    let caught: unknown;
    try {
      unpackToken(token, [key]);
    } catch (e) {
      caught = e;
    }
    expect(tokenFailureReason(caught)).toBe(reason);
  });

  it("uses a deployment's default domain id and method list when configured", () => {
    const format = new KeystoneTokenFormat({ defaultDomainId: "local", authMethods: ["password", "totp"] });
    const token = format.pack({ ...common, kind: "domain", domainId: "local", methods: ["totp"] }, key);
    expect(format.unpack(token, [key])).toMatchObject({ domainId: "local", methods: ["totp"] });
  });
});
