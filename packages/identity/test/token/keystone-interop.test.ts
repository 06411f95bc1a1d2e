import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FernetKeyRepository, KeystoneTokenFormat, unpackToken } from "../../src/token/index.js";
import {
  FIXTURE_DIR,
  fieldsOf,
  KEY_DIR,
  type KeystoneFields,
  type KeystoneInput,
  payloadOf,
  requireKeystone,
  runKeystone,
} from "./keystone.js";

interface Fixture {
  name: string;
  version: number;
  input: KeystoneInput;
  serialized_hex: string;
  token: string;
  keystone: KeystoneFields;
}
const committed: Fixture[] = JSON.parse(readFileSync(join(FIXTURE_DIR, "fixtures.json"), "utf8")).fixtures;
const repo = new FernetKeyRepository(KEY_DIR);
const format = new KeystoneTokenFormat();
const rows = committed.map((f) => [f.name, f] as const);

describe("interop with Keystone's own token formatter (python3-keystone)", () => {
  let scratch: string;
  let fresh: Fixture[];
  beforeAll(() => {
    requireKeystone();
    scratch = mkdtempSync(join(tmpdir(), "stratus-ks-"));
    runKeystone(["make", join(scratch, "fixtures.json")]);
    fresh = JSON.parse(readFileSync(join(scratch, "fixtures.json"), "utf8")).fixtures;
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("covers the unscoped, domain, project, trust, system and application credential versions and more", () => {
    expect(new Set(committed.map((f) => f.version))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it.each(rows)("decodes Keystone's committed %s token to every field Keystone decodes", (_name, f) => {
    const ours = unpackToken(f.token, repo.fernetKeys());
    expect(ours.version).toBe(f.version);
    expect(fieldsOf(ours)).toEqual(f.keystone);
    expect(ours.expiresAt.getTime()).toBe(Date.parse(f.input.expires_at));
  });

  it.each(rows)("decodes a %s token Keystone mints now, in this run", (name) => {
    const f = fresh.find((x) => x.name === name)!;
    expect(fieldsOf(unpackToken(f.token, repo.fernetKeys()))).toEqual(f.keystone);
  });

  it.each(rows)("serializes the %s payload to exactly Keystone's msgpack bytes", (_name, f) => {
    expect(Buffer.from(format.serialize(payloadOf(f.version, f.input))).toString("hex")).toBe(f.serialized_hex);
  });

  it("mints a token of every fixture here that Keystone's formatter decodes to the same fields", () => {
    const issued = new Date("2026-11-22T10:11:12Z");
    const ours = committed.map((f) => ({
      name: f.name,
      token: format.pack(payloadOf(f.version, f.input), repo.primary(), { now: issued }),
    }));
    const answers = runKeystone(["verify"], ours) as Array<{ name: string; fields?: KeystoneFields; error?: string }>;
    for (const f of committed) {
      const answer = answers.find((a) => a.name === f.name);
      expect(answer?.error, f.name).toBeUndefined();
      expect(answer?.fields, f.name).toEqual({ ...f.keystone, issued_at: "2026-11-22T10:11:12.000000Z" });
    }
  });

  it("has Keystone refuse a token we signed with a key outside its repository", () => {
    const stranger = FernetKeyRepository.setup(join(scratch, "other-keys"));
    const token = format.pack(payloadOf(committed[0]!.version, committed[0]!.input), stranger.primary());
    const [answer] = runKeystone(["verify"], [{ name: "stranger", token }]) as Array<{ error?: string }>;
    expect(answer?.error).toMatch(/ValidationError: Could not recognize Fernet token/);
  });
});
