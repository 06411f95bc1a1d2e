import { afterAll, describe, expect, it } from "vitest";
import { inspectFile } from "./io.js";
import { imageDir, inspectInChunks, type QemuFormat, randomChunkSizes } from "./testing.js";
import type { ImageFormat } from "./types.js";

const dir = imageDir();
afterAll(() => dir.remove());

interface Case {
  readonly name: string;
  readonly qemu: QemuFormat;
  readonly format: ImageFormat;
  readonly size: string;
  readonly options?: string;
  readonly subformat?: string;
  readonly compression?: string;
}

const cases: Case[] = [
  {
    name: "v2.qcow2",
    qemu: "qcow2",
    format: "qcow2",
    size: "1G",
    options: "compat=0.10",
    subformat: "v2",
    compression: "zlib",
  },
  { name: "v3.qcow2", qemu: "qcow2", format: "qcow2", size: "1G", subformat: "v3", compression: "zlib" },
  {
    name: "zstd.qcow2",
    qemu: "qcow2",
    format: "qcow2",
    size: "3G",
    options: "compression_type=zstd",
    compression: "zstd",
  },
  { name: "small-clusters.qcow2", qemu: "qcow2", format: "qcow2", size: "10G", options: "cluster_size=4096" },
  { name: "big-clusters.qcow2", qemu: "qcow2", format: "qcow2", size: "5G", options: "cluster_size=2M,extended_l2=on" },
  {
    name: "sparse.vmdk",
    qemu: "vmdk",
    format: "vmdk",
    size: "1G",
    options: "subformat=monolithicSparse",
    subformat: "monolithicSparse",
  },
  {
    name: "stream.vmdk",
    qemu: "vmdk",
    format: "vmdk",
    size: "2G",
    options: "subformat=streamOptimized",
    subformat: "streamOptimized",
    compression: "deflate",
  },
  { name: "dynamic.vhd", qemu: "vpc", format: "vhd", size: "1G", options: "subformat=dynamic", subformat: "dynamic" },
  { name: "fixed.vhd", qemu: "vpc", format: "vhd", size: "8M", options: "subformat=fixed", subformat: "fixed" },
  { name: "dynamic.vhdx", qemu: "vhdx", format: "vhdx", size: "1G" },
  { name: "small-blocks.vhdx", qemu: "vhdx", format: "vhdx", size: "100M", options: "block_size=1M" },
  { name: "dynamic.vdi", qemu: "vdi", format: "vdi", size: "1G", subformat: "dynamic" },
  { name: "fixed.vdi", qemu: "vdi", format: "vdi", size: "4M", options: "static=on", subformat: "fixed" },
];

describe("images qemu-img created", () => {
  it.each(cases)("$name is detected as $format with qemu-img's virtual size and cluster size", async (c) => {
    dir.create(c.name, c.qemu, c.size, c.options);
    const info = dir.info(c.name, c.qemu);
    const verdict = await inspectFile(`${dir.path}/${c.name}`);
    expect(verdict.findings).toEqual([]);
    expect(verdict.safe).toBe(true);
    expect(verdict.format).toBe(c.format);
    expect(verdict.virtualSize).toBe(info["virtual-size"]);
    expect(verdict.clusterSize).toBe(info["cluster-size"]);
    expect(verdict.actualSize).toBe(dir.read(c.name).length);
    if (c.subformat) expect(verdict.subformat).toBe(c.subformat);
    if (c.compression) expect(verdict.compression).toBe(c.compression);
    if (c.qemu === "vmdk") expect(verdict.subformat).toBe(info["format-specific"]?.data?.["create-type"]);
    if (c.qemu === "qcow2") expect(verdict.compression).toBe(info["format-specific"]?.data?.["compression-type"]);
  });

  it.each(cases)("$name gives the same verdict fed 1 byte, 7 bytes, 64 KiB and random chunks at a time", async (c) => {
    const whole = await inspectFile(`${dir.path}/${c.name}`);
    const bytes = dir.read(c.name);
    for (const sizes of [[1], [7], [65536], randomChunkSizes(bytes.length)])
      expect(inspectInChunks(bytes, sizes)).toEqual(whole);
  });

  it("reports raw for bytes no format claims, with their length as the virtual size", () => {
    const verdict = inspectInChunks(new Uint8Array(100_000).fill(7), [4096]);
    expect(verdict).toMatchObject({
      format: "raw",
      virtualSize: 100_000,
      actualSize: 100_000,
      safe: true,
      findings: [],
    });
  });

  it("reports an empty stream as a raw image of size 0", () => {
    expect(inspectInChunks(new Uint8Array(0), [1])).toMatchObject({ format: "raw", virtualSize: 0, safe: true });
  });
});
