import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { imageDir } from "../inspect/testing.js";
import { type ImportTestApp, importTestApp } from "./import/testing.js";

const dir = imageDir("stratus-glance-convert-");
afterAll(() => dir.remove());
let t: ImportTestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");

/** A qcow2 with data at a few offsets, made and filled by qemu-io. */
function qcow2WithData(name: string): string {
  const file = dir.create(name, "qcow2", "16M");
  execFileSync("qemu-io", ["-f", "qcow2", "-c", "write -P 0x5a 0 64k", "-c", "write -P 0xa5 8M 128k", file]);
  return file;
}

async function importStaged(outputFormat: "raw" | "qcow2", bytes: Uint8Array, diskFormat: string) {
  t = await importTestApp({ conversion: { outputFormat } });
  const id = (await t.call("POST", "/v2/images", { name: "c", disk_format: diskFormat, container_format: "ovf" })).body
    .id;
  expect((await t.call("PUT", `/v2/images/${id}/stage`, Buffer.from(bytes))).status).toBe(204);
  expect((await t.call("POST", `/v2/images/${id}/import`, { method: { name: "glance-direct" } })).status).toBe(202);
  await t.imports.idle();
  const image = (await t.call("GET", `/v2/images/${id}`)).body;
  const data = (await t.call("GET", `/v2/images/${id}/file`)).raw;
  return { id, image, data, task: (await t.call("GET", `/v2/images/${id}/tasks`)).body.tasks[0], files: t.files() };
}

describe("import with image conversion", () => {
  it("converts a qcow2 to raw byte for byte as qemu-img would: disk_format raw, container bare, sizes and hashes of the raw", async () => {
    const file = qcow2WithData("data.qcow2");
    const expected = join(dir.path, "expected.raw");
    execFileSync("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", file, expected]);
    const raw = readFileSync(expected);
    const r = await importStaged("raw", dir.read("data.qcow2"), "qcow2");
    expect(r.image).toMatchObject({
      status: "active",
      disk_format: "raw",
      container_format: "bare",
      size: raw.length,
      virtual_size: 16 * 2 ** 20,
      checksum: md5(raw),
    });
    expect(Buffer.compare(r.data, raw)).toBe(0);
    expect(r.files).toEqual({ store: [r.id], staging: [], work: [] });
  });

  it("converts a raw image to a qcow2 that qemu-img reads back as the same disk", async () => {
    const raw = Buffer.alloc(4 * 2 ** 20);
    raw.fill(7, 65536, 200_000);
    const r = await importStaged("qcow2", raw, "raw");
    expect(r.image).toMatchObject({
      status: "active",
      disk_format: "qcow2",
      virtual_size: raw.length,
      checksum: md5(r.data),
    });
    const out = join(dir.path, "imported.qcow2");
    writeFileSync(out, r.data);
    const back = join(dir.path, "back.raw");
    execFileSync("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", out, back]);
    expect(readFileSync(back).equals(raw)).toBe(true);
  });

  it("stores an image already in the output format unchanged", async () => {
    const bytes = dir.read(dir.create("same.qcow2", "qcow2", "8M").split("/").at(-1) ?? "");
    const r = await importStaged("qcow2", bytes, "qcow2");
    expect(r.image).toMatchObject({
      status: "active",
      disk_format: "qcow2",
      container_format: "ovf",
      checksum: md5(bytes),
    });
  });

  it.each([
    ["a qcow2 with a backing file (refused by inspection before any conversion)", "qcow2", "qcow2-backing-file"],
    ["a format the converters do not read", "ploop", "not supported"],
  ])("fails the import of %s: queued, no files left", async (_what, format, reason) => {
    const bytes =
      format === "qcow2"
        ? dir.read(
            dir
              .create("child.qcow2", "qcow2", "8M", undefined, ["-b", "/etc/hostname", "-F", "raw"])
              .split("/")
              .at(-1) ?? "",
          )
        : new Uint8Array(8192);
    const r = await importStaged("raw", bytes, format);
    expect(r.image).toMatchObject({ status: "queued", size: null, os_glance_failed_import: "file" });
    expect(r.task.status).toBe("failure");
    expect(r.task.message).toContain(reason);
    expect(r.files).toEqual({ store: [], staging: [], work: [] });
  });
});
