/**
 * A native handle (rados_t, rados_ioctx_t, rbd_image_t) that must never be used after it is
 * released: calls borrow it through `use`, and `release` waits for the borrowed calls to end
 * before freeing it, so a close racing a read cannot free memory under a worker thread.
 */
import { RadosError } from "./errors.js";

const EBADF = 9;

export class NativeHandle {
  #pointer: bigint;
  #inFlight = 0;
  #closing: Promise<void> | null = null;
  #drained: (() => void) | null = null;

  constructor(
    pointer: bigint,
    private readonly what: string,
  ) {
    this.#pointer = pointer;
  }

  /** Whether `release` has been called. */
  get released(): boolean {
    return this.#closing !== null;
  }

  /** Runs `fn` with the pointer; throws EBADF once released. */
  async use<T>(op: string, fn: (pointer: bigint) => Promise<T> | T): Promise<T> {
    if (this.#closing) throw new RadosError(op, EBADF, `${this.what} is closed`);
    this.#inFlight++;
    try {
      return await fn(this.#pointer);
    } finally {
      if (--this.#inFlight === 0) this.#drained?.();
    }
  }

  /** Like `use` for calls that do not wait (local, non-blocking C functions). */
  useSync<T>(op: string, fn: (pointer: bigint) => T): T {
    if (this.#closing) throw new RadosError(op, EBADF, `${this.what} is closed`);
    return fn(this.#pointer);
  }

  /** Waits for calls in flight, then frees the handle with `free`, once. Idempotent. */
  release(free: (pointer: bigint) => Promise<void> | void): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
      await free(this.#pointer);
      this.#pointer = 0n;
    })();
    return this.#closing;
  }
}
