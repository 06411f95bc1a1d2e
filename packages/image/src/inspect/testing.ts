/**
 * Test helpers: images made by qemu-img in a temporary directory, qemu-img's own view of them
 * (always with `-f`: qemu-img never guesses a format here), and chunked feeding.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FormatInspector } from "./inspector.js";
import type { InspectorOptions, Verdict } from "./types.js";

/** qemu-img's driver name for a Glance disk format. */
export type QemuFormat = "qcow2" | "vmdk" | "vpc" | "vhdx" | "vdi" | "raw";

/** A temporary directory for one test file's images; `remove()` deletes it. */
export interface ImageDir {
  readonly path: string;
  /** Runs `qemu-img create -q -f <format> [-o options] [extra args] <name> <size>`; returns the file's path. */
  create(name: string, format: QemuFormat, size: string, options?: string, extra?: readonly string[]): string;
  /** `qemu-img info --output=json -f <format>` of a file, parsed. */
  info(name: string, format: QemuFormat): QemuInfo;
  /** The bytes of a file in the directory. */
  read(name: string): Uint8Array;
  remove(): void;
}

export interface QemuInfo {
  readonly "virtual-size": number;
  readonly "cluster-size"?: number;
  readonly format: string;
  readonly "format-specific"?: { readonly data?: Record<string, unknown> };
}

export function imageDir(prefix = "stratus-image-"): ImageDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    create(name, format, size, options, extra = []) {
      const file = join(path, name);
      const opts = options ? ["-o", options] : [];
      execFileSync("qemu-img", ["create", "-q", "-f", format, ...opts, ...extra, file, size]);
      return file;
    },
    info(name, format) {
      const out = execFileSync("qemu-img", ["info", "--output=json", "-f", format, join(path, name)]);
      return JSON.parse(out.toString()) as QemuInfo;
    },
    read: (name) => new Uint8Array(readFileSync(join(path, name))),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

/** Feeds `bytes` to a fresh inspector in chunks of the sizes `sizes` yields (cycled). */
export function inspectInChunks(bytes: Uint8Array, sizes: readonly number[], options: InspectorOptions = {}): Verdict {
  const inspector = new FormatInspector(options);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const n = sizes[i % sizes.length] ?? 1;
    inspector.push(bytes.subarray(at, at + n));
    at += n;
  }
  return inspector.finish();
}

/** Chunk sizes from a seeded generator (1 byte .. 128 KiB), so a failing case can be replayed. */
export function randomChunkSizes(seed: number, count = 64): number[] {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return Array.from({ length: count }, () => 1 + Math.floor(next() ** 3 * 128 * 1024));
}
