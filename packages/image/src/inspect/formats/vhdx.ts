/**
 * VHDX (MS-VHDX), little-endian: the file identifier at 0, two headers at 64 and 128 KiB (the
 * valid one with the higher sequence number wins), the region table at 192 KiB naming the BAT and
 * metadata regions, and metadata items (file parameters, virtual disk size) in the latter.
 */

import { startsWith, u16le, u32le, u64le } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { beyondEof, type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";
import type { Finding } from "../types.js";
import { crc32c } from "./crc32c.js";

const KiB = 1024;
const REGION_BAT = "2dc27766-f623-4200-9d64-115e9bfd4a08";
const REGION_METADATA = "8b7ca206-4790-4b9a-b8fe-575f050f886e";
const ITEM_FILE_PARAMETERS = "caa16737-fa36-4d43-b3b6-33f0aa44e76b";
const ITEM_VIRTUAL_DISK_SIZE = "2fa54224-cd1b-4876-b211-5dbed83bf4b8";
const KNOWN_ITEMS = new Set([
  ITEM_FILE_PARAMETERS,
  ITEM_VIRTUAL_DISK_SIZE,
  "beca12ab-b2e6-4523-93ef-c309e000c746", // page 83 data
  "8141bf1d-a96f-4709-ba47-f233a8faab5f", // logical sector size
  "cda348c7-445d-4471-9cc9-e9885251c556", // physical sector size
]);
const PARENT_LOCATOR = "a8d35f2d-b30b-454d-abf7-d3d84834ab0c";
/** The VHDX format's own limit: 64 TiB. */
const MAX_VIRTUAL_SIZE = 64 * 2 ** 40;

/** GUIDs as MS-VHDX stores them: the first three fields little-endian. */
function guid(b: Uint8Array, at: number): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const bytes = [...b.subarray(at + from, at + to)];
    return (reverse ? bytes.reverse() : bytes).map((x) => x.toString(16).padStart(2, "0")).join("");
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

interface Region {
  offset: number;
  length: number;
}

export class VhdxProbe implements FormatProbe {
  private matched = false;
  private readonly headers: Array<{ sequence: number; logGuidZero: boolean; version: number } | undefined> = [];
  private readonly regions = new Map<string, Region>();
  private blockSize: number | undefined;
  private virtualSize: number | undefined;
  private hasParent = false;
  private readonly findings: Finding[] = [];

  start(ctx: CaptureContext): void {
    ctx.capture(0, 8, (b) => {
      if (!startsWith(b, 0, "vhdxfile")) return;
      this.matched = true;
      for (const at of [64 * KiB, 128 * KiB]) ctx.capture(at, 4 * KiB, (h) => this.onHeader(h));
      ctx.capture(192 * KiB, 64 * KiB, (t) => this.onRegionTable(t, ctx));
    });
  }

  private onHeader(h: Uint8Array): void {
    const valid = h.length === 4 * KiB && startsWith(h, 0, "head") && crc32c(h, 4) === u32le(h, 4);
    const logGuidZero = h.subarray(48, 64).every((x) => x === 0);
    this.headers.push(valid ? { sequence: u64le(h, 8), logGuidZero, version: u16le(h, 66) } : undefined);
  }

  private onRegionTable(t: Uint8Array, ctx: CaptureContext): void {
    if (t.length < 16 || !startsWith(t, 0, "regi"))
      return void this.findings.push(reject("header-invalid", "the VHDX region table has no regi signature"));
    const count = u32le(t, 8);
    if (count > 2047 || 16 + count * 32 > t.length)
      return void this.findings.push(
        reject("header-invalid", `the VHDX region table has ${count} entries (at most 2047)`),
      );
    if (crc32c(t, 4) !== u32le(t, 4))
      this.findings.push(reject("header-checksum", "the VHDX region table checksum does not match"));
    for (let i = 0; i < count; i++) {
      const at = 16 + i * 32;
      const id = guid(t, at);
      const region = { offset: u64le(t, at + 16), length: u32le(t, at + 24) };
      const required = (u32le(t, at + 28) & 1) !== 0;
      if (id === REGION_BAT || id === REGION_METADATA) this.regions.set(id, region);
      else if (required)
        this.findings.push(reject("vhdx-unknown-required-metadata", `the VHDX image requires an unknown region ${id}`));
    }
    const meta = this.regions.get(REGION_METADATA);
    if (!meta) return void this.findings.push(reject("header-invalid", "the VHDX image has no metadata region"));
    ctx.capture(meta.offset, 64 * KiB, (m) => this.onMetadataTable(m, meta.offset, ctx));
  }

  private onMetadataTable(m: Uint8Array, base: number, ctx: CaptureContext): void {
    if (m.length < 32 || !startsWith(m, 0, "metadata"))
      return void this.findings.push(reject("header-invalid", "the VHDX metadata table has no metadata signature"));
    const count = u16le(m, 10);
    if (count > 2047 || 32 + count * 32 > m.length)
      return void this.findings.push(
        reject("header-invalid", `the VHDX metadata table has ${count} entries (at most 2047)`),
      );
    for (let i = 0; i < count; i++) {
      const at = 32 + i * 32;
      const id = guid(m, at);
      const offset = u32le(m, at + 16);
      const required = (u32le(m, at + 24) & 4) !== 0;
      if (id === ITEM_VIRTUAL_DISK_SIZE) ctx.capture(base + offset, 8, (v) => (this.virtualSize = u64le(v, 0)));
      else if (id === ITEM_FILE_PARAMETERS)
        ctx.capture(base + offset, 8, (p) => {
          this.blockSize = u32le(p, 0);
          this.hasParent = (u32le(p, 4) & 2) !== 0;
        });
      else if (id === PARENT_LOCATOR) this.hasParent = true;
      else if (required && !KNOWN_ITEMS.has(id))
        this.findings.push(
          reject("vhdx-unknown-required-metadata", `the VHDX image requires an unknown metadata item ${id}`),
        );
    }
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    if (!this.matched) return undefined;
    const findings = [...this.findings];
    const current = this.headers.filter((h) => h !== undefined).sort((a, b) => b.sequence - a.sequence)[0];
    if (!current) findings.push(reject("header-checksum", "neither VHDX header is valid (signature or CRC-32C)"));
    else {
      if (current.version !== 1) findings.push(reject("header-invalid", `VHDX version ${current.version} is not 1`));
      if (!current.logGuidZero)
        findings.push(reject("vhdx-log-not-replayed", "the VHDX image has a log that was not replayed"));
    }
    if (this.hasParent)
      findings.push(reject("vhdx-parent", "the VHDX image is a differencing disk: it reads from a parent image file"));
    for (const [id, r] of this.regions)
      if (r.offset + r.length > end.size)
        findings.push(
          beyondEof(id === REGION_BAT ? "VHDX BAT region" : "VHDX metadata region", r.offset, r.length, end.size),
        );
    if (this.virtualSize === undefined)
      findings.push(reject("header-invalid", "the VHDX image has no virtual disk size"));
    else if (this.virtualSize > MAX_VIRTUAL_SIZE)
      findings.push(
        reject("virtual-size-too-large", `the VHDX virtual size ${this.virtualSize} exceeds the format's 64 TiB`),
      );
    return {
      format: "vhdx",
      virtualSize: this.virtualSize ?? 0,
      ...(this.blockSize !== undefined ? { clusterSize: this.blockSize } : {}),
      findings,
      layer: "container",
    };
  }
}
