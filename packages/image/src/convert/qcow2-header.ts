/**
 * The qcow2 header (QEMU docs/interop/qcow2.txt), big-endian, parsed and checked for what the
 * converter can read safely: no backing file, no external data file, no encryption, no unknown
 * incompatible feature.
 */
import { badRequest } from "@stratus/core/errors";

export const QCOW2_MAGIC = 0x514649fb; // "QFI\xfb"
/** Bits 9-55 of L1 and standard L2 entries: a host offset. */
export const OFFSET_MASK = 0x00ff_ffff_ffff_fe00n;
export const COPIED = 1n << 63n;
export const COMPRESSED = 1n << 62n;
export const ZERO_FLAG = 1n;

export const INCOMPAT_DIRTY = 1n;
export const INCOMPAT_CORRUPT = 2n;
export const INCOMPAT_DATA_FILE = 4n;
export const INCOMPAT_COMPRESSION = 8n;
export const INCOMPAT_EXTENDED_L2 = 16n;

export type Qcow2Compression = "zlib" | "zstd";

export interface Qcow2Header {
  readonly version: 2 | 3;
  readonly clusterBits: number;
  readonly clusterSize: number;
  readonly virtualSize: number;
  readonly l1Size: number;
  readonly l1TableOffset: number;
  readonly compression: Qcow2Compression;
  /** Bytes per L2 entry: 8, or 16 with extended L2 (subclusters). */
  readonly l2EntrySize: 8 | 16;
}

/** Bytes to read to hold any header we accept. */
export const QCOW2_HEADER_READ = 512;

/** Parses and validates; throws bad_request with the reason for anything we will not convert. */
export function parseQcow2Header(bytes: Uint8Array, fileSize: number): Qcow2Header {
  if (bytes.length < 72)
    throw badRequest(`Image is truncated: a qcow2 header needs 72 bytes, the image has ${bytes.length}.`);
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (v.getUint32(0) !== QCOW2_MAGIC) throw badRequest("Not a qcow2 image: the magic is not QFI\\xfb.");
  const version = v.getUint32(4);
  if (version !== 2 && version !== 3) throw badRequest(`Unsupported qcow2 version ${version}.`);
  if (v.getBigUint64(8) !== 0n) throw badRequest("Refusing a qcow2 image with a backing file.");
  const clusterBits = v.getUint32(20);
  if (clusterBits < 9 || clusterBits > 21) throw badRequest(`Invalid qcow2 cluster_bits ${clusterBits}.`);
  const virtualSize = Number(v.getBigUint64(24));
  if (!Number.isSafeInteger(virtualSize)) throw badRequest("qcow2 virtual size is too large.");
  if (v.getUint32(32) !== 0) throw badRequest("Refusing an encrypted qcow2 image.");
  const l1Size = v.getUint32(36);
  const l1TableOffset = Number(v.getBigUint64(40));
  let compression: Qcow2Compression = "zlib";
  let l2EntrySize: 8 | 16 = 8;
  if (version === 3) {
    if (bytes.length < 104) throw badRequest("Image is truncated: the qcow2 v3 header is incomplete.");
    const incompat = v.getBigUint64(72);
    if (incompat & INCOMPAT_CORRUPT) throw badRequest("Refusing a qcow2 image marked corrupt.");
    if (incompat & INCOMPAT_DATA_FILE) throw badRequest("Refusing a qcow2 image with an external data file.");
    const known = INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_DATA_FILE | INCOMPAT_COMPRESSION | INCOMPAT_EXTENDED_L2;
    if (incompat & ~known) throw badRequest(`Refusing qcow2 unknown incompatible features 0x${incompat.toString(16)}.`);
    if (incompat & INCOMPAT_EXTENDED_L2) l2EntrySize = 16;
    const headerLength = v.getUint32(100);
    if (headerLength > 104 && bytes.length > 104) {
      const type = v.getUint8(104);
      if (type > 1) throw badRequest(`Unknown qcow2 compression type ${type}.`);
      compression = type === 1 ? "zstd" : "zlib";
    }
  }
  const clusterSize = 2 ** clusterBits;
  const l2Span = (clusterSize / l2EntrySize) * clusterSize;
  if (l1Size < Math.ceil(virtualSize / l2Span)) {
    throw badRequest(`qcow2 L1 table (${l1Size} entries) is too small for the virtual size ${virtualSize}.`);
  }
  // qemu's own limit: 32 MiB of L1 table.
  if (l1Size > (32 * 2 ** 20) / 8) throw badRequest(`qcow2 L1 table of ${l1Size} entries is too large.`);
  if (l1TableOffset % clusterSize !== 0) throw badRequest(`qcow2 L1 table offset ${l1TableOffset} is not aligned.`);
  if (l1TableOffset + l1Size * 8 > fileSize) {
    throw badRequest(`Image is truncated: the qcow2 L1 table at ${l1TableOffset} lies beyond the end of the image.`);
  }
  return { version, clusterBits, clusterSize, virtualSize, l1Size, l1TableOffset, compression, l2EntrySize };
}
