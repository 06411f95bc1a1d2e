/**
 * MBR and GPT partition tables at the start of raw disk data: reported (as info) on raw images,
 * and a polyglot when a container format also claims the file.
 */

import { startsWith, u32le } from "../bytes.js";
import type { CaptureContext } from "../capture.js";
import { type FormatProbe, info, type ProbeMatch, type StreamEnd } from "../probe.js";

export class PartitionTableProbe implements FormatProbe {
  private mbrPartitions = 0;
  private protectiveMbr = false;
  private gpt = false;

  start(ctx: CaptureContext): void {
    ctx.capture(0, 512, (b) => {
      if (b.length < 512 || b[510] !== 0x55 || b[511] !== 0xaa) return;
      // A FAT boot sector has the same signature: two FATs and a fixed-disk media byte give it away.
      if (b[0x10] === 2 && b[0x15] === 0xf8) return;
      for (let i = 0; i < 4; i++) {
        const at = 446 + i * 16;
        const boot = b[at] ?? 0;
        if (boot !== 0 && boot !== 0x80) return;
        const type = b[at + 4] ?? 0;
        if (type !== 0) this.mbrPartitions++;
        if (type === 0xee && u32le(b, at + 8) === 1) this.protectiveMbr = true;
      }
      if (this.protectiveMbr) ctx.capture(512, 8, (g) => (this.gpt = startsWith(g, 0, "EFI PART")));
    });
  }

  conclude(end: StreamEnd): ProbeMatch | undefined {
    if (this.mbrPartitions === 0) return undefined;
    const what = this.gpt ? "a GPT partition table" : `an MBR partition table with ${this.mbrPartitions} partition(s)`;
    return {
      format: "raw",
      virtualSize: end.size,
      subformat: this.gpt ? "gpt" : "mbr",
      findings: [info("partition-table", `the disk data starts with ${what}`)],
      layer: "content",
    };
  }
}
