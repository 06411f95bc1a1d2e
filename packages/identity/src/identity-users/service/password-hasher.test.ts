import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PasswordHasher } from "./password-hasher.js";

const KEYSTONE: Array<{ password: string; hash: string }> = JSON.parse(
  readFileSync(new URL("../testdata/keystone-bcrypt-hashes.json", import.meta.url), "utf8"),
);
const hasher = new PasswordHasher({ rounds: 4, maxLength: 4096, strict: false });

describe("PasswordHasher", () => {
  it.each(KEYSTONE.map((v) => [v.password, v.hash] as const))(
    "verifies the hash Keystone 22 made of %j",
    async (password, hash) => {
      expect(await hasher.verify(password, hash)).toBe(true);
      expect(await hasher.verify(`wrong-${password}`, hash)).toBe(false);
    },
  );

  it.each([
    [
      "a password past 72 bytes matches its first 72 bytes, as Keystone truncates",
      `${"x".repeat(72)}TAIL`,
      "x".repeat(72),
      true,
    ],
    ["multi-byte characters are cut by bytes, not characters", "é".repeat(50), "é".repeat(36), true],
    ["a different first 72 bytes does not match", "x".repeat(80), "y".repeat(80), false],
  ])("%s", async (_name, stored, tried, expected) => {
    const hash = await hasher.hash(stored);
    expect(await hasher.verify(tried, hash)).toBe(expected);
  });

  it("writes $2b$ hashes at the configured cost", async () => {
    expect(await hasher.hash("pw")).toMatch(/^\$2b\$04\$/);
  });

  it.each([
    ["a null hash (a user without a password)", null],
    ["a scrypt hash we cannot check", "$scrypt$ln=16,r=8,p=1$abc$def"],
    ["garbage", "not-a-hash"],
  ])("never matches %s", async (_name, hash) => {
    expect(await hasher.verify("pw", hash)).toBe(false);
  });

  it("accepts $2y$ hashes, which are $2b$ under another name", async () => {
    const hash = (await hasher.hash("pw")).replace("$2b$", "$2y$");
    expect(await hasher.verify("pw", hash)).toBe(true);
  });

  it("rejects an over-long password with Keystone's 403 in strict mode", async () => {
    const strict = new PasswordHasher({ rounds: 4, maxLength: 4096, strict: true });
    await expect(strict.hash("x".repeat(73))).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringContaining("The password length must be less than or equal to 72."),
    });
  });
});
