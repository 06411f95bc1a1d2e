/**
 * raw -> qcow2 v3, streaming front to back: all-zero clusters are left unallocated, data
 * clusters are written (or deflated, each on the thread pool) as they come, each L2 table once
 * its 512 MiB range is done, refcounts and then the header last, so an interrupted conversion
 * never leaves a file that opens as a valid image.
 */
import { type FileHandle, open } from "node:fs/promises";
import { promisify } from "node:util";
import { deflateRaw } from "node:zlib";
import { badRequest } from "@stratus/core/errors";
import { COPIED } from "./qcow2-header.js";
import { Qcow2Layout, qcow2Header } from "./qcow2-layout.js";
import { isAllZero } from "./sink.js";
import { openSource } from "./source.js";
import type { ConvertInput, ConvertProgress, ConvertResult } from "./types.js";

const deflate = promisify(deflateRaw);
const CHUNK = 8 * 2 ** 20;

export interface RawToQcow2Options {
  /** Cluster size in bytes, a power of two from 512 to 2 MiB; default 64 KiB. */
  readonly clusterSize?: number;
  /** Deflate each data cluster (qcow2 compression type zlib); default false. */
  readonly compress?: boolean;
  /** Called after each chunk of the raw input, and at the end. */
  readonly onProgress?: (progress: ConvertProgress) => void;
}

/**
 * Converts the raw disk `input` (a path or RandomAccessSource) to a qcow2 v3 file at `output`.
 * The virtual size is the input's size rounded up to 512 bytes (as qemu-img does).
 * Throws bad_request for an invalid cluster size; a partial output is left for the caller to remove.
 */
export async function convertRawToQcow2(
  input: ConvertInput,
  output: string,
  options: RawToQcow2Options = {},
): Promise<ConvertResult> {
  const clusterSize = options.clusterSize ?? 65536;
  const clusterBits = Math.log2(clusterSize);
  if (!Number.isInteger(clusterBits) || clusterBits < 9 || clusterBits > 21) {
    throw badRequest(`Invalid qcow2 cluster size ${clusterSize}: a power of two from 512 to 2 MiB.`);
  }
  const source = await openSource(input);
  const file = await open(output, "w");
  try {
    const layout = new Qcow2Layout(clusterBits, Math.ceil(source.size / 512) * 512);
    const writer = new Qcow2Writer(layout, file, options.compress ?? false);
    const chunkSize = Math.max(CHUNK, clusterSize);
    // Two buffers: the next chunk is read while this one's clusters are written.
    const buffers = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)] as const;
    const readChunk = (at: number) => {
      const p = at < source.size ? source.readInto(buffers[(at / chunkSize) % 2]!, at) : Promise.resolve(0);
      p.catch(() => {});
      return p;
    };
    let reading = readChunk(0);
    for (let at = 0; at < source.size; at += chunkSize) {
      const chunkEnd = Math.min(at + chunkSize, source.size);
      const got = await reading;
      reading = readChunk(chunkEnd);
      if (got < chunkEnd - at) throw badRequest(`The raw input ended at ${at + got}, before its size ${source.size}.`);
      const whole = Math.ceil((chunkEnd - at) / clusterSize) * clusterSize;
      const current = buffers[(at / chunkSize) % 2]!;
      current.fill(0, chunkEnd - at, whole);
      await writer.addChunk(at, current.subarray(0, whole));
      options.onProgress?.({ done: chunkEnd, total: source.size });
    }
    const dataBytes = await writer.finish();
    return { virtualSize: layout.virtualSize, dataBytes };
  } finally {
    await file.close();
    await source.close();
  }
}

class Qcow2Writer {
  private l2: DataView | undefined;
  private l2Index = -1;
  private l2Offset = 0;
  private readonly l1: DataView;
  private dataBytes = 0;

  constructor(
    private readonly layout: Qcow2Layout,
    private readonly file: FileHandle,
    private readonly compress: boolean,
  ) {
    this.l1 = new DataView(new ArrayBuffer(layout.l1Size * 8));
  }

  /** Adds the clusters of `chunk` (whole clusters) at guest offset `guest`. */
  async addChunk(guest: number, chunk: Buffer): Promise<void> {
    const cs = this.layout.clusterSize;
    const data: number[] = [];
    for (let at = 0; at < chunk.length; at += cs) {
      if (!isAllZero(chunk.subarray(at, at + cs))) data.push(at);
    }
    if (this.compress) return this.addCompressed(guest, chunk, data);
    // Runs of data clusters become one write, broken only where an L2 table must be placed.
    const writes: Promise<void>[] = [];
    let i = 0;
    while (i < data.length) {
      const first = data[i] ?? 0;
      await this.entryFor(guest + first);
      let count = 1;
      while (data[i + count] === first + count * cs && this.l2IndexOf(guest + first + count * cs) === this.l2Index) {
        count++;
      }
      const host = this.layout.allocateClusters(count);
      for (let k = 0; k < count; k++) this.setL2(guest + first + k * cs, BigInt(host + k * cs) | COPIED);
      writes.push(writeAll(this.file, chunk.subarray(first, first + count * cs), host));
      this.dataBytes += count * cs;
      i += count;
    }
    await Promise.all(writes);
  }

  private async addCompressed(guest: number, chunk: Buffer, data: number[]): Promise<void> {
    const cs = this.layout.clusterSize;
    const packed = await Promise.all(
      data.map((at) => deflate(chunk.subarray(at, at + cs), { windowBits: 12, memLevel: 9 })),
    );
    for (const [k, at] of data.entries()) {
      const raw = chunk.subarray(at, at + cs);
      const small = packed[k] ?? raw;
      await this.entryFor(guest + at);
      if (small.length > this.layout.maxCompressed) {
        const host = this.layout.allocateClusters(1);
        this.setL2(guest + at, BigInt(host) | COPIED);
        await writeAll(this.file, raw, host);
        this.dataBytes += cs;
      } else {
        const { entry, offset } = this.layout.allocateCompressed(small.length);
        this.setL2(guest + at, entry);
        await writeAll(this.file, small, offset);
        this.dataBytes += small.length;
      }
    }
  }

  /** Writes the last L2 table, the L1 table, the refcounts, and the header; returns data bytes. */
  async finish(): Promise<number> {
    await this.closeL2();
    const refcounts = this.layout.refcounts();
    await writeAll(this.file, refcounts.bytes, refcounts.tableOffset);
    await writeAll(this.file, new Uint8Array(this.l1.buffer), this.layout.l1Offset);
    await this.file.truncate(refcounts.fileEnd);
    await writeAll(this.file, qcow2Header(this.layout, refcounts.tableOffset, refcounts.tableClusters), 0);
    return this.dataBytes;
  }

  private l2IndexOf(guest: number): number {
    return Math.floor(guest / ((this.layout.clusterSize / 8) * this.layout.clusterSize));
  }

  /** Makes sure the L2 table covering `guest` is the open one, allocating it on first use. */
  private async entryFor(guest: number): Promise<void> {
    const index = this.l2IndexOf(guest);
    if (index === this.l2Index) return;
    await this.closeL2();
    this.l2Index = index;
    this.l2Offset = this.layout.allocateClusters(1);
    this.l2 = new DataView(new ArrayBuffer(this.layout.clusterSize));
    this.l1.setBigUint64(index * 8, BigInt(this.l2Offset) | COPIED);
  }

  private setL2(guest: number, entry: bigint): void {
    const within = (guest / this.layout.clusterSize) % (this.layout.clusterSize / 8);
    this.l2?.setBigUint64(within * 8, entry);
  }

  private async closeL2(): Promise<void> {
    if (!this.l2) return;
    await writeAll(this.file, new Uint8Array(this.l2.buffer), this.l2Offset);
    this.l2 = undefined;
  }
}

async function writeAll(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await handle.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
