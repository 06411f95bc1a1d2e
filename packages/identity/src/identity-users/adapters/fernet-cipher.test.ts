import { describe, expect, it } from "vitest";
import { FernetCredentialCipher } from "./fernet-cipher.js";

// Made by Python's cryptography.fernet, as Keystone's credential provider does (see testdata/README.md).
const PYTHON = {
  key: "C_1BMIzJPSoO4aVWxP0npgQvP4X0c2vU5xhvi0FZZLQ=",
  token:
    "gAAAAABrAnnOU6AmvqVSJwvPtlx5JEgK_HZrUvyWublR0fU_9pjYpgwfhr8s9UuwDsBp_8Q5G7ZvZ93zzuCD4RcBpaGr8drkvwIJ0e0UTVNZTyKj5SKOsboR-DGZcqDvwYScPZRlfdRj",
  keyHash: "5c1b069b0c9578feaf3a00d6c335ab7cbf620a99",
  plain: '{"access": "AKIA", "secret": "s"}',
};

describe("FernetCredentialCipher", () => {
  it("decrypts a token Python's Fernet made and names the key as Keystone's primary_key_hash", () => {
    const cipher = new FernetCredentialCipher([PYTHON.key]);
    expect(cipher.decrypt(PYTHON.token)).toBe(PYTHON.plain);
    expect(cipher.encrypt("x").keyHash).toBe(PYTHON.keyHash);
  });

  it.each([
    ["round-trips with the primary key", [PYTHON.key], true],
    ["decrypts with a secondary key after rotation", [FernetCredentialCipher.generateKey(), PYTHON.key], true],
    ["refuses a token of an unknown key", [FernetCredentialCipher.generateKey()], false],
  ])("%s", (_name, keys, ok) => {
    const { ciphertext } = new FernetCredentialCipher([PYTHON.key]).encrypt("sécret");
    const cipher = new FernetCredentialCipher(keys);
    if (ok) expect(cipher.decrypt(ciphertext)).toBe("sécret");
    else expect(() => cipher.decrypt(ciphertext)).toThrow("Credential could not be decrypted.");
  });

  it("writes padded url-safe base64 tokens starting with version 0x80, as Python's", () => {
    const { ciphertext } = new FernetCredentialCipher([PYTHON.key]).encrypt("abc");
    expect(ciphertext).toMatch(/^gAAAAA[A-Za-z0-9_-]+=*$/);
    expect(ciphertext.length % 4).toBe(0);
  });
});
