/**
 * VHD (qemu's "vpc") -> raw. Big-endian 512-byte footer "conectix" at the end of the file.
 * Fixed: the data precedes the footer. Dynamic: a "cxsparse" header points to the block
 * allocation table (32-bit sector offsets, 0xffffffff unallocated); each block is a sector
 * bitmap then the data. Differencing disks (a parent) are refused.
 */
import { badRequest } from "@stratus/core/errors";
import { type DiskReader, RunWriter } from "./runs.js";
import type { RawSink } from "./sink.js";
import type { OpenedSource } from "./source.js";

const FIXED = 2;
const DYNAMIC = 3;
const DIFFERENCING = 4;
const UNALLOCATED = 0xffff_ffff;
const MAX_CHS_SECTORS = 65535 * 16 * 255;
/** Creators whose images are sized by current_size rather than CHS geometry (as qemu reads them). */
const SIZED_BY_CURRENT_SIZE = ["win ", "qem2", "d2v ", "CTXS", "tap\0"];

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

export async function openVhd(source: OpenedSource): Promise<DiskReader> {
  if (source.size < 512) throw badRequest("Image is truncated: a VHD needs at least its 512-byte footer.");
  const footer = await source.readExact(source.size - 512, 512, "the VHD footer");
  if (ascii(footer, 0, 8) !== "conectix") {
    throw badRequest("Not a VHD, or truncated: no conectix footer at the end of the file.");
  }
  const v = new DataView(footer.buffer, footer.byteOffset, 512);
  const type = v.getUint32(60);
  if (type === DIFFERENCING) throw badRequest("Refusing a differencing VHD (it has a parent image).");
  if (type !== FIXED && type !== DYNAMIC) throw badRequest(`Unsupported VHD disk type ${type}.`);
  const chsSectors = v.getUint16(56) * v.getUint8(58) * v.getUint8(59);
  const currentSize = Number(v.getBigUint64(48));
  const useCurrent = SIZED_BY_CURRENT_SIZE.includes(ascii(footer, 28, 4)) || chsSectors === MAX_CHS_SECTORS;
  const virtualSize = useCurrent ? Math.floor(currentSize / 512) * 512 : chsSectors * 512;
  if (type === FIXED) {
    if (virtualSize > source.size - 512)
      throw badRequest("Image is truncated: the fixed VHD is shorter than its size.");
    return {
      virtualSize,
      copyTo: async (sink) => {
        const runs = new RunWriter(source, sink);
        const step = 8 * 2 ** 20;
        for (let at = 0; at < virtualSize; at += step) {
          await runs.add({ kind: "host", guest: at, host: at, length: Math.min(step, virtualSize - at) });
        }
        await runs.end();
      },
    };
  }
  const headerAt = Number(v.getBigUint64(16));
  const dyn = await source.readExact(headerAt, 1024, "the VHD dynamic disk header");
  if (ascii(dyn, 0, 8) !== "cxsparse") throw badRequest("Invalid VHD dynamic disk header (no cxsparse cookie).");
  const d = new DataView(dyn.buffer, dyn.byteOffset, 1024);
  const batAt = Number(d.getBigUint64(16));
  const entries = d.getUint32(28);
  const blockSize = d.getUint32(32);
  if (blockSize < 512 || blockSize % 512 !== 0 || blockSize > 256 * 2 ** 20) {
    throw badRequest(`Invalid VHD block size ${blockSize}.`);
  }
  if (entries * blockSize < virtualSize) throw badRequest("The VHD block table is too small for its size.");
  const bat = await source.readExact(batAt, entries * 4, "the VHD block allocation table");
  const bitmapBytes = Math.ceil(blockSize / 512 / 8 / 512) * 512;
  return { virtualSize, copyTo: (sink) => copyDynamic(source, sink, bat, blockSize, bitmapBytes, virtualSize) };
}

async function copyDynamic(
  source: OpenedSource,
  sink: RawSink,
  bat: Uint8Array,
  blockSize: number,
  bitmapBytes: number,
  virtualSize: number,
): Promise<void> {
  const view = new DataView(bat.buffer, bat.byteOffset, bat.byteLength);
  const runs = new RunWriter(source, sink);
  for (let b = 0; b * blockSize < virtualSize; b++) {
    const guest = b * blockSize;
    const length = Math.min(blockSize, virtualSize - guest);
    const sector = view.getUint32(b * 4);
    if (sector === UNALLOCATED) {
      await runs.add({ kind: "zero", guest, length });
      continue;
    }
    // qemu reads an allocated block whole, whatever its sector bitmap says; so do we.
    const host = sector * 512 + bitmapBytes;
    if (host >= source.size) {
      throw badRequest(`VHD block ${b} points to offset ${host}, past the end of the image.`);
    }
    await runs.add({ kind: "host", guest, host, length });
  }
  await runs.end();
}
