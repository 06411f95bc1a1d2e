/**
 * Compressed qcow2 clusters: raw deflate (zlib type, window 4 KiB) or one zstd frame. The stored
 * length is rounded up to 512-byte sectors, so trailing bytes after the stream are ignored; the
 * output must fill exactly one cluster.
 */
import { inflateRawSync } from "node:zlib";
import { badRequest } from "@stratus/core/errors";
import { decompress as zstdDecompress } from "fzstd";
import type { Qcow2Compression } from "./qcow2-header.js";

export function decompressCluster(
  kind: Qcow2Compression,
  data: Uint8Array,
  clusterSize: number,
  where: string,
): Uint8Array {
  let out: Uint8Array;
  try {
    if (kind === "zlib") {
      out = inflateRawSync(data, { maxOutputLength: clusterSize, finishFlush: 2 /* Z_SYNC_FLUSH */ });
    } else {
      out = zstdDecompress(data.subarray(0, zstdFrameLength(data)), new Uint8Array(clusterSize));
    }
  } catch (cause) {
    throw badRequest(`Corrupt ${kind} compressed cluster ${where}.`, { cause });
  }
  if (out.length !== clusterSize) {
    throw badRequest(
      `Compressed cluster ${where} inflates to ${out.length} bytes, not the cluster size ${clusterSize}.`,
    );
  }
  return out;
}

/**
 * The byte length of the zstd frame at the start of `data` (RFC 8878 section 3.1.1): header, then
 * blocks until the one flagged last, then an optional 4-byte checksum.
 */
export function zstdFrameLength(data: Uint8Array): number {
  const fail = (why: string) => {
    throw new Error(`zstd frame ${why}`);
  };
  if (data.length < 6 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    fail("magic missing");
  }
  const fhd = data[4] ?? 0;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const checksum = (fhd >> 2) & 1;
  const dictIdSize = [0, 1, 2, 4][fhd & 3] ?? 0;
  const fcsSize = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag] ?? 0;
  let at = 5 + (singleSegment ? 0 : 1) + dictIdSize + fcsSize;
  for (;;) {
    if (at + 3 > data.length) fail("ends inside a block header");
    const header = (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16);
    const last = header & 1;
    const type = (header >> 1) & 3;
    const size = header >>> 3;
    if (type === 3) fail("has a reserved block type");
    at += 3 + (type === 1 ? 1 : size);
    if (last) break;
  }
  at += checksum ? 4 : 0;
  if (at > data.length) fail("is longer than its stored length");
  return at;
}
