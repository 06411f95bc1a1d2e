/**
 * VHDX -> raw (MS-VHDX, little-endian). Two headers at 64 and 128 KiB (the valid one, by
 * CRC-32C, with the higher sequence number wins); a region table at 192 KiB locates the BAT and
 * the metadata (block size, virtual size, logical sector size). BAT entries: state in bits 0-2,
 * file offset in MiB in bits 20-63; after every `chunk ratio` payload entries comes one
 * sector-bitmap entry. Images with a parent or an unreplayed log are refused.
 */
import { badRequest } from "@stratus/core/errors";
import { type DiskReader, RunWriter } from "./runs.js";
import type { OpenedSource } from "./source.js";

const KiB = 1024;
const BAT_REGION = "2dc27766-f623-4200-9d64-115e9bfd4a08";
const METADATA_REGION = "8b7ca206-4790-4b9a-b8fe-575f050f886e";
const FILE_PARAMETERS = "caa16737-fa36-4d43-b3b6-33f0aa44e76b";
const VIRTUAL_DISK_SIZE = "2fa54224-cd1b-4876-b211-5dbed83bf4b8";
const LOGICAL_SECTOR_SIZE = "8141bf1d-a96f-4709-ba47-f233a8faab5f";
const FULLY_PRESENT = 6;
const PARTIALLY_PRESENT = 7;

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** A GUID in its usual text form from its mixed-endian bytes. */
function guid(b: Uint8Array, at: number): string {
  const hex = (i: number) => (b[at + i] ?? 0).toString(16).padStart(2, "0");
  const part = (idx: number[]) => idx.map(hex).join("");
  return `${part([3, 2, 1, 0])}-${part([5, 4])}-${part([7, 6])}-${part([8, 9])}-${part([10, 11, 12, 13, 14, 15])}`;
}

const CRC32C = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC32C[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** True when the 4 KiB structure carries `signature` and a correct CRC-32C at offset 4. */
function valid(block: Uint8Array, signature: string): boolean {
  if (ascii(block, 0, 4) !== signature) return false;
  const stored = new DataView(block.buffer, block.byteOffset).getUint32(4, true);
  const copy = block.slice();
  copy.fill(0, 4, 8);
  return crc32c(copy) === stored;
}

export async function openVhdx(source: OpenedSource): Promise<DiskReader> {
  const ident = await source.readExact(0, 8, "the VHDX file identifier");
  if (ascii(ident, 0, 8) !== "vhdxfile") throw badRequest("Not a VHDX image: no vhdxfile identifier.");
  const headers = await Promise.all([64, 128].map((k) => source.readExact(k * KiB, 4 * KiB, "a VHDX header")));
  const current = headers
    .filter((h) => valid(h, "head"))
    .sort((a, b) => {
      const seq = (h: Uint8Array) => new DataView(h.buffer, h.byteOffset).getBigUint64(8, true);
      return seq(b) > seq(a) ? 1 : -1;
    })[0];
  if (!current) throw badRequest("Neither VHDX header is valid (signature or CRC-32C).");
  if (current.subarray(48, 64).some((b) => b !== 0)) {
    throw badRequest("Refusing a VHDX whose log has not been replayed.");
  }
  const regions = await source.readExact(192 * KiB, 64 * KiB, "the VHDX region table");
  if (ascii(regions, 0, 4) !== "regi") throw badRequest("Invalid VHDX region table.");
  const rv = new DataView(regions.buffer, regions.byteOffset, regions.byteLength);
  const found = new Map<string, { offset: number; length: number }>();
  for (let i = 0, n = Math.min(rv.getUint32(8, true), 2047); i < n; i++) {
    const at = 16 + i * 32;
    found.set(guid(regions, at), {
      offset: Number(rv.getBigUint64(at + 16, true)),
      length: rv.getUint32(at + 24, true),
    });
  }
  const bat = found.get(BAT_REGION);
  const meta = found.get(METADATA_REGION);
  if (!bat || !meta) throw badRequest("The VHDX region table lacks the BAT or the metadata region.");
  const m = await readMetadata(source, meta.offset, meta.length);
  const blocks = Math.ceil(m.virtualSize / m.blockSize);
  const chunkRatio = (2 ** 23 * m.logicalSectorSize) / m.blockSize;
  const entries = blocks + Math.floor((blocks - 1) / chunkRatio);
  if (entries * 8 > bat.length) throw badRequest("The VHDX BAT is too small for the virtual size.");
  const table = await source.readExact(bat.offset, entries * 8, "the VHDX BAT");
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  return {
    virtualSize: m.virtualSize,
    copyTo: async (sink) => {
      const runs = new RunWriter(source, sink);
      for (let b = 0; b < blocks; b++) {
        const guest = b * m.blockSize;
        const length = Math.min(m.blockSize, m.virtualSize - guest);
        const entry = view.getBigUint64((b + Math.floor(b / chunkRatio)) * 8, true);
        const state = Number(entry & 7n);
        if (state === PARTIALLY_PRESENT)
          throw badRequest(`VHDX block ${b} is partially present (a differencing disk).`);
        if (state !== FULLY_PRESENT) {
          await runs.add({ kind: "zero", guest, length });
          continue;
        }
        const host = Number(entry >> 20n) * 2 ** 20;
        if (host >= source.size)
          throw badRequest(`VHDX block ${b} points to offset ${host}, past the end of the image.`);
        await runs.add({ kind: "host", guest, host, length });
      }
      await runs.end();
    },
  };
}

async function readMetadata(
  source: OpenedSource,
  offset: number,
  length: number,
): Promise<{ blockSize: number; virtualSize: number; logicalSectorSize: number }> {
  const region = await source.readExact(offset, Math.min(length, 1024 * KiB), "the VHDX metadata region");
  if (ascii(region, 0, 8) !== "metadata") throw badRequest("Invalid VHDX metadata table.");
  const v = new DataView(region.buffer, region.byteOffset, region.byteLength);
  const items = new Map<string, number>();
  for (let i = 0, n = Math.min(v.getUint16(10, true), 2047); i < n; i++) {
    const at = 32 + i * 32;
    items.set(guid(region, at), v.getUint32(at + 16, true));
  }
  const item = (id: string, name: string) => {
    const at = items.get(id);
    if (at === undefined || at + 8 > region.length) throw badRequest(`The VHDX metadata lacks ${name}.`);
    return at;
  };
  const params = item(FILE_PARAMETERS, "the file parameters");
  if (v.getUint32(params + 4, true) & 2) throw badRequest("Refusing a VHDX with a parent (differencing disk).");
  const blockSize = v.getUint32(params, true);
  const virtualSize = Number(v.getBigUint64(item(VIRTUAL_DISK_SIZE, "the virtual disk size"), true));
  const logicalSectorSize = v.getUint32(item(LOGICAL_SECTOR_SIZE, "the logical sector size"), true);
  if (blockSize < 2 ** 20 || blockSize > 256 * 2 ** 20 || (blockSize & (blockSize - 1)) !== 0) {
    throw badRequest(`Invalid VHDX block size ${blockSize}.`);
  }
  if (logicalSectorSize !== 512 && logicalSectorSize !== 4096) {
    throw badRequest(`Invalid VHDX logical sector size ${logicalSectorSize}.`);
  }
  if (!Number.isSafeInteger(virtualSize)) throw badRequest("VHDX virtual size is too large.");
  return { blockSize, virtualSize, logicalSectorSize };
}
