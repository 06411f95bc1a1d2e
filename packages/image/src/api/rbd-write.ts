/**
 * One upload into a temporary RBD image: chunks gather into segments of the image's object size,
 * each written at the running offset with at most `depth` writes in flight; the image grows as
 * the bytes arrive (doubling the step, like glance_store's resize-on-write) and is trimmed to the
 * byte count at commit.
 */
import { payloadTooLarge } from "@stratus/core/errors";
import type { Image } from "@stratus/rados";
import type { StagedWrite } from "./store.js";

/** Glance's cap on one growth step of an image being written (8 GiB). */
const MAX_GROWTH = 8 * 2 ** 30;

export interface RbdWriteOptions {
  /** The temporary image, open, empty. */
  readonly image: Image;
  /** Bytes per rbd_write (the object size: whole objects written at once). */
  readonly segment: number;
  /** Writes in flight at most. */
  readonly depth: number;
  readonly maxSize: number;
  /** Makes the trimmed, flushed and closed image the image's data; called once, by commit. */
  readonly publish: () => Promise<void>;
  /** Removes the temporary image (the image is closed first). */
  readonly discard: () => Promise<void>;
  /** Turns a librbd error into the service's error (ENOSPC into payload_too_large, ...). */
  readonly translate: (error: unknown) => unknown;
}

export class RbdStagedWrite implements StagedWrite {
  readonly #o: RbdWriteOptions;
  #buffer: Buffer;
  #filled = 0;
  #offset = 0; // bytes handed to rbd_write so far
  #size = 0; // bytes received
  #capacity = 0; // the image's size
  #growth: number;
  readonly #inFlight = new Set<Promise<void>>();
  #failure: { error: unknown } | null = null;
  #state: "open" | "committing" | "done" = "open";

  constructor(options: RbdWriteOptions) {
    this.#o = options;
    this.#buffer = Buffer.allocUnsafe(options.segment);
    this.#growth = options.segment;
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.#state !== "open") throw new Error("write after commit or abort");
    this.#rethrow();
    this.#size += chunk.byteLength;
    if (this.#size > this.#o.maxSize)
      throw payloadTooLarge("The incoming image is too large: The provided image is too large.");
    for (let at = 0; at < chunk.byteLength; ) {
      const n = Math.min(chunk.byteLength - at, this.#buffer.length - this.#filled);
      this.#buffer.set(chunk.subarray(at, at + n), this.#filled);
      this.#filled += n;
      at += n;
      if (this.#filled === this.#buffer.length)
        await this.#writeSegment().catch((e: unknown) => {
          throw this.#o.translate(e);
        });
    }
  }

  async commit(): Promise<number> {
    if (this.#state !== "open") throw new Error("commit after commit or abort");
    this.#state = "committing";
    try {
      await this.#writeSegment();
      await Promise.all(this.#inFlight);
      this.#rethrow();
      if (this.#capacity !== this.#size) await this.#o.image.resize(this.#size);
      await this.#o.image.flush();
      await this.#o.image.close();
      await this.#o.publish();
      this.#state = "done";
      return this.#size;
    } catch (error) {
      this.#state = "open"; // let abort clean up
      await this.abort();
      throw this.#o.translate(error);
    }
  }

  async abort(): Promise<void> {
    if (this.#state === "done") return;
    this.#state = "done";
    await Promise.allSettled(this.#inFlight);
    await this.#o.image.close().catch(() => undefined);
    await this.#o.discard().catch(() => undefined);
  }

  #rethrow(): void {
    if (this.#failure) throw this.#o.translate(this.#failure.error);
  }

  async #writeSegment(): Promise<void> {
    if (this.#filled === 0) return;
    const data = this.#buffer.subarray(0, this.#filled);
    const offset = this.#offset;
    this.#offset += this.#filled;
    this.#buffer = Buffer.allocUnsafe(this.#o.segment);
    this.#filled = 0;
    await this.#grow(this.#offset);
    while (this.#inFlight.size >= this.#o.depth) await Promise.race(this.#inFlight);
    this.#rethrow();
    const write: Promise<void> = this.#o.image.write(offset, data).then(
      () => {
        this.#inFlight.delete(write);
      },
      (error: unknown) => {
        this.#failure ??= { error };
        this.#inFlight.delete(write);
      },
    );
    this.#inFlight.add(write);
  }

  /** Grows the image to hold `end` bytes, by a step that doubles up to 8 GiB. */
  async #grow(end: number): Promise<void> {
    if (end <= this.#capacity) return;
    const size = Math.max(end, Math.min(this.#capacity + this.#growth, this.#o.maxSize));
    await this.#o.image.resize(size);
    this.#capacity = size;
    this.#growth = Math.min(this.#growth * 2, MAX_GROWTH);
  }
}
