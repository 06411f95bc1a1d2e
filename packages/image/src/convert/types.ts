/**
 * What the converter reads from, writes to, and reports while it works.
 */
import type { Writable } from "node:stream";

/** Formats the converter reads (qemu's names in parentheses: vhd is `vpc`). */
export type SourceFormat = "qcow2" | "vmdk" | "vhd" | "vhdx" | "vdi" | "raw";

/**
 * A random-access byte source (a file, an RBD image, an object in a store).
 * The converter only ever reads headers and tables it needs, plus the data it copies.
 */
export interface RandomAccessSource {
  /** Total bytes in the source; called once per conversion. */
  size(): Promise<number>;
  /**
   * Reads up to `buffer.length` bytes at `position` into `buffer`; returns how many were read
   * (fewer only at the end of the source). Must be safe to call repeatedly with any position.
   */
  read(buffer: Uint8Array, position: number): Promise<number>;
}

/** A file path, or a random-access source. */
export type ConvertInput = string | RandomAccessSource;

/**
 * A file path (written sparsely: zero ranges stay holes) or a writable stream (gets every byte,
 * zeros included, in order).
 */
export type ConvertOutput = string | Writable;

/** One progress report: `done` of `total` bytes of the virtual disk processed. */
export interface ConvertProgress {
  readonly done: number;
  readonly total: number;
}

export interface ConvertToRawOptions {
  /** The input's format, as the inspector or the uploader stated it; never guessed. */
  readonly format: SourceFormat;
  /** Largest virtual size accepted, in bytes; default 16 TiB (the inspector's limit). */
  readonly maxVirtualSize?: number;
  /** Called as the conversion goes (at most about every 64 MiB of virtual disk, and at the end). */
  readonly onProgress?: (progress: ConvertProgress) => void;
}

/** What a finished conversion reports. */
export interface ConvertResult {
  /** Size of the virtual disk (the raw output's length), in bytes. */
  readonly virtualSize: number;
  /** Bytes of data actually written (holes and zero ranges excluded). */
  readonly dataBytes: number;
}
