/**
 * One pass over an upload with the hashing off the event loop: chunks are copied into a small
 * ring of blocks in shared memory; each full block is handed to the md5 and sha512 workers and
 * to the writer (in order, one write at a time), and is reused only once all three are done with
 * it. The ring is the back-pressure: `push` waits while every block is still in use, so memory
 * stays at `blocks * blockSize` whatever the upload's size.
 */
import { type HashPool, type RunningDigest, sharedHashPool } from "./hash-pool.js";

export interface BlockPipelineOptions {
  /** Bytes per block (default 1 MiB). */
  readonly blockSize?: number;
  /** Blocks in the ring (default 8). */
  readonly blocks?: number;
  /** The workers (default: the process's shared pool). */
  readonly pool?: HashPool;
}

export interface PipelineDigests {
  /** md5 hex digest. */
  readonly md5: string;
  /** sha512 hex digest. */
  readonly sha512: string;
}

const ALGORITHMS = ["md5", "sha512"] as const;

export class BlockPipeline {
  readonly #write: (block: Uint8Array) => Promise<void>;
  readonly #blockSize: number;
  readonly #blocks: number;
  readonly #memory: SharedArrayBuffer;
  readonly #digests: RunningDigest[];
  readonly #results: Array<string | undefined> = [];
  /** Blocks each consumer is done with: md5, sha512, the writer. */
  readonly #done = [0, 0, 0];
  #sent = 0;
  #fill = 0;
  #writing: Promise<void> = Promise.resolve();
  #failure: unknown;
  #wake: (() => void) | undefined;

  /** `write` receives each block in order, never two at a time; the block is reused after it resolves. */
  constructor(write: (block: Uint8Array) => Promise<void>, options: BlockPipelineOptions = {}) {
    this.#write = write;
    this.#blockSize = options.blockSize ?? 2 ** 20;
    this.#blocks = options.blocks ?? 8;
    this.#memory = new SharedArrayBuffer(this.#blockSize * this.#blocks);
    const pool = options.pool ?? sharedHashPool();
    this.#digests = ALGORITHMS.map((algorithm, i) =>
      pool.begin(algorithm, this.#memory, {
        updated: () => this.#progress(i),
        digested: (hex) => {
          this.#results[i] = hex;
          this.#progress(i, 0);
        },
        failed: (error) => this.#fail(error),
      }),
    );
  }

  /** Takes a chunk; resolves once it is copied (waiting while the ring is full). Throws what a consumer threw. */
  async push(chunk: Uint8Array): Promise<void> {
    let at = 0;
    while (at < chunk.byteLength) {
      if (this.#fill === 0) await this.#until(() => this.#oldestDone() >= this.#sent - this.#blocks + 1);
      const block = this.#block(this.#sent, this.#blockSize);
      const n = Math.min(chunk.byteLength - at, this.#blockSize - this.#fill);
      block.set(chunk.subarray(at, at + n), this.#fill);
      at += n;
      this.#fill += n;
      if (this.#fill === this.#blockSize) this.#dispatch();
    }
  }

  /** Sends the last partial block and waits for every write and both digests. */
  async finish(): Promise<PipelineDigests> {
    if (this.#fill > 0) this.#dispatch();
    await this.#until(() => this.#oldestDone() >= this.#sent);
    for (const digest of this.#digests) digest.digest();
    await this.#until(() => this.#results[0] !== undefined && this.#results[1] !== undefined);
    return { md5: this.#results[0] as string, sha512: this.#results[1] as string };
  }

  /** Stops the digests and waits for a write in progress. Never throws. */
  async abort(): Promise<void> {
    this.#failure ??= new Error("upload aborted");
    for (const digest of this.#digests) digest.drop();
    await this.#writing.catch(() => undefined);
  }

  #block(index: number, length: number): Uint8Array {
    return new Uint8Array(this.#memory, (index % this.#blocks) * this.#blockSize, length);
  }

  #dispatch(): void {
    const index = this.#sent++;
    const length = this.#fill;
    this.#fill = 0;
    const offset = (index % this.#blocks) * this.#blockSize;
    for (const digest of this.#digests) digest.update(offset, length);
    this.#writing = this.#writing.then(async () => {
      if (this.#failure !== undefined) return;
      try {
        await this.#write(this.#block(index, length));
        this.#progress(2);
      } catch (error) {
        this.#fail(error);
      }
    });
  }

  #oldestDone(): number {
    return Math.min(...this.#done);
  }

  #progress(consumer: number, blocks = 1): void {
    this.#done[consumer] = (this.#done[consumer] ?? 0) + blocks;
    this.#wake?.();
  }

  #fail(error: unknown): void {
    this.#failure ??= error;
    this.#wake?.();
  }

  async #until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.#failure !== undefined) throw this.#failure;
      if (ready()) return;
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
