import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openDatabase } from "@stratus/core/db";
import { afterAll, describe, expect, it } from "vitest";
import { runRepositoryContract, runStoreContract } from "./contract.js";
import { FilesystemStore } from "./fs-store.js";
import { MemoryImageRepository } from "./memory-repository.js";
import { SqlImageRepository } from "./sql-repository.js";

const root = mkdtempSync(join(tmpdir(), "stratus-fs-store-"));
const repositories: SqlImageRepository[] = [];
afterAll(async () => {
  for (const repository of repositories) await repository.close();
  rmSync(root, { recursive: true, force: true });
});
let n = 0;
const fsStore = (maxSize?: number) =>
  new FilesystemStore({ directory: join(root, String(++n)), ...(maxSize === undefined ? {} : { maxSize }) });

runRepositoryContract("memory", async () => new MemoryImageRepository());
runStoreContract("filesystem", async () => fsStore());
runRepositoryContract("SQL on SQLite", async () => {
  const db = await openDatabase({ engine: "sqlite", path: join(root, `images-${++n}.db`) });
  const repository = await SqlImageRepository.open(db);
  repositories.push(repository);
  return repository;
});

describe("FilesystemStore", () => {
  const id = "00000000-0000-4000-8000-000000000001";

  it("refuses a write past its size limit with payload_too_large, and abort leaves the directory empty", async () => {
    const store = fsStore(4);
    const staged = await store.begin(id);
    await staged.write(Buffer.from("1234"));
    await expect(staged.write(Buffer.from("5"))).rejects.toMatchObject({ code: "payload_too_large" });
    await staged.abort();
    expect(readdirSync(store.directory)).toEqual([]);
  });

  it("lists the ids it holds data for and sweeps the temporary files a dead write left, never committed data", async () => {
    const store = fsStore();
    expect(await store.listIds()).toEqual([]);
    expect(await store.sweep()).toBe(0);
    const done = await store.begin(id);
    await done.write(Buffer.from("kept"));
    await done.commit();
    const dead = await store.begin("00000000-0000-4000-8000-000000000002");
    await dead.write(Buffer.from("half"));
    expect(await store.listIds()).toEqual([id]);
    expect(readdirSync(store.directory)).toHaveLength(2);
    expect(await store.sweep()).toBe(1);
    expect(readdirSync(store.directory)).toEqual([id]);
    expect(await store.has(id)).toBe(true);
    await dead.abort();
  });

  it.each(["../etc/passwd", "a/b", ""])(
    "refuses the id %j that could name a path outside its directory",
    async (bad) => {
      await expect(fsStore().begin(bad)).rejects.toMatchObject({ code: "bad_request" });
    },
  );
});
