/**
 * ISO 9660 / UDF: the volume descriptors start at 32 KiB (after 16 system-area sectors). An ISO
 * is raw data to qemu, so it is a "content" match: alone it is the format, with a container it
 * is a polyglot (unless the container's data starts at byte 0, as a fixed VHD's does).
 */

import { startsWith, u16le, u32le } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { type FormatProbe, type ProbeMatch, reject, type StreamEnd } from "../probe.js";

const DESCRIPTORS_AT = 32 * 1024;

export class IsoProbe implements FormatProbe {
  private kind: "iso9660" | "udf" | undefined;
  private volumeSize = 0;

  start(ctx: CaptureContext): void {
    ctx.capture(DESCRIPTORS_AT, 2048, (d) => {
      if (startsWith(d, 1, "CD001")) {
        this.kind = "iso9660";
        // Primary volume descriptor (type 1): block count at 80, block size at 128 (both-endian).
        if (d[0] === 1) this.volumeSize = u32le(d, 80) * u16le(d, 128);
      } else if (startsWith(d, 1, "BEA01")) {
        ctx.capture(DESCRIPTORS_AT + 2048, 2048, (n) => {
          if (startsWith(n, 1, "NSR02") || startsWith(n, 1, "NSR03")) this.kind = "udf";
        });
      }
    });
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    if (!this.kind) return undefined;
    const findings =
      this.volumeSize > end.size
        ? [reject("header-truncated", `the ISO volume declares ${this.volumeSize} bytes, the file has ${end.size}`)]
        : [];
    return { format: "iso", virtualSize: end.size, subformat: this.kind, findings, layer: "content" };
  }
}
