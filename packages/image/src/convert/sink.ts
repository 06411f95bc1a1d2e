/**
 * Where raw output goes: a file written sparsely (zero ranges become holes through ftruncate,
 * never written), or a writable stream that gets every byte in order, zeros included.
 * A stream gets its writes in ascending guest order; a file takes several at once, in any order.
 */
import { once } from "node:events";
import { type FileHandle, open } from "node:fs/promises";
import type { Writable } from "node:stream";
import type { ConvertOutput, ConvertProgress } from "./types.js";

/** A raw disk being written front to back. */
export interface RawSink {
  /**
   * True for files: writes may run concurrently and in any order, and `data` may be reused once
   * write resolves. False for streams: calls must come one at a time in guest order.
   */
  readonly positional: boolean;
  /** Writes `data` at guest offset `offset`; resolves when done (positional) or accepted (stream). */
  write(offset: number, data: Uint8Array): Promise<void>;
  /** Declares `[offset, offset + length)` all zeros (a hole for files, zero bytes for streams). */
  zeros(offset: number, length: number): Promise<void>;
  /** Completes the disk at `virtualSize` bytes and closes; returns data bytes written. */
  finish(virtualSize: number): Promise<number>;
  /** Releases the output after a failure; safe to call after finish. */
  abort(): Promise<void>;
}

const ZERO_BLOCK = 64 * 1024;
const ZEROS = new Uint8Array(ZERO_BLOCK);
const PROGRESS_STEP = 64 * 2 ** 20;

/** True when every byte of `data` is zero (memcmp against a zero page, block by block). */
export function isAllZero(data: Uint8Array): boolean {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  for (let at = 0; at < b.length; at += ZERO_BLOCK) {
    const end = Math.min(at + ZERO_BLOCK, b.length);
    if (b.compare(ZEROS, 0, end - at, at, end) !== 0) return false;
  }
  return true;
}

export async function openRawSink(
  output: ConvertOutput,
  total: number,
  onProgress?: (p: ConvertProgress) => void,
): Promise<RawSink> {
  const progress = progressReporter(total, onProgress);
  if (typeof output === "string") return fileSink(await open(output, "w"), progress);
  return streamSink(output, progress);
}

function progressReporter(total: number, onProgress?: (p: ConvertProgress) => void): (done: number) => void {
  let next = PROGRESS_STEP;
  let furthest = 0;
  return (done) => {
    if (!onProgress || done <= furthest) return;
    furthest = done;
    // Every PROGRESS_STEP bytes, and once at the end.
    if (furthest < next && furthest < total) return;
    next = furthest + PROGRESS_STEP;
    onProgress({ done: furthest, total });
  };
}

function fileSink(handle: FileHandle, progress: (done: number) => void): RawSink {
  const pending = new Set<Promise<void>>();
  let written = 0;
  let closed = false;
  // Skips all-zero 64 KiB blocks inside the data too, so the output is as sparse as qemu-img's.
  const put = async (offset: number, data: Uint8Array) => {
    let runStart = -1;
    for (let at = 0; at < data.length + ZERO_BLOCK; at += ZERO_BLOCK) {
      const zero = at >= data.length || isAllZero(data.subarray(at, at + ZERO_BLOCK));
      if (!zero && runStart < 0) runStart = at;
      if (zero && runStart >= 0) {
        const run = data.subarray(runStart, Math.min(at, data.length));
        await writeAll(handle, run, offset + runStart);
        written += run.length;
        runStart = -1;
      }
    }
    progress(offset + data.length);
  };
  const close = async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const settle = async () => {
    await Promise.all(pending);
  };
  return {
    positional: true,
    async write(offset, data) {
      const p = put(offset, data);
      pending.add(p);
      try {
        await p;
      } finally {
        pending.delete(p);
      }
    },
    async zeros(offset, length) {
      progress(offset + length);
    },
    async finish(virtualSize) {
      await settle();
      await handle.truncate(virtualSize);
      await close();
      progress(virtualSize);
      return written;
    },
    async abort() {
      await settle().catch(() => {});
      await close();
    },
  };
}

async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

function streamSink(stream: Writable, progress: (done: number) => void): RawSink {
  let position = 0;
  let written = 0;
  const push = async (chunk: Uint8Array) => {
    if (!stream.write(chunk)) await once(stream, "drain");
    position += chunk.length;
    progress(position);
  };
  const fillTo = async (offset: number) => {
    while (position < offset) await push(new Uint8Array(Math.min(4 * 2 ** 20, offset - position)));
  };
  return {
    positional: false,
    async write(offset, data) {
      await fillTo(offset);
      written += data.length;
      await push(data);
    },
    async zeros(offset, length) {
      await fillTo(offset + length);
    },
    async finish(virtualSize) {
      await fillTo(virtualSize);
      stream.end();
      await once(stream, "finish");
      return written;
    },
    async abort() {
      stream.destroy();
    },
  };
}
