/**
 * Coalesces per-cluster descriptions into runs: host-contiguous data becomes one positional read
 * (up to 8 MiB), adjacent zeros one hole. Every format's reader feeds it in guest order.
 */
import type { RawSink } from "./sink.js";
import type { OpenedSource } from "./source.js";

/** One piece of the virtual disk, starting at guest offset `guest`. */
export type DiskRun =
  | { readonly kind: "zero"; readonly guest: number; readonly length: number }
  | { readonly kind: "host"; readonly guest: number; readonly host: number; readonly length: number }
  | { readonly kind: "bytes"; readonly guest: number; readonly data: Uint8Array };

/** An opened image: its virtual size, and a copy of its content to a raw sink in guest order. */
export interface DiskReader {
  readonly virtualSize: number;
  /** Feeds the whole virtual disk to `sink` (writes and zeros, ascending); does not finish it. */
  copyTo(sink: RawSink): Promise<void>;
}

const MAX_READ = 8 * 2 ** 20;

export class RunWriter {
  private pending: { kind: "zero" | "host"; guest: number; host: number; length: number } | undefined;

  constructor(
    private readonly source: OpenedSource,
    private readonly sink: RawSink,
  ) {}

  /** Adds the next run (guest offsets must ascend without gaps). */
  async add(run: DiskRun): Promise<void> {
    const p = this.pending;
    if (run.kind === "bytes") {
      await this.flush();
      await this.sink.write(run.guest, run.data);
      return;
    }
    const host = run.kind === "host" ? run.host : 0;
    if (
      p &&
      p.kind === run.kind &&
      p.guest + p.length === run.guest &&
      (run.kind === "zero" || (p.host + p.length === host && p.length + run.length <= MAX_READ))
    ) {
      p.length += run.length;
      return;
    }
    await this.flush();
    this.pending = { kind: run.kind, guest: run.guest, host, length: run.length };
  }

  /** Writes out what is pending. */
  async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.kind === "zero") return this.sink.zeros(p.guest, p.length);
    const data = Buffer.allocUnsafe(p.length);
    // A last cluster may be cut short by the end of the file (qemu reads zeros there), but it
    // must start inside the file: callers checked that.
    const got = await this.source.readInto(data, p.host);
    if (got < p.length) data.fill(0, got);
    await this.sink.write(p.guest, data);
  }
}
