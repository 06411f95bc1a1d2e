/**
 * Image records outlive `stratus serve`: an image uploaded with the openstack CLI shows the same
 * record and downloads the same bytes after the server is stopped and started again on the same
 * data directory, while bytes no record owns and temporary files of dead writes are cleared.
 */
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

let stratus: Stratus | undefined;
afterEach(() => stratus?.stop());

/** Uploads, restarts on the same data dir (and `serverEnv`), and checks records, bytes and the sweep. */
async function survivesRestart(serverEnv: Record<string, string>): Promise<string> {
  stratus = await startStratus(["image"], { serverEnv });
  const { dataDir } = stratus;
  const file = join(dataDir, "disk.raw");
  const bytes = randomBytes(3 * 2 ** 20 + 7);
  writeFileSync(file, bytes);
  const created = await stratus.openstack([
    "image",
    "create",
    "--file",
    file,
    "--disk-format",
    "raw",
    "--container-format",
    "bare",
    "--property",
    "os_distro=debian",
    "--tag",
    "golden",
    "--min-ram",
    "512",
    "restart-img",
  ]);
  // osc reads image data from stdin when given no --file, so the second image gets a small one
  const small = join(dataDir, "small.raw");
  writeFileSync(small, "small");
  const second = await stratus.openstack(["image", "create", "--file", small, "--disk-format", "raw", "Restart-Img"]);
  await stratus.openstack(["image", "set", "--property", "hw_disk_bus=virtio", created.id], { json: false });
  const before = await stratus.openstack(["image", "show", created.id]);
  expect(before).toMatchObject({ status: "active", size: bytes.length, tags: ["golden"], min_ram: 512 });
  expect(before.properties).toMatchObject({ os_distro: "debian", hw_disk_bus: "virtio" });
  await stratus.stop();

  // what a dead process could leave: bytes of a deleted record and a half-written upload
  const orphan = join(dataDir, "images", "0000dead-0000-4000-8000-000000000000");
  const partial = join(dataDir, "images", `.${created.id}.1234.partial`);
  writeFileSync(orphan, "orphan");
  writeFileSync(partial, "half");

  stratus = await startStratus(["image"], { dataDir, serverEnv });
  expect(await stratus.openstack(["image", "show", created.id])).toEqual(before);
  expect(await stratus.openstack(["image", "show", "Restart-Img"])).toMatchObject({ id: second.id, size: 5 });
  const names = (await stratus.openstack(["image", "list"])).map((i: { Name: string }) => i.Name);
  expect(names.sort()).toEqual(["Restart-Img", "restart-img"]);
  const saved = join(dataDir, "saved.raw");
  await stratus.openstack(["image", "save", "--file", saved, created.id], { json: false });
  expect(readFileSync(saved).equals(bytes)).toBe(true);
  expect(existsSync(orphan)).toBe(false);
  expect(readdirSync(join(dataDir, "images")).sort()).toEqual([created.id, second.id].sort());

  await stratus.openstack(["image", "delete", created.id], { json: false });
  expect(await stratus.openstackFails(["image", "show", created.id])).toMatch(/No Image found|not found|404/i);
  return dataDir;
}

describe("openstack CLI against stratus serve: image records across a restart", () => {
  it("shows the same image and saves the same bytes after a restart, and removes orphan bytes at start", async () => {
    const dataDir = await survivesRestart({});
    expect(existsSync(join(dataDir, "images.db"))).toBe(true);
  }, 180_000);
});

await withScratchDatabase(POSTGRES, (scratch) => {
  describe("openstack CLI against stratus serve: image records on PostgreSQL (STRATUS_IMAGE_DB_URL)", () => {
    it("keeps the records in the database the URL names, not in images.db", async () => {
      const dataDir = await survivesRestart({ STRATUS_IMAGE_DB_URL: scratch().url });
      expect(existsSync(join(dataDir, "images.db"))).toBe(false);
    }, 180_000);
  });
});
