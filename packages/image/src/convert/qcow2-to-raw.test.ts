import { execFileSync } from "node:child_process";
import {
  closeSync,
  createWriteStream,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StratusError } from "@stratus/core";
import { afterAll, describe, expect, it } from "vitest";
import { convertToRaw } from "./convert.js";
import { qemuImg, sameRawContent, writePatternRaw } from "./testing.js";
import type { ConvertProgress, RandomAccessSource } from "./types.js";

const dir = mkdtempSync(join(tmpdir(), "stratus-convert-qcow2-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** A qcow2 made by qemu-img from a pattern raw disk; returns both paths. */
function qcow2From(size: number, options: string[]): { raw: string; image: string } {
  const id = n++;
  const raw = join(dir, `pattern-${id}.raw`);
  const image = join(dir, `image-${id}.qcow2`);
  writePatternRaw(raw, size);
  qemuImg("convert", "-f", "raw", "-O", "qcow2", ...options, raw, image);
  return { raw, image };
}

/** Ours, and qemu-img's own qcow2 -> raw of the same image, must have identical content. */
async function convertAndCompare(image: string): Promise<string> {
  const ours = `${image}.ours.raw`;
  const theirs = `${image}.theirs.raw`;
  await convertToRaw(image, ours, { format: "qcow2" });
  qemuImg("convert", "-f", "qcow2", "-O", "raw", image, theirs);
  expect(statSync(ours).size).toBe(statSync(theirs).size);
  expect(sameRawContent(ours, theirs)).toBe(true);
  return ours;
}

async function rejection(run: () => Promise<unknown>): Promise<StratusError> {
  try {
    await run();
  } catch (e) {
    if (e instanceof StratusError) return e;
    throw e;
  }
  throw new Error("expected a rejection");
}

describe("qcow2 to raw", () => {
  it.each<[string, number, string[]]>([
    ["a v3 image with 64 KiB clusters", 5 * 2 ** 20, []],
    ["a v2 (compat 0.10) image", 5 * 2 ** 20, ["-o", "compat=0.10"]],
    ["an image with 4 KiB clusters", 3 * 2 ** 20, ["-o", "cluster_size=4096"]],
    ["an image with 2 MiB clusters", 9 * 2 ** 20, ["-o", "cluster_size=2M"]],
    ["an image whose size is not a multiple of the cluster size", 5 * 2 ** 20 + 12345, []],
    ["an image of zlib-compressed clusters", 5 * 2 ** 20 + 777, ["-c"]],
    ["an image of zstd-compressed clusters", 5 * 2 ** 20 + 777, ["-c", "-o", "compression_type=zstd"]],
    [
      "a zstd-compressed image with 4 KiB clusters",
      2 * 2 ** 20,
      ["-c", "-o", "compression_type=zstd,cluster_size=4096"],
    ],
    ["an image with extended L2 entries (subclusters)", 5 * 2 ** 20, ["-o", "extended_l2=on"]],
    ["an image spanning several L2 tables", 70 * 2 ** 20, ["-o", "cluster_size=4096"]],
  ])("converts %s exactly as qemu-img does", async (_name, size, options) => {
    const { image } = qcow2From(size, options);
    await convertAndCompare(image);
  });

  it("converts an empty (never written) image to a file that is all hole", async () => {
    const image = join(dir, "empty.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", image, "1G");
    const ours = await convertAndCompare(image);
    expect(statSync(ours).blocks).toBe(0);
  });

  it("reads zero clusters and partly written subclusters that qemu-io made", async () => {
    const { image } = qcow2From(4 * 2 ** 20, ["-o", "cluster_size=65536"]);
    execFileSync("qemu-io", ["-f", "qcow2", "-c", "write -z 0 192k", "-c", "write -P 0x5a 300k 6k", image]);
    await convertAndCompare(image);
    const sub = qcow2From(2 * 2 ** 20, ["-o", "extended_l2=on"]);
    execFileSync("qemu-io", ["-f", "qcow2", "-c", "write -z 4k 8k", "-c", "write -P 0x33 1M 5k", sub.image]);
    await convertAndCompare(sub.image);
  });

  it("writes to a stream every byte, zeros included, and reads through a RandomAccessSource", async () => {
    const { image } = qcow2From(3 * 2 ** 20 + 4097, ["-c"]);
    const ours = join(dir, "streamed.raw");
    const handle = await open(image, "r");
    const source: RandomAccessSource = {
      size: async () => (await handle.stat()).size,
      read: async (buffer, position) => (await handle.read(buffer, 0, buffer.length, position)).bytesRead,
    };
    const progress: ConvertProgress[] = [];
    try {
      await convertToRaw(source, createWriteStream(ours), { format: "qcow2", onProgress: (p) => progress.push(p) });
    } finally {
      await handle.close();
    }
    const theirs = join(dir, "streamed.theirs.raw");
    qemuImg("convert", "-f", "qcow2", "-O", "raw", image, theirs);
    expect(sameRawContent(ours, theirs)).toBe(true);
    // qemu-img rounds a raw disk's size up to whole 512-byte sectors.
    const size = 3 * 2 ** 20 + 4608;
    expect(statSync(ours).size).toBe(size);
    expect(progress.at(-1)).toEqual({ done: size, total: size });
  });

  it.each<[string, (image: string) => void, RegExp]>([
    ["a truncated image", (p) => truncateSync(p, Math.floor(statSync(p).size / 2)), /past the end|truncated/],
    ["an image cut inside its header", (p) => truncateSync(p, 50), /truncated/],
    [
      "an L2 entry pointing past the end of the file",
      (p) => {
        // The first L2 table holds guest cluster 0's entry; point it 1 TiB away.
        const out = execFileSync("qemu-img", ["map", "--output=json", "-f", "qcow2", p], { encoding: "utf8" });
        const first = (JSON.parse(out) as Array<{ offset?: number; data: boolean }>).find((m) => m.data);
        expect(first?.offset).toBeDefined();
        const bytes = Buffer.alloc(8);
        const scan = readFileSync(p);
        const fd = openSync(p, "r+");
        try {
          const needle = Buffer.alloc(8);
          needle.writeBigUInt64BE(BigInt(first?.offset ?? 0) | (1n << 63n));
          const at = scan.indexOf(needle);
          expect(at).toBeGreaterThan(0);
          bytes.writeBigUInt64BE((1n << 40n) | (1n << 63n));
          writeSync(fd, bytes, 0, 8, at);
        } finally {
          closeSync(fd);
        }
      },
      /past the end/,
    ],
  ])("refuses %s with a clear bad_request", async (_name, damage, reason) => {
    const { image } = qcow2From(2 * 2 ** 20, []);
    damage(image);
    const err = await rejection(() => convertToRaw(image, join(dir, `${n++}.raw`), { format: "qcow2" }));
    expect(err.code).toBe("bad_request");
    expect(err.message).toMatch(reason);
  });

  it.each<[string, string[], RegExp]>([
    ["a backing file", ["-b", "/etc/passwd", "-F", "raw"], /backing file/],
    ["an external data file", ["-o", "data_file=DATA"], /external data file/],
  ])("refuses an image with %s", async (_name, extra, reason) => {
    const image = join(dir, `unsafe-${n++}.qcow2`);
    const args = extra.map((a) => a.replace("DATA", `${image}.data`));
    qemuImg("create", "-q", "-f", "qcow2", ...args, image, "16M");
    const err = await rejection(() => convertToRaw(image, join(dir, `${n++}.raw`), { format: "qcow2" }));
    expect(err.message).toMatch(reason);
  });

  it("refuses an image larger than the virtual size limit", async () => {
    const image = join(dir, "huge.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", image, "2T");
    const err = await rejection(() =>
      convertToRaw(image, join(dir, "huge.raw"), { format: "qcow2", maxVirtualSize: 2 ** 40 }),
    );
    expect(err.message).toMatch(/exceeds the limit/);
  });

  it("refuses a format it does not convert", async () => {
    writeFileSync(join(dir, "x.iso"), "x");
    const err = await rejection(() =>
      convertToRaw(join(dir, "x.iso"), join(dir, "x.raw"), { format: "raw" as "qcow2" }),
    );
    expect(err.message).toMatch(/not supported/);
  });
});
