import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FilesystemStore, type Image, MemoryImageRepository, MemoryTaskRepository } from "@stratus/image/api";
import { afterAll, describe, expect, it } from "vitest";
import { reconcileImages } from "./image-reconcile.js";

const root = mkdtempSync(join(tmpdir(), "stratus-image-reconcile-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const NOW = "2026-05-05T05:05:05.555Z";
const id = (k: number) => `00000000-0000-4000-8000-${String(k).padStart(12, "0")}`;
const image = (k: number, over: Partial<Image>): Image => ({
  id: id(k),
  name: null,
  status: "queued",
  visibility: "shared",
  protected: false,
  os_hidden: false,
  checksum: null,
  os_hash_algo: null,
  os_hash_value: null,
  size: null,
  virtual_size: null,
  disk_format: "raw",
  container_format: "bare",
  min_disk: 0,
  min_ram: 0,
  owner: "p1",
  tags: [],
  created_at: "2026-01-01T00:00:00.000Z",
  updated_at: "2026-01-01T00:00:00.000Z",
  properties: {},
  ...over,
});

async function put(store: FilesystemStore, k: number, bytes = "data"): Promise<void> {
  const staged = await store.begin(id(k));
  await staged.write(Buffer.from(bytes));
  await staged.commit();
}

async function setUp() {
  const dir = join(root, String(++n));
  const repository = new MemoryImageRepository();
  const store = new FilesystemStore({ directory: join(dir, "images") });
  const staging = new FilesystemStore({ directory: join(dir, "staging") });
  const active = image(1, { status: "active", size: 4, checksum: "c" });
  await repository.create(active);
  await put(store, 1);
  await repository.create(image(2, { status: "saving" }));
  await put(store, 2, "half");
  await put(store, 3, "no record");
  await (await store.begin(id(4))).write(Buffer.from("a write that never ended"));
  await repository.create(image(5, { status: "uploading", size: 6 }));
  await put(staging, 5, "staged");
  await repository.create(image(6, { status: "uploading", size: 3 }));
  await put(staging, 7, "no record");
  await repository.create(
    image(8, {
      status: "importing",
      properties: { os_glance_import_task: "t1", os_glance_importing_to_stores: "file" },
    }),
  );
  await put(staging, 8, "being imported");
  await (await staging.begin(id(9))).write(Buffer.from("a stage that never ended"));
  const tasks = new MemoryTaskRepository();
  await tasks.create({
    id: "t1",
    type: "api_image_import",
    status: "processing",
    input: null,
    result: null,
    message: "",
    owner: "p1",
    image_id: id(8),
    request_id: null,
    user_id: null,
    expires_at: null,
    created_at: "2026-01-01T00:00:00.000Z",
    updated_at: "2026-01-01T00:00:00.000Z",
  });
  return { repository, store, staging, tasks, active, now: () => NOW };
}

describe("reconcileImages", () => {
  it("puts back saving, importing and unstaged uploading images, deletes orphans and temporary files, keeps the rest", async () => {
    const env = await setUp();
    const report = await reconcileImages({ ...env, resetInterrupted: true });
    expect(report).toEqual({ temporaryFiles: 2, requeued: [id(2), id(8), id(6)], orphans: [id(3), id(7)] });
    expect(await env.repository.get(id(1))).toEqual(env.active);
    expect(await env.repository.get(id(2))).toMatchObject({ status: "queued", size: null, updated_at: NOW });
    expect(await env.repository.get(id(5))).toMatchObject({ status: "uploading", size: 6 });
    expect(await env.repository.get(id(6))).toMatchObject({ status: "queued", size: null });
    expect(await env.repository.get(id(8))).toMatchObject({
      status: "queued",
      properties: { os_glance_importing_to_stores: "", os_glance_failed_import: "file" },
    });
    expect(await env.tasks.get("t1")).toMatchObject({
      status: "failure",
      message: "The image service restarted during the import.",
      updated_at: NOW,
    });
    expect(readdirSync(env.store.directory)).toEqual([id(1)]);
    expect(readdirSync(env.staging.directory)).toEqual([id(5)]);
    const again = await reconcileImages({ ...env, resetInterrupted: true });
    expect(again).toEqual({ temporaryFiles: 0, requeued: [], orphans: [] });
  });

  it("with a shared database leaves in-flight images and their bytes alone, still sweeping orphans", async () => {
    const env = await setUp();
    const report = await reconcileImages({ ...env, resetInterrupted: false });
    expect(report).toEqual({ temporaryFiles: 2, requeued: [], orphans: [id(3), id(7)] });
    expect((await env.repository.get(id(2)))?.status).toBe("saving");
    expect((await env.repository.get(id(8)))?.status).toBe("importing");
    expect(readdirSync(env.store.directory).sort()).toEqual([id(1), id(2)]);
    expect(readdirSync(env.staging.directory).sort()).toEqual([id(5), id(8)]);
  });

  it("copes with a data directory that has no store directories yet", async () => {
    const dir = join(root, "empty");
    const report = await reconcileImages({
      repository: new MemoryImageRepository(),
      store: new FilesystemStore({ directory: join(dir, "images") }),
      staging: new FilesystemStore({ directory: join(dir, "staging") }),
      now: () => NOW,
      resetInterrupted: true,
    });
    expect(report).toEqual({ temporaryFiles: 0, requeued: [], orphans: [] });
  });
});
