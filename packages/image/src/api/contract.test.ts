import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runRepositoryContract, runStoreContract } from "./contract.js";
import { FilesystemStore } from "./fs-store.js";
import { MemoryImageRepository } from "./memory-repository.js";

const root = mkdtempSync(join(tmpdir(), "stratus-fs-store-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fsStore = (maxSize?: number) =>
  new FilesystemStore({ directory: join(root, String(++n)), ...(maxSize === undefined ? {} : { maxSize }) });

runRepositoryContract("memory", async () => new MemoryImageRepository());
runStoreContract("filesystem", async () => fsStore());

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

  it.each(["../etc/passwd", "a/b", ""])(
    "refuses the id %j that could name a path outside its directory",
    async (bad) => {
      await expect(fsStore().begin(bad)).rejects.toMatchObject({ code: "bad_request" });
    },
  );
});
