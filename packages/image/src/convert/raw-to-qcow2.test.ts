import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { convertToRaw } from "./convert.js";
import { convertRawToQcow2 } from "./raw-to-qcow2.js";
import { checkQcow2, qemuImg, sameRawContent, writePatternRaw } from "./testing.js";
import type { ConvertProgress } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-convert-raw-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** qemu-img compare of the raw input and our qcow2; qemu-img check of our qcow2. */
function expectValidCopy(raw: string, image: string): void {
  const check = checkQcow2(image);
  expect(check.output).toMatch(/No errors were found/);
  expect(check.status).toBe(0);
  const r = qemuImg("compare", "-f", "raw", "-F", "qcow2", raw, image);
  expect(r).toMatch(/Images are identical/);
}

describe("raw to qcow2", () => {
  it.each<[string, number, { clusterSize?: number; compress?: boolean }]>([
    ["64 KiB clusters", 5 * 2 ** 20, {}],
    ["4 KiB clusters over several L2 tables", 9 * 2 ** 20, { clusterSize: 4096 }],
    ["512-byte clusters", 2 ** 20, { clusterSize: 512 }],
    ["2 MiB clusters", 11 * 2 ** 20, { clusterSize: 2 * 2 ** 20 }],
    ["an odd size (not a multiple of 512)", 3 * 2 ** 20 + 12345, {}],
    ["zlib compression", 5 * 2 ** 20 + 777, { compress: true }],
    ["zlib compression and 4 KiB clusters", 3 * 2 ** 20, { clusterSize: 4096, compress: true }],
  ])("writes a valid qcow2 v3 with %s that qemu-img reads back identical", async (_name, size, options) => {
    const raw = join(dir, `in-${n}.raw`);
    const image = join(dir, `out-${n++}.qcow2`);
    writePatternRaw(raw, size);
    const progress: ConvertProgress[] = [];
    const result = await convertRawToQcow2(raw, image, { ...options, onProgress: (p) => progress.push(p) });
    expectValidCopy(raw, image);
    expect(result.virtualSize).toBe(Math.ceil(size / 512) * 512);
    expect(progress.at(-1)).toEqual({ done: size, total: size });
    // And our own reader brings it back to the same raw content.
    const back = `${image}.raw`;
    await convertToRaw(image, back, { format: "qcow2" });
    expect(sameRawContent(raw, back)).toBe(true);
  });

  it("leaves all-zero clusters unallocated: an empty 1 GiB disk becomes a few clusters", async () => {
    const raw = join(dir, "empty.raw");
    qemuImg("create", "-q", "-f", "raw", raw, "1G");
    const image = join(dir, "empty.qcow2");
    const result = await convertRawToQcow2(raw, image);
    expectValidCopy(raw, image);
    expect(result.dataBytes).toBe(0);
    expect(statSync(image).size).toBeLessThanOrEqual(4 * 65536);
  });

  it("refuses a cluster size that is not a power of two", async () => {
    await expect(convertRawToQcow2(join(dir, "x"), join(dir, "y"), { clusterSize: 3000 })).rejects.toThrow(
      /cluster size/,
    );
  });
});
