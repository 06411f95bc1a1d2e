/**
 * VDI (VirtualBox; qemu block/vdi.c), little-endian: one header with the signature 0xbeda107f at
 * byte 64, the block map and the data area at offsets it names.
 */

import { u32le, u64le } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { beyondEof, type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";
import type { Finding } from "../types.js";

const SIGNATURE = 0xbeda107f;
const TYPES: Record<number, string> = { 1: "dynamic", 2: "fixed", 3: "undo", 4: "differencing" };

export class VdiProbe implements FormatProbe {
  private header: Uint8Array | undefined;

  start(ctx: CaptureContext): void {
    ctx.capture(0, 512, (b) => {
      if (b.length >= 0x44 && u32le(b, 0x40) === SIGNATURE) this.header = b.slice(0, 512);
    });
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    const b = this.header;
    if (!b) return undefined;
    if (b.length < 0x190)
      return {
        format: "vdi",
        virtualSize: 0,
        findings: [reject("header-truncated", `the VDI header needs 400 bytes, the file has ${b.length}`)],
        layer: "container",
      };
    const findings: Finding[] = [];
    const version = u32le(b, 0x44);
    const type = u32le(b, 0x4c);
    const bmapOffset = u32le(b, 0x154);
    const dataOffset = u32le(b, 0x158);
    const virtualSize = u64le(b, 0x170);
    const blockSize = u32le(b, 0x178);
    const blocks = u32le(b, 0x180);
    if (version !== 0x00010001)
      findings.push(reject("header-invalid", `VDI version 0x${version.toString(16)} is not 1.1`));
    if (type === 3 || type === 4)
      findings.push(
        reject("vdi-differencing", `the VDI image is of type ${TYPES[type]}: it reads from a parent image`),
      );
    else if (type !== 1 && type !== 2) findings.push(reject("header-invalid", `the VDI image type ${type} is unknown`));
    if (blockSize === 0 || (blockSize & (blockSize - 1)) !== 0)
      findings.push(reject("header-invalid", `the VDI block size ${blockSize} is not a power of two`));
    else if (blocks * blockSize < virtualSize)
      findings.push(
        reject("header-invalid", `the VDI block map (${blocks} blocks) is too small for ${virtualSize} bytes`),
      );
    if (bmapOffset + blocks * 4 > end.size) findings.push(beyondEof("VDI block map", bmapOffset, blocks * 4, end.size));
    if (dataOffset > end.size) findings.push(beyondEof("VDI data area", dataOffset, 0, end.size));
    return {
      format: "vdi",
      virtualSize,
      clusterSize: blockSize,
      subformat: TYPES[type] ?? `type ${type}`,
      findings,
      layer: "container",
    };
  }
}
