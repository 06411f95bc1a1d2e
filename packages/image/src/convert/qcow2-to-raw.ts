/**
 * qcow2 -> raw, streaming in guest order: the L1 table once, each L2 table as it is reached,
 * data read with one positional read per run of host-contiguous clusters. Unallocated and zero
 * clusters are never read (they become holes in a file output).
 */
import { badRequest } from "@stratus/core/errors";
import { decompressCluster } from "./decompress.js";
import {
  COMPRESSED,
  OFFSET_MASK,
  parseQcow2Header,
  QCOW2_HEADER_READ,
  type Qcow2Header,
  ZERO_FLAG,
} from "./qcow2-header.js";
import { type DiskReader, type DiskRun, RunWriter } from "./runs.js";
import type { RawSink } from "./sink.js";
import type { OpenedSource } from "./source.js";

export async function openQcow2(source: OpenedSource): Promise<DiskReader> {
  const head = await source.readExact(0, Math.min(QCOW2_HEADER_READ, source.size), "the qcow2 header");
  const h = parseQcow2Header(head, source.size);
  return { virtualSize: h.virtualSize, copyTo: (sink) => copy(h, source, sink) };
}

async function copy(h: Qcow2Header, source: OpenedSource, sink: RawSink): Promise<void> {
  const l1 = await source.readExact(h.l1TableOffset, h.l1Size * 8, "the qcow2 L1 table");
  const l1View = new DataView(l1.buffer, l1.byteOffset, l1.byteLength);
  const entries = h.clusterSize / h.l2EntrySize;
  const l2Span = entries * h.clusterSize;
  const runs = new RunWriter(source, sink);
  for (let i = 0; i * l2Span < h.virtualSize; i++) {
    const guest = i * l2Span;
    const l2Offset = Number(l1View.getBigUint64(i * 8) & OFFSET_MASK);
    if (l2Offset === 0) {
      await runs.add({ kind: "zero", guest, length: Math.min(l2Span, h.virtualSize - guest) });
      continue;
    }
    checkCluster(h, l2Offset, source.size, `L2 table of L1 entry ${i}`);
    const l2 = await source.readExact(l2Offset, h.clusterSize, `the L2 table of L1 entry ${i}`);
    const l2View = new DataView(l2.buffer, l2.byteOffset, l2.byteLength);
    for (let j = 0; j < entries && guest + j * h.clusterSize < h.virtualSize; j++) {
      const at = guest + j * h.clusterSize;
      const length = Math.min(h.clusterSize, h.virtualSize - at);
      const entry = l2View.getBigUint64(j * h.l2EntrySize);
      const bitmap = h.l2EntrySize === 16 ? l2View.getBigUint64(j * 16 + 8) : undefined;
      const run = describeCluster(h, source, entry, bitmap, at, length);
      const wait = runs.add(run instanceof Promise ? await run : run);
      if (wait) await wait;
    }
  }
  await runs.end();
}

function checkCluster(h: Qcow2Header, offset: number, fileSize: number, what: string): void {
  if (offset % h.clusterSize !== 0) throw badRequest(`qcow2 ${what} at ${offset} is not cluster-aligned.`);
  if (offset >= fileSize) {
    throw badRequest(`qcow2 ${what} points to offset ${offset}, past the end of the ${fileSize}-byte image.`);
  }
}

/** Synchronous for plain clusters; a promise when data must be read (compressed, subclusters). */
function describeCluster(
  h: Qcow2Header,
  source: OpenedSource,
  entry: bigint,
  bitmap: bigint | undefined,
  guest: number,
  length: number,
): DiskRun | Promise<DiskRun> {
  if (entry & COMPRESSED) return describeCompressed(h, source, entry, guest, length);
  const host = Number(entry & OFFSET_MASK);
  if (bitmap === undefined && (entry & ZERO_FLAG || host === 0)) return { kind: "zero", guest, length };
  if (bitmap !== undefined) return describeSubclusters(h, source, host, bitmap, guest, length);
  checkCluster(h, host, source.size, `data cluster for guest offset ${guest}`);
  return { kind: "host", guest, host, length };
}

async function describeCompressed(
  h: Qcow2Header,
  source: OpenedSource,
  entry: bigint,
  guest: number,
  length: number,
): Promise<DiskRun> {
  const shift = 62 - (h.clusterBits - 8);
  const offset = Number(entry & ((1n << BigInt(shift)) - 1n));
  const sectors = Number((entry >> BigInt(shift)) & ((1n << BigInt(h.clusterBits - 8)) - 1n)) + 1;
  if (offset >= source.size) {
    throw badRequest(`qcow2 compressed cluster for guest offset ${guest} points past the end of the image.`);
  }
  // The stored length is in whole sectors and may run past the end of the file; qemu reads less.
  const stored = Math.min(sectors * 512 - (offset % 512), source.size - offset);
  const packed = await source.readExact(offset, stored, `the compressed cluster for guest offset ${guest}`);
  const data = decompressCluster(h.compression, packed, h.clusterSize, `for guest offset ${guest}`);
  return { kind: "bytes", guest, data: data.subarray(0, length) };
}

/** Extended L2: 32 subclusters, each allocated (bit x), zero (bit 32 + x) or unallocated. */
async function describeSubclusters(
  h: Qcow2Header,
  source: OpenedSource,
  host: number,
  bitmap: bigint,
  guest: number,
  length: number,
): Promise<DiskRun> {
  const allocated = Number(bitmap & 0xffff_ffffn);
  if (host === 0 || allocated === 0) return { kind: "zero", guest, length };
  checkCluster(h, host, source.size, `data cluster for guest offset ${guest}`);
  if (allocated === 0xffff_ffff) return { kind: "host", guest, host, length };
  const data = new Uint8Array(length);
  const sub = h.clusterSize / 32;
  for (let x = 0; x < 32 && x * sub < length; x++) {
    if (!((allocated >>> x) & 1)) continue;
    const part = data.subarray(x * sub, Math.min(length, (x + 1) * sub));
    await source.readInto(part, host + x * sub);
  }
  return { kind: "bytes", guest, data };
}
