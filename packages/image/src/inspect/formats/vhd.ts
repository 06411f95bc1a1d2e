/**
 * VHD (Microsoft Virtual Hard Disk Image Format Specification), big-endian: a 512-byte footer
 * with cookie "conectix" at the end of the file (and a copy at byte 0 in dynamic disks), a
 * dynamic disk header ("cxsparse") and a block allocation table.
 */

import { allOnes64, startsWith, u32be, u64be } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { beyondEof, type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";
import type { Finding } from "../types.js";

const TYPE_FIXED = 2;
const TYPE_DYNAMIC = 3;
const TYPE_DIFFERENCING = 4;
/** qemu's VHD_MAX_GEOMETRY: past it, qemu trusts current_size over the CHS geometry. */
const MAX_GEOMETRY_SECTORS = 65535 * 16 * 255;
/** Creator applications whose images qemu sizes by current_size rather than CHS geometry. */
const SIZE_BY_CURRENT_SIZE = ["win ", "qem2", "d2v ", "CTXS", "tap\0"];
/** The VHD format's own limit: 2040 GiB. */
const MAX_VIRTUAL_SIZE = 2040 * 2 ** 30;

interface Footer {
  diskType: number;
  dataOffset: number;
  fixed: boolean;
  virtualSize: number;
  checksumOk: boolean;
}

function parseFooter(b: Uint8Array): Footer {
  let sum = 0;
  for (let i = 0; i < 512; i++) if (i < 64 || i >= 68) sum += b[i] ?? 0;
  const checksumOk = ~sum >>> 0 === u32be(b, 64);
  const creator = String.fromCharCode(...b.subarray(28, 32));
  const chs = ((b[56] ?? 0) * 256 + (b[57] ?? 0)) * (b[58] ?? 0) * (b[59] ?? 0);
  const currentSize = u64be(b, 48);
  const byCurrent = SIZE_BY_CURRENT_SIZE.includes(creator) || chs === MAX_GEOMETRY_SECTORS;
  return {
    diskType: u32be(b, 60),
    dataOffset: u64be(b, 16),
    fixed: allOnes64(b, 16),
    virtualSize: byCurrent ? currentSize : chs * 512,
    checksumOk,
  };
}

export class VhdProbe implements FormatProbe {
  private headCopy: Footer | undefined;
  private dynamic: { tableOffset: number; maxEntries: number; blockSize: number } | undefined;
  private readonly findings: Finding[] = [];

  start(ctx: CaptureContext): void {
    ctx.needTail(512);
    ctx.capture(0, 512, (b) => {
      if (b.length < 512 || !startsWith(b, 0, "conectix")) return;
      const f = parseFooter(b);
      this.headCopy = f;
      if (f.diskType !== TYPE_DYNAMIC && f.diskType !== TYPE_DIFFERENCING) return;
      if (f.dataOffset < 512 || f.dataOffset > 2 ** 40) {
        this.findings.push(reject("header-invalid", `the VHD dynamic header offset ${f.dataOffset} is invalid`));
        return;
      }
      ctx.capture(f.dataOffset, 1024, (d) => this.onDynamicHeader(d));
    });
  }

  private onDynamicHeader(d: Uint8Array): void {
    if (d.length < 1024)
      return void this.findings.push(
        reject("header-truncated", "the VHD dynamic header ends past the end of the file"),
      );
    if (!startsWith(d, 0, "cxsparse"))
      return void this.findings.push(reject("header-invalid", "the VHD dynamic header has no cxsparse cookie"));
    let sum = 0;
    for (let i = 0; i < 1024; i++) if (i < 36 || i >= 40) sum += d[i] ?? 0;
    if (~sum >>> 0 !== u32be(d, 36))
      this.findings.push(reject("header-checksum", "the VHD dynamic header checksum does not match"));
    this.dynamic = { tableOffset: u64be(d, 16), maxEntries: u32be(d, 28), blockSize: u32be(d, 32) };
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    const tail = end.tail.length >= 512 && end.size >= 512 ? end.tail.subarray(end.tail.length - 512) : undefined;
    const footer = tail && startsWith(tail, 0, "conectix") ? parseFooter(tail) : undefined;
    const copy = this.headCopy;
    if (!footer && !copy) return undefined;
    const f = footer ?? copy;
    if (!f) return undefined;
    const findings = [...this.findings];
    if (!footer)
      findings.push(reject("header-truncated", "the VHD image has a header copy at byte 0 but no footer at its end"));
    if (!f.checksumOk) findings.push(reject("header-checksum", "the VHD footer checksum does not match"));
    if (f.diskType === TYPE_DIFFERENCING)
      findings.push(
        reject("vhd-differencing", "the VHD image is a differencing disk: it reads from a parent image file"),
      );
    else if (f.diskType !== TYPE_FIXED && f.diskType !== TYPE_DYNAMIC)
      findings.push(reject("header-invalid", `the VHD disk type ${f.diskType} is not fixed (2) or dynamic (3)`));
    if (f.virtualSize > MAX_VIRTUAL_SIZE)
      findings.push(
        reject("virtual-size-too-large", `the VHD virtual size ${f.virtualSize} exceeds the format's 2040 GiB`),
      );
    const fixed = f.diskType === TYPE_FIXED;
    if (fixed && end.size - 512 < f.virtualSize)
      findings.push(
        reject(
          "header-truncated",
          `the fixed VHD declares ${f.virtualSize} bytes of data, the file holds ${end.size - 512}`,
        ),
      );
    const dyn = this.dynamic;
    if (dyn) {
      if (dyn.blockSize === 0 || (dyn.blockSize & (dyn.blockSize - 1)) !== 0 || dyn.blockSize < 512)
        findings.push(reject("header-invalid", `the VHD block size ${dyn.blockSize} is not a power of two`));
      else if (dyn.maxEntries * dyn.blockSize < f.virtualSize)
        findings.push(
          reject(
            "header-invalid",
            `the VHD block table (${dyn.maxEntries} blocks) is too small for ${f.virtualSize} bytes`,
          ),
        );
      if (dyn.tableOffset + dyn.maxEntries * 4 > end.size)
        findings.push(beyondEof("VHD block allocation table", dyn.tableOffset, dyn.maxEntries * 4, end.size));
    }
    return {
      format: "vhd",
      virtualSize: f.virtualSize,
      ...(dyn ? { clusterSize: dyn.blockSize } : {}),
      subformat: fixed ? "fixed" : f.diskType === TYPE_DYNAMIC ? "dynamic" : "differencing",
      findings,
      layer: "container",
      dataAtStart: fixed,
    };
  }
}
