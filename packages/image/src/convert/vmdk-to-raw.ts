/**
 * VMDK sparse extents (monolithicSparse, streamOptimized) -> raw. Little-endian header "KDMV";
 * a grain directory of grain tables of 32-bit sector offsets (0 unallocated, 1 zero grain).
 * streamOptimized puts the real header in a footer 1024 bytes before the end and stores each
 * grain zlib-compressed behind a 12-byte marker. Descriptors naming other files or a parent are
 * refused.
 */
import { inflateSync } from "node:zlib";
import { badRequest } from "@stratus/core/errors";
import { type DiskReader, type DiskRun, RunWriter } from "./runs.js";
import type { RawSink } from "./sink.js";
import type { OpenedSource } from "./source.js";

const MAGIC = 0x564d444b; // "KDMV" read little-endian
const FLAG_ZERO_GRAIN = 1 << 2;
const FLAG_COMPRESSED = 1 << 16;
const FLAG_MARKERS = 1 << 17;
const GD_AT_END = 0xffff_ffff_ffff_ffffn;

interface VmdkHeader {
  readonly flags: number;
  readonly capacity: number;
  readonly grainSectors: number;
  readonly descriptorOffset: number;
  readonly descriptorSize: number;
  readonly gtes: number;
  readonly gdOffset: bigint;
}

function parseHeader(bytes: Uint8Array, at: number): VmdkHeader {
  const v = new DataView(bytes.buffer, bytes.byteOffset + at, 512);
  if (v.getUint32(0, true) !== MAGIC) throw badRequest("Not a VMDK sparse extent: the magic is not KDMV.");
  const version = v.getUint32(4, true);
  if (version < 1 || version > 3) throw badRequest(`Unsupported VMDK version ${version}.`);
  const num = (o: number) => {
    const n = v.getBigUint64(o, true);
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw badRequest(`VMDK header field at ${o} is too large.`);
    return Number(n);
  };
  const h = {
    flags: v.getUint32(8, true),
    capacity: num(12),
    grainSectors: num(20),
    descriptorOffset: num(28),
    descriptorSize: num(36),
    gtes: v.getUint32(44, true),
    gdOffset: v.getBigUint64(56, true),
  };
  if (h.grainSectors < 1 || h.grainSectors > 2048 || (h.grainSectors & (h.grainSectors - 1)) !== 0) {
    throw badRequest(`Invalid VMDK grain size of ${h.grainSectors} sectors.`);
  }
  if (h.gtes < 1 || h.gtes > 4096) throw badRequest(`Invalid VMDK grain table size ${h.gtes}.`);
  return h;
}

/** Only a descriptor that names no other file as parent and no extent but this one. */
function checkDescriptor(text: string): void {
  const createType = /createType\s*=\s*"([^"]*)"/.exec(text)?.[1];
  if (createType !== undefined && createType !== "monolithicSparse" && createType !== "streamOptimized") {
    throw badRequest(`Refusing VMDK createType "${createType}": only monolithicSparse and streamOptimized.`);
  }
  const parent = /parentCID\s*=\s*([0-9a-fA-F]+)/.exec(text)?.[1];
  if ((parent && parent.toLowerCase() !== "ffffffff") || /parentFileNameHint/.test(text)) {
    throw badRequest("Refusing a VMDK with a parent image.");
  }
  const extents = text.split("\n").filter((l) => /^\s*(RW|RDONLY|NOACCESS)\s/.test(l));
  if (extents.length > 1 || extents.some((l) => !/\sSPARSE\s/.test(l))) {
    throw badRequest("Refusing a VMDK whose descriptor names extents other than its own sparse extent.");
  }
}

export async function openVmdk(source: OpenedSource): Promise<DiskReader> {
  const first = await source.readExact(0, 512, "the VMDK header");
  let h = parseHeader(first, 0);
  if (h.gdOffset === GD_AT_END) {
    if (source.size < 1536) throw badRequest("Image is truncated: no room for a VMDK footer.");
    const footer = await source.readExact(source.size - 1024, 512, "the VMDK footer");
    h = parseHeader(footer, 0);
    if (h.gdOffset === GD_AT_END) throw badRequest("The VMDK footer has no grain directory offset.");
  }
  if (h.descriptorOffset > 0 && h.descriptorSize > 0) {
    const size = Math.min(h.descriptorSize * 512, 64 * 1024);
    const text = await source.readExact(h.descriptorOffset * 512, size, "the VMDK descriptor");
    checkDescriptor(new TextDecoder().decode(text).replace(/\0.*$/s, ""));
  }
  const virtualSize = h.capacity * 512;
  return { virtualSize, copyTo: (sink) => copy(h, source, sink, virtualSize) };
}

async function copy(h: VmdkHeader, source: OpenedSource, sink: RawSink, virtualSize: number): Promise<void> {
  const grain = h.grainSectors * 512;
  const tableSpan = grain * h.gtes;
  const tables = Math.ceil(virtualSize / tableSpan);
  const gdAt = Number(h.gdOffset) * 512;
  const gd = await source.readExact(gdAt, tables * 4, "the VMDK grain directory");
  const gdView = new DataView(gd.buffer, gd.byteOffset, gd.byteLength);
  const runs = new RunWriter(source, sink);
  for (let t = 0; t < tables; t++) {
    const guest = t * tableSpan;
    const gtSector = gdView.getUint32(t * 4, true);
    if (gtSector === 0) {
      await runs.add({ kind: "zero", guest, length: Math.min(tableSpan, virtualSize - guest) });
      continue;
    }
    const gt = await source.readExact(gtSector * 512, h.gtes * 4, `the VMDK grain table ${t}`);
    const gtView = new DataView(gt.buffer, gt.byteOffset, gt.byteLength);
    for (let g = 0; g < h.gtes && guest + g * grain < virtualSize; g++) {
      const at = guest + g * grain;
      const length = Math.min(grain, virtualSize - at);
      const sector = gtView.getUint32(g * 4, true);
      await runs.add(await describeGrain(h, source, sector, at, length, grain));
    }
  }
  await runs.end();
}

async function describeGrain(
  h: VmdkHeader,
  source: OpenedSource,
  sector: number,
  guest: number,
  length: number,
  grain: number,
): Promise<DiskRun> {
  if (sector === 0 || (sector === 1 && h.flags & FLAG_ZERO_GRAIN)) return { kind: "zero", guest, length };
  const host = sector * 512;
  if (host >= source.size) {
    throw badRequest(`VMDK grain for guest offset ${guest} points to offset ${host}, past the end of the image.`);
  }
  if (!(h.flags & FLAG_COMPRESSED)) return { kind: "host", guest, host, length };
  const markers = (h.flags & FLAG_MARKERS) !== 0;
  const head = await source.readExact(host, 12, `the VMDK grain marker for guest offset ${guest}`);
  const size = markers ? new DataView(head.buffer, head.byteOffset).getUint32(8, true) : grain;
  const start = host + (markers ? 12 : 0);
  const packed = await source.readExact(start, Math.min(size, source.size - start), `the grain at ${guest}`);
  let data: Uint8Array;
  try {
    data = inflateSync(packed, { maxOutputLength: grain, finishFlush: 2 /* Z_SYNC_FLUSH */ });
  } catch (cause) {
    throw badRequest(`Corrupt compressed VMDK grain for guest offset ${guest}.`, { cause });
  }
  if (data.length < length) {
    const full = new Uint8Array(length);
    full.set(data);
    data = full;
  }
  return { kind: "bytes", guest, data: data.subarray(0, length) };
}
