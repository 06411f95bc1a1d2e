/**
 * Readers of fixed-width integers from captured header bytes. Every reader returns 0 past the end
 * of the buffer, so a parser of a truncated header reads zeros instead of throwing; parsers check
 * lengths first and report `header-truncated` themselves.
 */

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

export function u8(b: Uint8Array, at: number): number {
  return b[at] ?? 0;
}

export function u16le(b: Uint8Array, at: number): number {
  return at + 2 <= b.length ? view(b).getUint16(at, true) : 0;
}

export function u32le(b: Uint8Array, at: number): number {
  return at + 4 <= b.length ? view(b).getUint32(at, true) : 0;
}

export function u32be(b: Uint8Array, at: number): number {
  return at + 4 <= b.length ? view(b).getUint32(at, false) : 0;
}

/** 64-bit fields as numbers: exact up to 2^53, approximate (but still huge) above. */
export function u64le(b: Uint8Array, at: number): number {
  return u32le(b, at + 4) * 2 ** 32 + u32le(b, at);
}

export function u64be(b: Uint8Array, at: number): number {
  return u32be(b, at) * 2 ** 32 + u32be(b, at + 4);
}

/** True when 8 bytes at `at` are all 0xff (the "none"/"at end" marker of several formats). */
export function allOnes64(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + 8; i++) if (b[i] !== 0xff) return false;
  return true;
}

/** Latin-1 text of `b[at, at+len)`, for signatures and ASCII fields. */
export function ascii(b: Uint8Array, at: number, len: number): string {
  return String.fromCharCode(...b.subarray(at, Math.min(b.length, at + len)));
}

export function startsWith(b: Uint8Array, at: number, signature: string): boolean {
  return ascii(b, at, signature.length) === signature;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;

/** Human size for reasons: "1 GiB", "196624 bytes". */
export function formatSize(n: number): string {
  for (const [unit, size] of [
    ["TiB", TiB],
    ["GiB", GiB],
    ["MiB", MiB],
  ] as const)
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  return `${n} bytes`;
}

/** Quotes a name taken from an image for a reason: printable ASCII only, at most 200 chars. */
export function quoteName(raw: string): string {
  const clean = raw.replace(/[^\x20-\x7e]/g, "?");
  return JSON.stringify(clean.length > 200 ? `${clean.slice(0, 200)}...` : clean);
}
