/**
 * VMDK (VMware Virtual Disk Format 5.0): a hosted sparse extent ("KDMV" header, embedded
 * descriptor at the sector the header names) or a text descriptor file. Only monolithicSparse and
 * streamOptimized are accepted; every extent must be the image itself.
 */

import { allOnes64, concatBytes, u16le, u32le, u64le } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";
import type { Finding } from "../types.js";
import {
  descriptorFindings,
  descriptorText,
  looksLikeDescriptor,
  parseDescriptor,
  type VmdkDescriptor,
} from "./vmdk-descriptor.js";

const MAGIC = 0x564d444b; // "KDMV" little-endian
const MAX_DESCRIPTOR = 1024 * 1024 - 1; // qemu's limit
const TEXT_DESCRIPTOR_MAX = 64 * 1024;
const MARKER_EOS = 0;
const MARKER_FOOTER = 3;

interface SparseHeader {
  version: number;
  capacity: number;
  grain: number;
  descOffset: number;
  descSize: number;
  gdAtEnd: boolean;
  compression: number;
}

export class VmdkProbe implements FormatProbe {
  private kind: "sparse" | "text" | undefined;
  private header: SparseHeader | undefined;
  private headerBytes: Uint8Array | undefined;
  private descriptor: VmdkDescriptor | undefined;
  private readonly findings: Finding[] = [];

  start(ctx: CaptureContext): void {
    ctx.capture(0, 512, (b) => this.onHead(b, ctx));
  }

  private onHead(b: Uint8Array, ctx: CaptureContext): void {
    if (b.length >= 4 && u32le(b, 0) === MAGIC) {
      this.onSparse(b, ctx);
      return;
    }
    if (!looksLikeDescriptor(b)) return;
    this.kind = "text";
    if (b.length < 512) {
      this.onText(b);
      return;
    }
    ctx.capture(512, TEXT_DESCRIPTOR_MAX - 512, (rest) => {
      if (rest.length === TEXT_DESCRIPTOR_MAX - 512)
        this.findings.push(
          reject("vmdk-descriptor-invalid", `the VMDK text descriptor is larger than ${TEXT_DESCRIPTOR_MAX} bytes`),
        );
      this.onText(concatBytes(b, rest));
    });
  }

  private onText(b: Uint8Array): void {
    if (b.includes(0))
      this.findings.push(reject("vmdk-descriptor-invalid", "the VMDK text descriptor contains binary data"));
    this.descriptor = parseDescriptor(descriptorText(b));
  }

  private onSparse(b: Uint8Array, ctx: CaptureContext): void {
    this.kind = "sparse";
    if (b.length < 80) {
      this.findings.push(reject("header-truncated", `the VMDK sparse header needs 80 bytes, the file has ${b.length}`));
      return;
    }
    const h: SparseHeader = {
      version: u32le(b, 4),
      capacity: u64le(b, 12),
      grain: u64le(b, 20),
      descOffset: u64le(b, 28),
      descSize: u64le(b, 36),
      gdAtEnd: allOnes64(b, 56),
      compression: u16le(b, 77),
    };
    this.header = h;
    this.headerBytes = b.slice(0, 80);
    if (h.version < 1 || h.version > 3) {
      this.findings.push(reject("header-invalid", `VMDK sparse version ${h.version} is not 1, 2 or 3`));
      return;
    }
    if (h.grain === 0 || (h.grain & (h.grain - 1)) !== 0 || h.grain > 128) {
      this.findings.push(
        reject("header-invalid", `VMDK grain size ${h.grain} sectors is not a power of two up to 128`),
      );
      return;
    }
    if (h.descOffset === 0 || h.descSize === 0) {
      this.findings.push(reject("vmdk-descriptor-invalid", "the VMDK sparse extent has no embedded descriptor"));
      return;
    }
    if (h.descOffset !== 1) {
      this.findings.push(
        reject("header-invalid", `the VMDK descriptor is at sector ${h.descOffset}, not right after the header`),
      );
      return;
    }
    if (h.gdAtEnd) ctx.needTail(1536);
    const length = Math.min(h.descSize * 512, MAX_DESCRIPTOR);
    ctx.capture(512, length, (d) => {
      if (d.length < length)
        this.findings.push(reject("header-truncated", "the VMDK embedded descriptor ends past the end of the file"));
      this.descriptor = parseDescriptor(descriptorText(d));
    });
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    if (!this.kind) return undefined;
    const findings = [...this.findings];
    const d = this.descriptor;
    if (d) findings.push(...descriptorFindings(d, this.kind === "sparse"));
    const h = this.header;
    if (this.kind === "text") {
      const virtualSize = (d?.extents ?? []).reduce((n, e) => n + e.sectors * 512, 0);
      return {
        format: "vmdk",
        virtualSize,
        ...(d?.createType ? { subformat: d.createType } : {}),
        findings,
        layer: "container",
      };
    }
    if (h?.gdAtEnd && this.headerBytes) findings.push(...footerFindings(this.headerBytes, end.tail));
    const streamOptimized = d?.createType?.toLowerCase() === "streamoptimized";
    return {
      format: "vmdk",
      virtualSize: (h?.capacity ?? 0) * 512,
      ...(h ? { clusterSize: h.grain * 512 } : {}),
      ...(h && (h.compression === 1 || streamOptimized) ? { compression: "deflate" } : {}),
      ...(d?.createType ? { subformat: d.createType } : {}),
      findings,
      layer: "container",
    };
  }
}

/** A stream-optimized VMDK with its grain directory "at end": footer marker, footer, end-of-stream marker. */
function footerFindings(header: Uint8Array, tail: Uint8Array): Finding[] {
  if (tail.length < 1536) return [reject("vmdk-footer-invalid", "the VMDK stream is too short for its footer")];
  const marker = tail.subarray(0, 512);
  const footer = tail.subarray(512, 1024);
  const eos = tail.subarray(1024, 1536);
  const zeroAfter = (b: Uint8Array, from: number) => b.subarray(from).every((x) => x === 0);
  const out: Finding[] = [];
  if (u32le(marker, 8) !== 0 || u32le(marker, 12) !== MARKER_FOOTER || !zeroAfter(marker, 16))
    out.push(reject("vmdk-footer-invalid", "the VMDK footer marker is invalid"));
  if (u64le(eos, 0) !== 0 || u32le(eos, 8) !== 0 || u32le(eos, 12) !== MARKER_EOS || !zeroAfter(eos, 16))
    out.push(reject("vmdk-footer-invalid", "the VMDK end-of-stream marker is invalid"));
  const same = (at: number, len: number) => header.subarray(at, at + len).every((x, i) => x === footer[at + i]);
  if (!same(0, 8) || !same(28, 16))
    out.push(reject("vmdk-footer-invalid", "the VMDK footer does not match its header"));
  if (allOnes64(footer, 56)) out.push(reject("vmdk-footer-invalid", "the VMDK footer points to yet another footer"));
  return out;
}
