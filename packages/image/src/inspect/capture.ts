/**
 * The capture engine under the inspector: format probes ask for byte ranges of the stream
 * (`capture`) and for its last bytes (`needTail`); the engine copies exactly those bytes out of
 * the chunks as they pass and hands each range to its callback once complete. Nothing else is
 * kept, so memory stays bounded by what the probes asked for, whatever the image's size.
 */

/** What a format probe may ask of the stream. */
export interface CaptureContext {
  /**
   * Asks for bytes `[offset, offset + length)`. `then` runs once, with the bytes, as soon as they
   * passed; at the end of the stream it runs with fewer bytes (the file is shorter). A range that
   * already went by when asked for is reported as `metadata-not-streamable` by the inspector.
   */
  capture(offset: number, length: number, then: (bytes: Uint8Array) => void): void;
  /** Asks the engine to keep the last `length` bytes of the stream (at most TAIL_CAPACITY). */
  needTail(length: number): void;
}

/** Largest tail a probe may ask for: a VMDK stream footer (marker, footer, end-of-stream). */
export const TAIL_CAPACITY = 1536;
/** Largest single range a probe may capture; probes cap their own requests below this. */
export const MAX_CAPTURE = 2 * 1024 * 1024;

interface PendingRange {
  readonly offset: number;
  readonly length: number;
  readonly callbacks: Array<(bytes: Uint8Array) => void>;
  buffer: Uint8Array | undefined;
  filled: number;
}

export class StreamCapture implements CaptureContext {
  private position = 0;
  private pending: PendingRange[] = [];
  private readonly tail = new Uint8Array(TAIL_CAPACITY);
  private tailEnd = 0; // ring write index
  private tailLength = 0;
  private tailNeeded = 0;
  private readonly seen: Array<[number, number]> = [];
  /** Ranges asked for after they had gone by (or larger than MAX_CAPTURE). */
  readonly missed: Array<[number, number]> = [];

  capture(offset: number, length: number, then: (bytes: Uint8Array) => void): void {
    if (length <= 0) {
      then(new Uint8Array(0));
      return;
    }
    if (length > MAX_CAPTURE) {
      this.missed.push([offset, length]);
      then(new Uint8Array(0));
      return;
    }
    const same = this.pending.find((r) => r.offset === offset && r.length === length);
    if (same) same.callbacks.push(then);
    else this.pending.push({ offset, length, callbacks: [then], buffer: undefined, filled: 0 });
  }

  needTail(length: number): void {
    this.tailNeeded = Math.max(this.tailNeeded, Math.min(length, TAIL_CAPACITY));
  }

  /** Bytes that went through so far. */
  get bytesSeen(): number {
    return this.position;
  }

  /** Bytes held right now: partly filled ranges and the tail ring. */
  get retainedBytes(): number {
    let n = this.tail.length;
    for (const r of this.pending) n += r.buffer?.length ?? 0;
    return n;
  }

  /** Feeds the next chunk; runs the callbacks of every range it completes (they may ask for more). */
  push(chunk: Uint8Array): void {
    const start = this.position;
    const end = start + chunk.length;
    // Callbacks may add ranges that start inside this very chunk: loop until none is left to fill.
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const r of [...this.pending]) {
        const next = r.offset + r.filled;
        if (next < start) {
          this.missed.push([r.offset, r.length]);
          this.deliver(r);
          progressed = true;
          continue;
        }
        if (next >= end) continue;
        const stop = Math.min(end, r.offset + r.length);
        r.buffer ??= new Uint8Array(r.length);
        r.buffer.set(chunk.subarray(next - start, stop - start), r.filled);
        r.filled += stop - next;
        if (r.filled === r.length) {
          this.deliver(r);
          progressed = true;
        }
      }
    }
    this.pushTail(chunk);
    this.position = end;
  }

  /** Ends the stream: delivers short ranges, returns the tail and the distinct bytes looked at. */
  finish(): { size: number; tail: Uint8Array; bytesInspected: number } {
    while (this.pending.length > 0) for (const r of [...this.pending]) this.deliver(r);
    const tail = this.readTail();
    const size = this.position;
    const kept = Math.min(this.tailNeeded, tail.length);
    if (kept > 0) this.seen.push([size - kept, size]);
    return { size, tail, bytesInspected: unionLength(this.seen) };
  }

  private deliver(r: PendingRange): void {
    this.pending = this.pending.filter((p) => p !== r);
    const bytes = r.buffer?.subarray(0, r.filled) ?? new Uint8Array(0);
    if (r.filled > 0) this.seen.push([r.offset, r.offset + r.filled]);
    for (const then of r.callbacks) then(bytes);
  }

  private pushTail(chunk: Uint8Array): void {
    const cap = this.tail.length;
    if (chunk.length >= cap) {
      this.tail.set(chunk.subarray(chunk.length - cap));
      this.tailEnd = 0;
      this.tailLength = cap;
      return;
    }
    const first = Math.min(chunk.length, cap - this.tailEnd);
    this.tail.set(chunk.subarray(0, first), this.tailEnd);
    this.tail.set(chunk.subarray(first), 0);
    this.tailEnd = (this.tailEnd + chunk.length) % cap;
    this.tailLength = Math.min(cap, this.tailLength + chunk.length);
  }

  private readTail(): Uint8Array {
    const cap = this.tail.length;
    const out = new Uint8Array(this.tailLength);
    const startAt = (this.tailEnd - this.tailLength + cap) % cap;
    for (let i = 0; i < this.tailLength; i++) out[i] = this.tail[(startAt + i) % cap] ?? 0;
    return out;
  }
}

function unionLength(ranges: Array<[number, number]>): number {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let reach = -1;
  for (const [from, to] of sorted) {
    const lo = Math.max(from, reach);
    if (to > lo) total += to - lo;
    reach = Math.max(reach, to);
  }
  return total;
}
