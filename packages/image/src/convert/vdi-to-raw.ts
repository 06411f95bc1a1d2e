/**
 * VDI (VirtualBox) -> raw. Little-endian header at 0 (signature 0xbeda107f at 0x40); a block
 * map of 32-bit block numbers (0xffffffff unallocated, 0xfffffffe discarded = zeros); block n's
 * data at offset_data + n * block_size. Differencing images (a parent) are refused.
 */
import { badRequest } from "@stratus/core/errors";
import { type DiskReader, RunWriter } from "./runs.js";
import type { OpenedSource } from "./source.js";

const SIGNATURE = 0xbeda107f;
const DYNAMIC = 1;
const FIXED = 2;
const ZERO_BLOCK = 0xffff_fffe;

export async function openVdi(source: OpenedSource): Promise<DiskReader> {
  const head = await source.readExact(0, 512, "the VDI header");
  const v = new DataView(head.buffer, head.byteOffset, 512);
  if (v.getUint32(0x40, true) !== SIGNATURE) throw badRequest("Not a VDI image: no signature at offset 0x40.");
  if (v.getUint32(0x44, true) >>> 16 !== 1)
    throw badRequest(`Unsupported VDI version 0x${v.getUint32(0x44, true).toString(16)}.`);
  const type = v.getUint32(0x4c, true);
  if (type !== DYNAMIC && type !== FIXED) throw badRequest(`Refusing VDI image type ${type} (differencing or undo).`);
  if (head.subarray(0x1a8, 0x1b8).some((b) => b !== 0)) throw badRequest("Refusing a VDI linked to a parent image.");
  const mapAt = v.getUint32(0x154, true);
  const dataAt = v.getUint32(0x158, true);
  const virtualSize = Number(v.getBigUint64(0x170, true));
  const blockSize = v.getUint32(0x178, true);
  const blocks = v.getUint32(0x180, true);
  if (blockSize < 512 || blockSize % 512 !== 0 || v.getUint32(0x17c, true) !== 0) {
    throw badRequest(`Invalid VDI block size ${blockSize} (or extra block data).`);
  }
  if (!Number.isSafeInteger(virtualSize) || blocks * blockSize < virtualSize) {
    throw badRequest("The VDI block map is too small for its disk size.");
  }
  const map = await source.readExact(mapAt, blocks * 4, "the VDI block map");
  const view = new DataView(map.buffer, map.byteOffset, map.byteLength);
  return {
    virtualSize,
    copyTo: async (sink) => {
      const runs = new RunWriter(source, sink);
      for (let b = 0; b * blockSize < virtualSize; b++) {
        const guest = b * blockSize;
        const length = Math.min(blockSize, virtualSize - guest);
        const entry = view.getUint32(b * 4, true);
        if (entry >= ZERO_BLOCK) {
          await runs.add({ kind: "zero", guest, length });
          continue;
        }
        const host = dataAt + entry * blockSize;
        if (host >= source.size)
          throw badRequest(`VDI block ${b} points to offset ${host}, past the end of the image.`);
        await runs.add({ kind: "host", guest, host, length });
      }
      await runs.end();
    },
  };
}
