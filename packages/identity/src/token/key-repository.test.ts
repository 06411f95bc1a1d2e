import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { decrypt, encrypt, generateFernetKey } from "./fernet.js";
import { FernetKeyRepository } from "./key-repository.js";

const dirs: string[] = [];
function scratch(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "stratus-keys-")), "repo");
  dirs.push(dir);
  return dir;
}
const files = (dir: string) => readdirSync(dir).sort((a, b) => Number(a) - Number(b));
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(join(d, ".."), { recursive: true, force: true });
});

describe("FernetKeyRepository", () => {
  it("sets up a staged key 0 and a primary key 1, readable by the owner only, like fernet_setup", () => {
    const dir = scratch();
    const repo = FernetKeyRepository.setup(dir);
    expect(files(dir)).toEqual(["0", "1"]);
    expect(statSync(join(dir, "1")).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(repo.keys().map((k) => k.id)).toEqual([1, 0]);
  });

  it("does nothing when set up twice", () => {
    const dir = scratch();
    FernetKeyRepository.setup(dir);
    const before = files(dir).map((f) => statSync(join(dir, f)).ino);
    FernetKeyRepository.setup(dir);
    expect(files(dir).map((f) => statSync(join(dir, f)).ino)).toEqual(before);
  });

  it.each([
    [1, ["0", "1", "2"]],
    [2, ["0", "2", "3"]],
    [3, ["0", "3", "4"]],
  ])("after %i rotation(s) with max_active_keys 3 holds the files %j, as fernet_rotate", (n, expected) => {
    const dir = scratch();
    const repo = FernetKeyRepository.setup(dir);
    for (let i = 0; i < n; i++) repo.rotate();
    expect(files(dir)).toEqual(expected);
  });

  it("promotes the staged key itself, so tokens other nodes made with it keep validating", () => {
    const dir = scratch();
    const repo = FernetKeyRepository.setup(dir, { recheckMs: 0 });
    const staged = repo.keys().find((k) => k.id === 0)!.key;
    const token = encrypt(staged, Buffer.from("x"));
    repo.rotate();
    expect(repo.keys()[0]!.id).toBe(2);
    expect(decrypt(repo.fernetKeys(), token).keyIndex).toBe(0);
  });

  it("keeps five keys with max_active_keys 5 and drops the oldest after that", () => {
    const dir = scratch();
    const repo = FernetKeyRepository.setup(dir, { maxActiveKeys: 5 });
    for (let i = 0; i < 6; i++) repo.rotate();
    expect(files(dir)).toEqual(["0", "4", "5", "6", "7"]);
  });

  it("sees a rotation made by another process once the recheck interval has passed", () => {
    const dir = scratch();
    const reader = new FernetKeyRepository(dir, { recheckMs: 0 });
    FernetKeyRepository.setup(dir);
    expect(reader.keys()[0]!.id).toBe(1);
    new FernetKeyRepository(dir).rotate();
    expect(reader.keys()[0]!.id).toBe(2);
  });

  it("does not look at the directory again within the recheck interval", () => {
    const dir = scratch();
    const reader = new FernetKeyRepository(dir, { recheckMs: 60_000 });
    FernetKeyRepository.setup(dir);
    const first = reader.keys();
    new FernetKeyRepository(dir).rotate();
    expect(reader.keys()).toBe(first);
    reader.invalidate();
    expect(reader.keys()[0]!.id).toBe(2);
  });

  it("refuses a directory holding a malformed key file, naming the file", () => {
    const dir = scratch();
    FernetKeyRepository.setup(dir);
    writeFileSync(join(dir, "7"), "not a key");
    expect(() => new FernetKeyRepository(dir).keys()).toThrow(/key file .*\/7 is not a Fernet key/);
  });

  it("skips empty key files and files whose names are not numbers, as Keystone does", () => {
    const dir = scratch();
    FernetKeyRepository.setup(dir);
    writeFileSync(join(dir, "5"), "");
    writeFileSync(join(dir, "0.tmp"), generateFernetKey());
    writeFileSync(join(dir, "README"), "hello");
    expect(new FernetKeyRepository(dir).keys().map((k) => k.id)).toEqual([1, 0]);
  });

  it("refuses an empty or missing directory with a message saying to run setup", () => {
    expect(() => new FernetKeyRepository(scratch()).keys()).toThrow(/does not exist|run setup/);
  });

  it("serves credential keys the same way under its own name", () => {
    const dir = scratch();
    const repo = FernetKeyRepository.setup(dir, { name: "credential" });
    writeFileSync(join(dir, "9"), "junk");
    repo.invalidate();
    expect(() => repo.keys()).toThrow(/\[credential\]/);
  });
});
