/**
 * qcow2 (QEMU docs/interop/qcow2.txt), big-endian. Reads the header and its extensions (all in
 * the first cluster), then checks the L1 and refcount tables against the file size at the end.
 */

import { ascii, concatBytes, u32be, u64be } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { beyondEof, type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";
import type { Finding } from "../types.js";

const MAGIC = 0x514649fb; // "QFI\xfb"
const INCOMPAT_DIRTY = 1;
const INCOMPAT_CORRUPT = 2;
const INCOMPAT_DATA_FILE = 4;
const INCOMPAT_COMPRESSION = 8;
const INCOMPAT_EXTENDED_L2 = 16;
const INCOMPAT_KNOWN = 0x1f;
const EXT_BACKING_FORMAT = 0xe2792aca;
const EXT_DATA_FILE = 0x44415441;
const EXT_CRYPTO = 0x0537be77;
/** qemu's QCOW_MAX_L1_SIZE: 32 MiB of 8-byte entries. */
const MAX_L1_ENTRIES = (32 * 1024 * 1024) / 8;

interface Header {
  version: number;
  backingOffset: number;
  backingSize: number;
  clusterBits: number;
  size: number;
  cryptMethod: number;
  l1Size: number;
  l1Offset: number;
  refcountOffset: number;
  refcountClusters: number;
  snapshots: number;
  snapshotsOffset: number;
  incompatible: number; // low 32 bits; the high ones are folded into `unknownHigh`
  unknownHigh: boolean;
  headerLength: number;
  compressionType: number;
}

export class Qcow2Probe implements FormatProbe {
  private matched = false;
  private header: Header | undefined;
  private head: Uint8Array = new Uint8Array(0); // first cluster bytes read so far (header + extensions)
  private readonly findings: Finding[] = [];
  private backingName: string | undefined;
  private dataFileName: string | undefined;

  start(ctx: CaptureContext): void {
    ctx.capture(0, 512, (bytes) => this.onHeader(bytes, ctx));
  }

  private onHeader(b: Uint8Array, ctx: CaptureContext): void {
    if (b.length < 4 || u32be(b, 0) !== MAGIC) return;
    this.matched = true;
    const version = u32be(b, 4);
    const need = version >= 3 ? 104 : 72;
    if (b.length < need) {
      this.findings.push(reject("header-truncated", `the qcow2 header needs ${need} bytes, the file has ${b.length}`));
      return;
    }
    const incompatHigh = u32be(b, 72);
    const h: Header = {
      version,
      backingOffset: u64be(b, 8),
      backingSize: u32be(b, 16),
      clusterBits: u32be(b, 20),
      size: u64be(b, 24),
      cryptMethod: u32be(b, 32),
      l1Size: u32be(b, 36),
      l1Offset: u64be(b, 40),
      refcountOffset: u64be(b, 48),
      refcountClusters: u32be(b, 56),
      snapshots: u32be(b, 60),
      snapshotsOffset: u64be(b, 64),
      incompatible: version >= 3 ? u32be(b, 76) : 0,
      unknownHigh: version >= 3 && incompatHigh !== 0,
      headerLength: version >= 3 ? u32be(b, 100) : 72,
      compressionType: version >= 3 && u32be(b, 100) > 104 ? (b[104] ?? 0) : 0,
    };
    this.header = h;
    if (version !== 2 && version !== 3) {
      this.findings.push(reject("qcow2-unsupported-version", `qcow2 version ${version} is not 2 or 3`));
      return;
    }
    if (h.clusterBits < 9 || h.clusterBits > 21) {
      this.findings.push(reject("header-invalid", `qcow2 cluster_bits ${h.clusterBits} is outside 9..21`));
      return;
    }
    const clusterSize = 2 ** h.clusterBits;
    if (h.headerLength < (version >= 3 ? 104 : 72) || h.headerLength > clusterSize || h.headerLength % 8 !== 0) {
      this.findings.push(reject("header-invalid", `qcow2 header_length ${h.headerLength} is not valid`));
      return;
    }
    this.head = b;
    this.walkExtensions(ctx);
  }

  /** Walks the header extensions, reading further into the first cluster when they run past what we have. */
  private walkExtensions(ctx: CaptureContext): void {
    const h = this.header;
    if (!h) return;
    const clusterSize = 2 ** h.clusterBits;
    const b = this.head;
    let at = h.headerLength;
    for (;;) {
      if (at + 8 > b.length) {
        this.readMore(ctx, at + 8);
        return;
      }
      const type = u32be(b, at);
      const length = u32be(b, at + 4);
      if (type === 0) break;
      const end = at + 8 + Math.ceil(length / 8) * 8;
      if (end > clusterSize) {
        this.findings.push(
          reject("header-invalid", `qcow2 header extension 0x${type.toString(16)} runs past the first cluster`),
        );
        break;
      }
      if (end > b.length) {
        this.readMore(ctx, end);
        return;
      }
      const data = b.subarray(at + 8, at + 8 + length);
      if (type === EXT_DATA_FILE) this.dataFileName = ascii(data, 0, data.length);
      if (type === EXT_CRYPTO)
        this.findings.push(reject("qcow2-encrypted", "the qcow2 image carries a full disk encryption header"));
      if (type === EXT_BACKING_FORMAT) {
        /* the backing file finding below covers it */
      }
      at = end;
    }
    if (h.backingOffset !== 0) {
      const to = h.backingOffset + Math.min(h.backingSize, 1023);
      if (to <= b.length) this.backingName = ascii(b, h.backingOffset, Math.min(h.backingSize, 1023));
      else if (to <= clusterSize) {
        this.readMore(ctx, to);
        return;
      }
    }
    this.head = new Uint8Array(0); // parsed: keep nothing
  }

  private readMore(ctx: CaptureContext, needEnd: number): void {
    const h = this.header;
    if (!h) return;
    const have = this.head.length;
    const clusterSize = 2 ** h.clusterBits;
    const until = Math.min(clusterSize, Math.max(needEnd, have * 4));
    if (needEnd > clusterSize || until <= have) {
      this.findings.push(reject("header-invalid", "qcow2 header extensions run past the first cluster"));
      return;
    }
    ctx.capture(have, until - have, (more) => {
      this.head = concatBytes(this.head, more);
      if (more.length < until - have && needEnd > this.head.length) {
        this.findings.push(reject("header-truncated", `the qcow2 header extensions end past the end of the file`));
        return;
      }
      this.walkExtensions(ctx);
    });
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    if (!this.matched) return undefined;
    const h = this.header;
    const findings = [...this.findings];
    if (!h || findings.some((f) => f.code === "header-truncated" || f.code === "qcow2-unsupported-version"))
      return { format: "qcow2", virtualSize: h?.size ?? 0, findings, layer: "container" };
    const clusterSize = 2 ** h.clusterBits;
    findings.push(...this.safetyFindings(h), ...this.layoutFindings(h, clusterSize, end.size));
    const compressed = (h.incompatible & INCOMPAT_COMPRESSION) !== 0;
    const compression =
      h.compressionType === 0 ? "zlib" : h.compressionType === 1 ? "zstd" : `unknown(${h.compressionType})`;
    if (h.compressionType > 1 || (!compressed && h.compressionType !== 0))
      findings.push(
        reject(
          "qcow2-unknown-compression",
          `qcow2 compression type ${h.compressionType} is not zlib (0) or zstd (1) or is not flagged`,
        ),
      );
    return {
      format: "qcow2",
      virtualSize: h.size,
      clusterSize,
      compression,
      subformat: `v${h.version}`,
      findings,
      layer: "container",
    };
  }

  private safetyFindings(h: Header): Finding[] {
    const out: Finding[] = [];
    if (h.backingOffset !== 0) {
      const name =
        this.backingName === undefined ? "" : ` ${JSON.stringify(this.backingName.replace(/[^\x20-\x7e]/g, "?"))}`;
      out.push(
        reject("qcow2-backing-file", `the qcow2 image names a backing file${name}; images must be self-contained`),
      );
    }
    if ((h.incompatible & INCOMPAT_DATA_FILE) !== 0 || this.dataFileName !== undefined) {
      const name =
        this.dataFileName === undefined ? "" : ` ${JSON.stringify(this.dataFileName.replace(/[^\x20-\x7e]/g, "?"))}`;
      out.push(reject("qcow2-data-file", `the qcow2 image keeps its data in an external data file${name}`));
    }
    const unknown = h.incompatible & ~INCOMPAT_KNOWN;
    if (unknown !== 0 || h.unknownHigh)
      out.push(
        reject(
          "qcow2-unknown-incompatible-features",
          `the qcow2 image sets unknown incompatible feature bits (0x${unknown.toString(16)}${h.unknownHigh ? " and bits above 31" : ""})`,
        ),
      );
    if ((h.incompatible & INCOMPAT_DIRTY) !== 0)
      out.push(reject("qcow2-dirty", "the qcow2 image is marked dirty (refcounts may be inconsistent)"));
    if ((h.incompatible & INCOMPAT_CORRUPT) !== 0)
      out.push(reject("qcow2-corrupt", "the qcow2 image is marked corrupt"));
    if (h.cryptMethod !== 0)
      out.push(reject("qcow2-encrypted", `the qcow2 image is encrypted (crypt_method ${h.cryptMethod})`));
    return out;
  }

  private layoutFindings(h: Header, clusterSize: number, size: number): Finding[] {
    const out: Finding[] = [];
    const l2Entries = clusterSize / ((h.incompatible & INCOMPAT_EXTENDED_L2) !== 0 ? 16 : 8);
    const l1Needed = Math.ceil(h.size / (clusterSize * l2Entries));
    if (h.l1Size < l1Needed || h.l1Size > MAX_L1_ENTRIES)
      out.push(
        reject(
          "qcow2-l1-too-small",
          `the qcow2 L1 table has ${h.l1Size} entries, a virtual size of ${h.size} bytes needs ${l1Needed} (at most ${MAX_L1_ENTRIES})`,
        ),
      );
    const tables: Array<[string, number, number]> = [
      ["L1 table", h.l1Offset, h.l1Size * 8],
      ["refcount table", h.refcountOffset, h.refcountClusters * clusterSize],
    ];
    if (h.snapshots > 0) tables.push(["snapshot table", h.snapshotsOffset, 1]);
    for (const [what, offset, length] of tables) {
      if (length === 0) continue;
      if (offset % clusterSize !== 0)
        out.push(reject("header-invalid", `the qcow2 ${what} offset ${offset} is not cluster aligned`));
      else if (offset + length > size) out.push(beyondEof(`qcow2 ${what}`, offset, length, size));
    }
    if (h.refcountClusters === 0) out.push(reject("header-invalid", "the qcow2 refcount table is empty"));
    return out;
  }
}
