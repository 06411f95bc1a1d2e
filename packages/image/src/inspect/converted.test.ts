import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inspectFile } from "./io.js";
import { imageDir, inspectInChunks, type QemuFormat } from "./testing.js";

const dir = imageDir();
afterAll(() => dir.remove());

beforeAll(() => {
  // 3 MB of random data, then zeros up to 8 MiB: compressed clusters, allocated and sparse ones.
  const data = new Uint8Array(8 << 20);
  for (let i = 0; i < 3_000_000; i += 4)
    data.set(new Uint8Array(Uint32Array.of((i * 2654435761) ^ (i >>> 3)).buffer), i);
  writeFileSync(`${dir.path}/data.raw`, data);
});

function convert(name: string, format: QemuFormat, options: string[]): string {
  execFileSync("qemu-img", [
    "convert",
    "-f",
    "raw",
    "-O",
    format,
    ...options,
    `${dir.path}/data.raw`,
    `${dir.path}/${name}`,
  ]);
  return `${dir.path}/${name}`;
}

describe("images with data, written by qemu-img convert", () => {
  it.each([
    ["stream.vmdk", "vmdk", ["-o", "subformat=streamOptimized"], "vmdk"],
    ["zstd.qcow2", "qcow2", ["-c", "-o", "compression_type=zstd"], "qcow2"],
    ["zlib.qcow2", "qcow2", ["-c"], "qcow2"],
    ["data.vhdx", "vhdx", [], "vhdx"],
    ["data.vhd", "vpc", [], "vhd"],
    ["data.vdi", "vdi", [], "vdi"],
  ] as const)("%s is safe and matches qemu-img info", async (name, qemu, options, format) => {
    const path = convert(name, qemu, [...options]);
    const verdict = await inspectFile(path);
    const info = dir.info(name, qemu);
    expect(verdict).toMatchObject({ format, safe: true, findings: [], virtualSize: info["virtual-size"] });
    expect(verdict.clusterSize).toBe(info["cluster-size"]);
  });
});

describe("a stream-optimized VMDK with its grain directory at the end", () => {
  /** The converted image with the header's gdOffset set to "at end", plus `trailer` appended. */
  function gdAtEnd(trailer: (header: Uint8Array) => Uint8Array[]): Uint8Array {
    const bytes = dir.read("stream.vmdk");
    const header = bytes.slice(0, 512);
    const patched = bytes.slice();
    patched.fill(0xff, 56, 64);
    const parts = [patched, ...trailer(header)];
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  const marker = (type: number) => {
    const m = new Uint8Array(512);
    new DataView(m.buffer).setUint32(12, type, true);
    return m;
  };

  it("is accepted when a footer marker, a footer matching the header and an end-of-stream marker close it", () => {
    const bytes = gdAtEnd((header) => [marker(3), header, marker(0)]);
    expect(inspectInChunks(bytes, [7, 65536])).toMatchObject({ format: "vmdk", safe: true });
  });

  it("is rejected when the footer is missing", () => {
    const verdict = inspectInChunks(
      gdAtEnd(() => []),
      [65536],
    );
    expect(verdict.findings.map((f) => f.code)).toContain("vmdk-footer-invalid");
  });

  it("is rejected when the footer points to yet another footer", () => {
    const verdict = inspectInChunks(
      gdAtEnd((header) => {
        const footer = header.slice();
        footer.fill(0xff, 56, 64);
        return [marker(3), footer, marker(0)];
      }),
      [65536],
    );
    expect(verdict.findings.find((f) => f.code === "vmdk-footer-invalid")?.reason).toMatch(/another footer/);
  });
});
