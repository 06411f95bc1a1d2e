/**
 * Inspection figures: bytes the inspector looks at before its verdict, per format (on images
 * qemu-img makes here), and throughput over a 1 GiB stream of zeros.
 */
import { readFileSync } from "node:fs";
import { FormatInspector, inspectFile } from "../src/index.js";
import { imageDir, type QemuFormat } from "../src/inspect/testing.js";

export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const IMAGES: ReadonlyArray<[string, QemuFormat, string, string?]> = [
  ["qcow2 v3, 10 GiB", "qcow2", "10G"],
  ["qcow2 with backing file, 10 GiB", "qcow2", "10G", "backing"],
  ["vmdk monolithicSparse, 10 GiB", "vmdk", "10G", "subformat=monolithicSparse"],
  ["vmdk streamOptimized, 10 GiB", "vmdk", "10G", "subformat=streamOptimized"],
  ["vhd dynamic, 10 GiB", "vpc", "10G", "subformat=dynamic"],
  ["vhd fixed, 64 MiB", "vpc", "64M", "subformat=fixed"],
  ["vhdx, 10 GiB", "vhdx", "10G"],
  ["vdi, 10 GiB", "vdi", "10G"],
  ["raw, 64 MiB", "raw", "64M"],
];

export async function benchBytesInspected(): Promise<Figure[]> {
  const dir = imageDir("stratus-image-bench-");
  try {
    const out: Figure[] = [];
    for (const [i, [label, format, size, options]] of IMAGES.entries()) {
      const name = `image-${i}`;
      const path =
        options === "backing"
          ? dir.create(name, format, size, undefined, ["-b", "/etc/passwd", "-F", "raw"])
          : dir.create(name, format, size, options);
      const verdict = await inspectFile(path);
      const fileSize = readFileSync(path).length;
      out.push({
        name: `${label}: bytes inspected (file ${fileSize} bytes, ${verdict.format}, safe=${verdict.safe})`,
        value: verdict.bytesInspected,
        unit: "bytes",
      });
    }
    return out;
  } finally {
    dir.remove();
  }
}

export function benchThroughput(chunkSize: number, total = 2 ** 30): Figure {
  const chunk = new Uint8Array(chunkSize);
  const inspector = new FormatInspector();
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < total; sent += chunkSize) inspector.push(chunk);
  inspector.finish();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    name: `1 GiB of zeros in ${chunkSize / 1024} KiB chunks (retained at the end: ${inspector.retainedBytes} bytes)`,
    value: total / 2 ** 20 / seconds,
    unit: "MiB/s",
  };
}
