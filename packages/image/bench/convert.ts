/**
 * Converter figures: our qcow2 -> raw, vmdk -> raw and raw -> qcow2 against `qemu-img convert` on the same
 * input, a 1 GiB disk whose 1 MiB blocks alternate random data and written zeros (made once in a
 * temporary directory). Each side runs three times; the faster run counts (warm page cache for both).
 */
import { execFileSync } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertRawToQcow2, convertToRaw } from "../src/index.js";

export interface ConvertFigure {
  readonly name: string;
  readonly ours: number;
  readonly qemu: number;
}

async function best(run: () => Promise<unknown> | unknown, cleanup: () => void): Promise<number> {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    cleanup();
    const started = process.hrtime.bigint();
    await run();
    fastest = Math.min(fastest, Number(process.hrtime.bigint() - started) / 1e9);
  }
  return fastest;
}

function writeHalfRandom(path: string, size: number): void {
  const fd = openSync(path, "w");
  const block = new Uint8Array(2 ** 20);
  try {
    for (let at = 0, i = 0; at < size; at += block.length, i++) {
      if (i % 2 === 0) randomFillSync(block);
      else block.fill(0);
      writeSync(fd, block, 0, block.length, at);
    }
  } finally {
    closeSync(fd);
  }
}

/** Runs the comparisons; returns MB/s of virtual disk per second, ours and qemu-img's. */
export async function benchConvert(size = 2 ** 30): Promise<ConvertFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-convert-bench-"));
  const path = (name: string) => join(dir, name);
  const qemu = (...args: string[]) => execFileSync("qemu-img", args);
  const remove = (name: string) => () => rmSync(path(name), { force: true });
  const mbps = (seconds: number) => size / 1e6 / seconds;
  try {
    writeHalfRandom(path("disk.raw"), size);
    qemu("convert", "-f", "raw", "-O", "qcow2", path("disk.raw"), path("disk.qcow2"));
    qemu("convert", "-f", "raw", "-O", "vmdk", "-o", "subformat=monolithicSparse", path("disk.raw"), path("disk.vmdk"));
    const figures: ConvertFigure[] = [];
    const pair = async (name: string, ours: () => Promise<unknown>, theirs: string[], out: string) => {
      const q = await best(() => qemu(...theirs), remove(out));
      const o = await best(ours, remove(out));
      figures.push({ name, ours: mbps(o), qemu: mbps(q) });
    };
    await pair(
      "qcow2 -> raw",
      () => convertToRaw(path("disk.qcow2"), path("out"), { format: "qcow2" }),
      ["convert", "-f", "qcow2", "-O", "raw", path("disk.qcow2"), path("out")],
      "out",
    );
    await pair(
      "vmdk (sparse) -> raw",
      () => convertToRaw(path("disk.vmdk"), path("out"), { format: "vmdk" }),
      ["convert", "-f", "vmdk", "-O", "raw", path("disk.vmdk"), path("out")],
      "out",
    );
    await pair(
      "raw -> qcow2",
      () => convertRawToQcow2(path("disk.raw"), path("out")),
      ["convert", "-f", "raw", "-O", "qcow2", path("disk.raw"), path("out")],
      "out",
    );
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Prints the figures as `pnpm bench` does. */
export function printConvert(figures: readonly ConvertFigure[]): void {
  console.log("\nconverter vs qemu-img convert (1 GiB, half random, half zeros; MB/s of virtual disk)");
  for (const f of figures) {
    const ratio = f.ours / f.qemu;
    console.log(
      `  ${f.name.padEnd(24)} ours ${f.ours.toFixed(0).padStart(6)} MB/s   qemu-img ${f.qemu.toFixed(0).padStart(6)} MB/s   ratio ${ratio.toFixed(2)}x`,
    );
  }
}

if (process.argv[1]?.endsWith("convert.ts")) printConvert(await benchConvert());
