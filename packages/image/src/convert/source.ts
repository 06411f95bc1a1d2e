/**
 * Positional reads over a file path or a caller's RandomAccessSource, with exact-length reads
 * that fail with a clear reason when the image is shorter than its own metadata says.
 */
import { open } from "node:fs/promises";
import { badRequest } from "@stratus/core/errors";
import type { ConvertInput, RandomAccessSource } from "./types.js";

/** An opened input: its size, exact reads, and a close that is safe to call once. */
export interface OpenedSource {
  readonly size: number;
  /** Reads exactly `length` bytes at `position`; throws bad_request naming `what` if the image ends first. */
  readExact(position: number, length: number, what: string): Promise<Uint8Array>;
  /** Reads into `buffer` at `position`; returns bytes read (short only at end of image). */
  readInto(buffer: Uint8Array, position: number): Promise<number>;
  close(): Promise<void>;
}

export async function openSource(input: ConvertInput): Promise<OpenedSource> {
  if (typeof input !== "string") return wrap(input, await input.size(), async () => {});
  const handle = await open(input, "r");
  try {
    const { size } = await handle.stat();
    const source: RandomAccessSource = {
      size: async () => size,
      read: async (buffer, position) => fill(buffer, position, (b, o, p) => handle.read(b, o, b.length - o, p)),
    };
    return wrap(source, size, () => handle.close());
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/** Keeps reading until `buffer` is full or the source returns 0 (end). */
async function fill(
  buffer: Uint8Array,
  position: number,
  read: (b: Uint8Array, offset: number, position: number) => Promise<{ bytesRead: number }>,
): Promise<number> {
  let got = 0;
  while (got < buffer.length) {
    const { bytesRead } = await read(buffer, got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

function wrap(source: RandomAccessSource, size: number, close: () => Promise<void>): OpenedSource {
  return {
    size,
    readInto: (buffer, position) => source.read(buffer, position),
    async readExact(position, length, what) {
      if (position + length > size) {
        throw badRequest(
          `Image is truncated: ${what} at offset ${position} (${length} bytes) lies beyond the end of the ${size}-byte image.`,
        );
      }
      const buffer = new Uint8Array(length);
      const got = await source.read(buffer, position);
      if (got < length) throw badRequest(`Image is truncated: short read of ${what} at offset ${position}.`);
      return buffer;
    },
    close,
  };
}
