import { createCipheriv, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { tokenFailureReason } from "./failures.js";
import { decrypt, encrypt, type FernetKey, generateFernetKey, parseFernetKey } from "./fernet.js";

// The spec's generate.json / verify.json case (github.com/fernet/spec); Python's
// cryptography `Fernet._encrypt_from_parts(b"hello", 499162800, bytes(range(16)))` gives the same token.
const SPEC = {
  token: "gAAAAAAdwJ6wAAECAwQFBgcICQoLDA0ODy021cpGVWKZ_eEwCGM4BLLF_5CV9dOPmrhuVUPgJobwOz7JcbmrR64jVmpU4IwqDA==",
  now: new Date("1985-10-26T01:20:00-07:00"),
  iv: Uint8Array.from({ length: 16 }, (_, i) => i),
  src: "hello",
  secret: "cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=",
};
const key = parseFernetKey(SPEC.secret);

/** A token with a valid HMAC around arbitrary parts (to build the spec's invalid cases). */
function seal(k: FernetKey, seconds: number, iv: Uint8Array, body: Buffer, version = 0x80): string {
  const head = Buffer.alloc(9);
  head[0] = version;
  head.writeBigUInt64BE(BigInt(seconds), 1);
  const signed = Buffer.concat([head, iv, body]);
  return Buffer.concat([signed, createHmac("sha256", k.signingKey).update(signed).digest()]).toString("base64url");
}
function rawCbc(k: FernetKey, iv: Uint8Array, block: Buffer): Buffer {
  const c = createCipheriv("aes-128-cbc", k.encryptionKey, iv).setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}
const ts = Math.floor(SPEC.now.getTime() / 1000);
const good = Buffer.from(SPEC.token, "base64url");

describe("Fernet", () => {
  it("produces the spec's generate vector from its key, time, IV and message", () => {
    expect(encrypt(key, Buffer.from(SPEC.src), { now: SPEC.now, iv: SPEC.iv })).toBe(SPEC.token);
  });

  it("verifies the spec's verify vector within its 60 s ttl, with and without padding", () => {
    const now = new Date(SPEC.now.getTime() + 1000);
    expect(decrypt([key], SPEC.token, { ttl: 60, now }).plaintext.toString()).toBe("hello");
    expect(decrypt([key], SPEC.token.replace(/=+$/, "")).timestamp).toBe(ts);
  });

  const flip = (b: Buffer, i: number) => {
    const c = Buffer.from(b);
    c[i] = c[i]! ^ 1;
    return c.toString("base64url");
  };
  it.each([
    ["an incorrect MAC is a bad signature", flip(good, good.length - 1), "bad_signature"],
    ["a flipped ciphertext bit is a bad signature, found before any decryption", flip(good, 30), "bad_signature"],
    [
      "a token too short to hold a block and a MAC is malformed",
      good.subarray(0, 60).toString("base64url"),
      "malformed",
    ],
    ["standard base64 characters are malformed", `${SPEC.token.slice(0, 10)}+/${SPEC.token.slice(12)}`, "malformed"],
    [
      "a ciphertext that is not a whole number of blocks is malformed",
      seal(key, ts, SPEC.iv, Buffer.alloc(20)),
      "malformed",
    ],
    [
      "a payload with bad PKCS#7 padding is malformed",
      seal(key, ts, SPEC.iv, rawCbc(key, SPEC.iv, Buffer.alloc(16, 0x11))),
      "malformed",
    ],
    ["a version byte other than 0x80 is malformed", seal(key, ts, SPEC.iv, Buffer.alloc(16), 0x81), "malformed"],
    [
      "a timestamp more than 60 s ahead is clock skew",
      seal(key, ts + 3600, SPEC.iv, rawCbc(key, SPEC.iv, Buffer.alloc(16, 16))),
      "clock_skew",
    ],
    [
      "a token older than its ttl is expired",
      seal(key, ts - 3600, SPEC.iv, rawCbc(key, SPEC.iv, Buffer.alloc(16, 16))),
      "expired",
    ],
  ])("refuses the spec's invalid case: %s", (_name, token, reason) => {
    let caught: unknown;
    try {
      decrypt([key], token, { ttl: 60, now: new Date(SPEC.now.getTime() + 1000) });
    } catch (e) {
      caught = e;
    }
    expect(tokenFailureReason(caught)).toBe(reason);
    expect((caught as { code: string }).code).toBe("unauthorized");
  });

  it("decrypts with whichever key signed the token and says which one", () => {
    const other = parseFernetKey(generateFernetKey());
    const token = encrypt(other, Buffer.from("x"));
    expect(decrypt([key, other], token).keyIndex).toBe(1);
  });

  it("refuses to decrypt with no keys at all", () => {
    expect(() => decrypt([], SPEC.token)).toThrow(expect.objectContaining({ details: { reason: "no_keys" } }));
  });

  it.each([
    ["a key that decodes to 31 bytes", Buffer.alloc(31).toString("base64url")],
    ["a key with characters outside url-safe base64", "cw_0x689RpI+jtRR7oE8h/eQsKImvJapLeSbXpwF4e4="],
  ])("refuses to parse %s", (_name, text) => {
    expect(() => parseFernetKey(text)).toThrow(expect.objectContaining({ code: "bad_request" }));
  });
});
