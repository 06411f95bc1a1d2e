import { execFileSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertToRaw } from "./convert.js";
import { qemuImg, sameRawContent, writePatternRaw } from "./testing.js";
import type { SourceFormat } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-convert-formats-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** [case, our format name, qemu-img's driver name, qemu-img -o options, disk size] */
const CASES: Array<[string, SourceFormat, string, string, number]> = [
  ["vmdk monolithicSparse", "vmdk", "vmdk", "subformat=monolithicSparse", 5 * 2 ** 20],
  ["vmdk monolithicSparse of an odd size", "vmdk", "vmdk", "subformat=monolithicSparse", 3 * 2 ** 20 + 1536],
  ["vmdk streamOptimized", "vmdk", "vmdk", "subformat=streamOptimized", 5 * 2 ** 20],
  ["vmdk streamOptimized over several grain tables", "vmdk", "vmdk", "subformat=streamOptimized", 70 * 2 ** 20],
  ["vhd dynamic", "vhd", "vpc", "subformat=dynamic", 5 * 2 ** 20],
  ["vhd dynamic sized by current_size", "vhd", "vpc", "subformat=dynamic,force_size=on", 5 * 2 ** 20 + 512],
  ["vhd fixed", "vhd", "vpc", "subformat=fixed", 5 * 2 ** 20],
  ["vhd fixed sized by current_size", "vhd", "vpc", "subformat=fixed,force_size=on", 3 * 2 ** 20],
  ["vdi dynamic", "vdi", "vdi", "static=off", 5 * 2 ** 20],
  ["vdi dynamic of an odd size", "vdi", "vdi", "static=off", 3 * 2 ** 20 + 512],
  ["vdi fixed (static)", "vdi", "vdi", "static=on", 5 * 2 ** 20],
  ["vhdx dynamic", "vhdx", "vhdx", "subformat=dynamic", 5 * 2 ** 20],
  ["vhdx dynamic with 1 MiB blocks", "vhdx", "vhdx", "block_size=1M", 9 * 2 ** 20],
  ["vhdx fixed", "vhdx", "vhdx", "subformat=fixed", 3 * 2 ** 20 + 512],
];

function imageFrom(qemuFormat: string, options: string, size: number): string {
  const id = n++;
  const raw = join(dir, `pattern-${id}.raw`);
  const image = join(dir, `image-${id}.${qemuFormat}`);
  writePatternRaw(raw, size);
  qemuImg("convert", "-f", "raw", "-O", qemuFormat, "-o", options, raw, image);
  return image;
}

describe("other formats to raw", () => {
  it.each(CASES)("converts %s exactly as qemu-img does", async (_name, format, qemuFormat, options, size) => {
    const image = imageFrom(qemuFormat, options, size);
    const ours = `${image}.ours.raw`;
    const theirs = `${image}.theirs.raw`;
    await convertToRaw(image, ours, { format });
    qemuImg("convert", "-f", qemuFormat, "-O", "raw", image, theirs);
    expect(statSync(ours).size).toBe(statSync(theirs).size);
    expect(sameRawContent(ours, theirs)).toBe(true);
  });

  it.each(CASES)(
    "refuses a truncated %s with a clear bad_request",
    async (_name, format, qemuFormat, options, size) => {
      const image = imageFrom(qemuFormat, options, size);
      truncateSync(image, Math.floor(statSync(image).size / 3));
      await expect(convertToRaw(image, `${image}.raw`, { format })).rejects.toMatchObject({
        code: "bad_request",
        message: expect.stringMatching(/truncated|past the end|Not a|no room|Corrupt/),
      });
    },
  );

  it("reads VHDX blocks past the first sector-bitmap entry of the BAT (beyond 4 GiB with 32 MiB blocks)", async () => {
    const raw = join(dir, "big.raw");
    qemuImg("create", "-q", "-f", "raw", raw, "5G");
    execFileSync("qemu-io", ["-f", "raw", "-c", "write -P 0x11 0 1M", "-c", "write -P 0x22 4400M 3M", raw]);
    const image = join(dir, "big.vhdx");
    qemuImg("convert", "-f", "raw", "-O", "vhdx", "-o", "block_size=32M", raw, image);
    const ours = `${image}.raw`;
    await convertToRaw(image, ours, { format: "vhdx" });
    expect(sameRawContent(ours, raw)).toBe(true);
  });

  it("streams a streamOptimized VMDK (compressed grains) to a writable stream in order", async () => {
    const image = imageFrom("vmdk", "subformat=streamOptimized", 3 * 2 ** 20 + 512);
    const ours = `${image}.streamed.raw`;
    await convertToRaw(image, createWriteStream(ours), { format: "vmdk" });
    const theirs = `${image}.theirs.raw`;
    qemuImg("convert", "-f", "vmdk", "-O", "raw", image, theirs);
    expect(statSync(ours).size).toBe(statSync(theirs).size);
    expect(sameRawContent(ours, theirs)).toBe(true);
  });

  it("refuses a VMDK descriptor that names a host file as its extent", async () => {
    const path = join(dir, "flat.vmdk");
    writeFileSync(path, '# Disk DescriptorFile\ncreateType="monolithicFlat"\nRW 2048 FLAT "/etc/passwd" 0\n');
    await expect(convertToRaw(path, `${path}.raw`, { format: "vmdk" })).rejects.toMatchObject({ code: "bad_request" });
  });
});
