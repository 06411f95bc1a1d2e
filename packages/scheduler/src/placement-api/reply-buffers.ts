/**
 * Buffers for big reply bodies, reused once a reply has been handed to the socket: an answer of
 * several MB in fresh memory costs page faults every time (about 2 to 3 ms at 4.3 MB). Only
 * memory is reused, never content: every body is written afresh into what it takes.
 */
import type { ServerResponse } from "node:http";
import type { BodyBuffers } from "../placement/candidates-body.js";

/** Bodies smaller than this come from fresh memory and are left to the garbage collector. */
const MIN_POOLED = 256 * 1024;

export class ReplyBuffers implements BodyBuffers {
  private readonly free: Buffer[] = [];

  /** @param keep most buffers kept between replies (each as big as the biggest body seen lately). */
  constructor(private readonly keep = 2) {}

  /** A pooled buffer of at least `size` bytes when one is free, else fresh memory; never Node's shared pool. */
  take(size: number): Buffer {
    if (size >= MIN_POOLED) {
      for (let i = 0; i < this.free.length; i++) {
        const b = this.free[i]!;
        if (b.length >= size) {
          this.free.splice(i, 1);
          return b;
        }
      }
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /**
   * Takes back the memory behind `body` (a view of a buffer from `take`) once `res` has handed
   * all of it to the operating system. A reply that closes without finishing keeps it: the
   * socket may still hold the memory, so the garbage collector frees it.
   */
  reuseAfter(res: ServerResponse, body: Buffer): void {
    const whole = Buffer.from(body.buffer, 0, body.buffer.byteLength);
    if (whole.length < MIN_POOLED) return;
    res.once("finish", () => {
      if (this.free.length < this.keep) this.free.push(whole);
    });
  }
}
