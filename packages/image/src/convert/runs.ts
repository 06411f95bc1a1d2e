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

/** Runs in flight at once (read, then written). */
const IN_FLIGHT = 4;

export class RunWriter {
  private pending: { kind: "zero" | "host"; guest: number; host: number; length: number } | undefined;
  /** For a stream sink: every write or hole, in guest order. */
  private chain: Promise<void> = Promise.resolve();
  private readonly inFlight: Promise<void>[] = [];
  /** Read buffers a positional sink is done with. */
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly source: OpenedSource,
    private readonly sink: RawSink,
  ) {}

  /**
   * Adds the next run (guest offsets must ascend without gaps). Returns a promise only when the
   * caller must wait (a run went out); merging into the pending run is synchronous.
   */
  add(run: DiskRun): Promise<void> | undefined {
    const p = this.pending;
    if (
      p &&
      run.kind !== "bytes" &&
      p.kind === run.kind &&
      p.guest + p.length === run.guest &&
      (run.kind === "zero" || (p.host + p.length === run.host && p.length + run.length <= MAX_READ))
    ) {
      p.length += run.length;
      return undefined;
    }
    return this.addSlow(run);
  }

  private async addSlow(run: DiskRun): Promise<void> {
    if (run.kind === "host" && run.length > MAX_READ) {
      for (let at = 0; at < run.length; at += MAX_READ) {
        const length = Math.min(MAX_READ, run.length - at);
        await this.addSlow({ kind: "host", guest: run.guest + at, host: run.host + at, length });
      }
      return;
    }
    const p = this.pending;
    if (run.kind === "bytes") {
      await this.flush();
      await this.enqueue(run.guest, async () => run.data);
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

  /** Waits until everything added reached the sink; throws the first read or write failure. */
  async end(): Promise<void> {
    await this.flush();
    await Promise.all(this.inFlight);
    await this.chain;
  }

  private async flush(): Promise<void> {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    if (p.kind === "zero") {
      this.chain = this.chain.then(() => this.sink.zeros(p.guest, p.length));
      this.chain.catch(() => {});
      return;
    }
    const reusable = this.sink.positional;
    const buffer = (reusable && this.spare.pop()) || Buffer.allocUnsafe(reusable ? MAX_READ : p.length);
    const data = buffer.subarray(0, p.length);
    // A last cluster may be cut short by the end of the file (qemu reads zeros there); callers
    // checked that every cluster starts inside the file.
    await this.enqueue(
      p.guest,
      async () => {
        const got = await this.source.readInto(data, p.host);
        return got < p.length ? data.fill(0, got) : data;
      },
      reusable ? buffer : undefined,
    );
  }

  private async enqueue(guest: number, read: () => Promise<Uint8Array>, recycle?: Buffer): Promise<void> {
    let done: Promise<void>;
    if (this.sink.positional) {
      done = read()
        .then((d) => this.sink.write(guest, d))
        .then(() => {
          if (recycle) this.spare.push(recycle);
        });
    } else {
      const data = read();
      data.catch(() => {});
      done = this.chain.then(() => data).then((d) => this.sink.write(guest, d));
      this.chain = done;
    }
    done.catch(() => {});
    this.inFlight.push(done);
    if (this.inFlight.length >= IN_FLIGHT) await this.inFlight.shift();
  }
}
