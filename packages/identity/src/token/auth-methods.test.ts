import { describe, expect, it } from "vitest";
import { AuthMethodTable } from "./auth-methods.js";

const table = new AuthMethodTable();

describe("AuthMethodTable (Keystone's default [auth] methods)", () => {
  it.each([
    ["external alone is bit 1", ["external"], 1],
    ["password alone is bit 2", ["password"], 2],
    ["password and token add up to 6", ["password", "token"], 6],
    ["application_credential is the sixth method, bit 32", ["application_credential"], 32],
    ["the ec2credential pseudo-method is bit 2^32", ["ec2credential"], 2 ** 32],
    ["the oauth2_credential pseudo-method is bit 2^33", ["oauth2_credential"], 2 ** 33],
    ["a repeated method counts once", ["token", "token"], 4],
  ])("encodes: %s", (_name, methods, bits) => {
    expect(table.toBits(methods)).toBe(bits);
  });

  it("decodes highest bit first, as Keystone lists methods", () => {
    expect(table.fromBits(6)).toEqual(["token", "password"]);
    expect(table.fromBits(2 ** 32 + 2)).toEqual(["ec2credential", "password"]);
    expect(table.fromBits(0)).toEqual([]);
  });

  it("refuses to encode a method that is not configured", () => {
    expect(() => table.toBits(["totp"])).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("refuses to decode bits that no configured method owns", () => {
    expect(() => table.fromBits(64)).toThrow(expect.objectContaining({ details: { reason: "malformed" } }));
  });

  it("follows a deployment's own method list, so totp can be the seventh bit", () => {
    const custom = new AuthMethodTable([
      "external",
      "password",
      "token",
      "oauth1",
      "mapped",
      "application_credential",
      "totp",
    ]);
    expect(custom.toBits(["totp", "password"])).toBe(66);
  });
});
