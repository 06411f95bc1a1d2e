/**
 * Test helpers for the converter: a raw disk with a known pattern (random blocks, written zeros,
 * holes, partly filled blocks), qemu-img runs that always name the format with -f, and
 * `qemu-img compare` of two raw disks.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, ftruncateSync, openSync, writeSync } from "node:fs";

/** Runs qemu-img with `args`; throws with its stderr on failure. */
export function qemuImg(...args: string[]): string {
  return execFileSync("qemu-img", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Writes a raw disk of `size` bytes at `path`, in 64 KiB blocks cycling through: random data,
 * written zeros, a hole, 1000 random bytes then zeros, and a hole.
 */
export function writePatternRaw(path: string, size: number, block = 64 * 1024): void {
  const fd = openSync(path, "w");
  try {
    const data = new Uint8Array(block);
    for (let at = 0, i = 0; at < size; at += block, i++) {
      const length = Math.min(block, size - at);
      const kind = i % 5;
      if (kind === 0) randomFillSync(data);
      else if (kind === 1) data.fill(0);
      else if (kind === 3) {
        data.fill(0);
        randomFillSync(data, 0, Math.min(1000, length));
      } else continue;
      writeSync(fd, data, 0, length, at);
    }
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

/** `qemu-img compare -f raw -F raw a b`: true when the contents are identical. */
export function sameRawContent(a: string, b: string): boolean {
  const r = spawnSync("qemu-img", ["compare", "-q", "-f", "raw", "-F", "raw", a, b]);
  return r.status === 0;
}

/** `qemu-img check -f qcow2`; returns its exit status and output (0 = no errors). */
export function checkQcow2(path: string): { status: number; output: string } {
  const r = spawnSync("qemu-img", ["check", "-f", "qcow2", path], { encoding: "utf8" });
  return { status: r.status ?? -1, output: `${r.stdout}${r.stderr}` };
}
