/**
 * The extension point of the inspector: one probe per format. A probe asks the capture engine
 * for the bytes it needs, parses them as they arrive, and at the end of the stream says whether
 * the image is of its format, with the facts and findings it has.
 */
import type { CaptureContext } from "./capture.js";
import type { Finding, FindingCode, ImageFormat } from "./types.js";

/** The end of the stream as probes see it. */
export interface StreamEnd {
  /** Total bytes in the stream. */
  readonly size: number;
  /** The last bytes of the stream (up to TAIL_CAPACITY). */
  readonly tail: Uint8Array;
}

/** A probe's claim that the image is of its format. */
export interface ProbeMatch {
  readonly format: ImageFormat;
  readonly virtualSize: number;
  readonly clusterSize?: number;
  readonly compression?: string;
  readonly subformat?: string;
  readonly findings: readonly Finding[];
  /**
   * `container`: a disk format that owns the whole file (qcow2, vmdk, ...); two containers in one
   * file is a polyglot. `content`: a signature that raw disk data may carry (ISO, MBR/GPT).
   */
  readonly layer: "container" | "content";
  /** A container whose guest data starts at byte 0 (fixed VHD), so content signatures are its data. */
  readonly dataAtStart?: boolean;
}

export interface FormatProbe {
  /** Registers the first captures; called once before any byte is pushed. */
  start(ctx: CaptureContext): void;
  /** Called once after the stream ended and every capture was delivered. */
  conclude(end: StreamEnd): ProbeMatch | undefined;
}

/** A named way to make a fresh probe for one stream. */
export interface ProbeFactory {
  readonly name: string;
  create(): FormatProbe;
}

export function reject(code: FindingCode, reason: string): Finding {
  return { code, reason, severity: "reject" };
}

export function info(code: FindingCode, reason: string): Finding {
  return { code, reason, severity: "info" };
}

/** Finding for a table or region that does not fit in the file. */
export function beyondEof(what: string, from: number, length: number, size: number): Finding {
  return reject(
    "table-beyond-eof",
    `the ${what} at offset ${from} (${length} bytes) ends past the end of the ${size}-byte file`,
  );
}
