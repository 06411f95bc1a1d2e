/**
 * OVSDB puts JSON-RPC messages on a byte stream back to back, with no length prefix or delimiter
 * (RFC 7047 §2). `JsonStreamSplitter` finds where each top-level JSON value ends by counting
 * brackets outside strings, across chunk boundaries, without re-scanning bytes it has seen.
 *
 * Scanning bytes (not characters) is safe: `{`, `}`, `[`, `]`, `"` and `\` are ASCII and never
 * occur inside a UTF-8 multi-byte sequence.
 */

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Thrown when the stream holds something that is not a sequence of JSON objects/arrays. */
export class FramingError extends Error {
  override readonly name = "FramingError";
}

export interface SplitterOptions {
  /** Largest single message accepted, in bytes (default 256 MiB); larger → FramingError. */
  maxMessageBytes?: number;
}

export class JsonStreamSplitter {
  private readonly pending: Buffer[] = [];
  private pendingBytes = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private readonly maxMessageBytes: number;

  constructor(options: SplitterOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? 256 * 1024 * 1024;
  }

  /**
   * Feeds one chunk; returns the messages it completed, parsed, in order.
   * Throws FramingError on bytes outside a message that are not whitespace, on a message larger
   * than the limit, or on a completed message that is not valid JSON.
   */
  push(chunk: Buffer): unknown[] {
    const out: unknown[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as number;
      if (this.depth === 0) {
        if (c === OPEN_BRACE || c === OPEN_BRACKET) {
          this.depth = 1;
          start = i;
        } else if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
          throw new FramingError(`unexpected byte 0x${c.toString(16)} between JSON-RPC messages`);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === BACKSLASH) this.escaped = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.depth++;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth === 0) {
          out.push(this.complete(chunk.subarray(start, i + 1)));
          start = i + 1;
        }
      }
    }
    if (this.depth > 0) {
      const rest = chunk.subarray(start);
      this.pendingBytes += rest.length;
      if (this.pendingBytes > this.maxMessageBytes) {
        throw new FramingError(`JSON-RPC message larger than ${this.maxMessageBytes} bytes`);
      }
      // Copy: the caller's chunk may be a pooled buffer that is reused after we return.
      this.pending.push(Buffer.from(rest));
    }
    return out;
  }

  /** Bytes held for a message that has not ended yet. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private complete(tail: Buffer): unknown {
    let bytes = tail;
    if (this.pending.length > 0) {
      this.pending.push(tail);
      bytes = Buffer.concat(this.pending, this.pendingBytes + tail.length);
      this.pending.length = 0;
      this.pendingBytes = 0;
    }
    if (bytes.length > this.maxMessageBytes) {
      throw new FramingError(`JSON-RPC message larger than ${this.maxMessageBytes} bytes`);
    }
    try {
      return JSON.parse(bytes.toString("utf8"));
    } catch (err) {
      throw new FramingError(`invalid JSON in a JSON-RPC message: ${(err as Error).message}`);
    }
  }
}
