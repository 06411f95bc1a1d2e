/**
 * A msgpack writer for the few types Keystone's payloads use, encoding each exactly as Python's
 * `msgpack.packb` (msgpack >= 1.0, `use_bin_type=True`) does: smallest integer form, floats as
 * float64, `bytes` as bin, `str` as str. A generic encoder would write a whole-second expires_at
 * as an integer, where Python writes a float, and the tokens would differ byte for byte.
 */

/** A number to be written as msgpack float64 (Python `float`), even when it is whole. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** The values `packPy` writes. */
export type PyValue = number | PyFloat | boolean | null | string | Uint8Array | readonly PyValue[];

/** Serializes `value` as Python's msgpack would. Throws RangeError for non-integer plain numbers. */
export function packPy(value: PyValue): Uint8Array {
  const out: number[] = [];
  write(out, value);
  return Uint8Array.from(out);
}

function write(out: number[], value: PyValue): void {
  if (value === null) out.push(0xc0);
  else if (value === true) out.push(0xc3);
  else if (value === false) out.push(0xc2);
  else if (typeof value === "number") writeInt(out, value);
  else if (value instanceof PyFloat) {
    const b = Buffer.allocUnsafe(8);
    b.writeDoubleBE(value.value);
    out.push(0xcb, ...b);
  } else if (typeof value === "string") {
    const bytes = Buffer.from(value, "utf8");
    const n = bytes.length;
    if (n < 32) out.push(0xa0 | n);
    else if (n < 0x100) out.push(0xd9, n);
    else if (n < 0x10000) out.push(0xda, n >> 8, n & 0xff);
    else out.push(0xdb, ...u32(n));
    out.push(...bytes);
  } else if (value instanceof Uint8Array) {
    const n = value.length;
    if (n < 0x100) out.push(0xc4, n);
    else if (n < 0x10000) out.push(0xc5, n >> 8, n & 0xff);
    else out.push(0xc6, ...u32(n));
    out.push(...value);
  } else {
    const n = value.length;
    if (n < 16) out.push(0x90 | n);
    else if (n < 0x10000) out.push(0xdc, n >> 8, n & 0xff);
    else out.push(0xdd, ...u32(n));
    for (const item of value) write(out, item);
  }
}

function writeInt(out: number[], n: number): void {
  if (!Number.isSafeInteger(n)) throw new RangeError(`msgpack: ${n} is not a safe integer; wrap floats in PyFloat`);
  if (n >= 0) {
    if (n < 0x80) out.push(n);
    else if (n < 0x100) out.push(0xcc, n);
    else if (n < 0x10000) out.push(0xcd, n >> 8, n & 0xff);
    else if (n < 0x100000000) out.push(0xce, ...u32(n));
    else out.push(0xcf, ...u32(Math.floor(n / 0x100000000)), ...u32(n % 0x100000000));
  } else {
    if (n >= -32) out.push(n & 0xff);
    else if (n >= -0x80) out.push(0xd0, n & 0xff);
    else if (n >= -0x8000) out.push(0xd1, (n >> 8) & 0xff, n & 0xff);
    else if (n >= -0x80000000) out.push(0xd2, ...u32(n >>> 0));
    else {
      const b = Buffer.allocUnsafe(8);
      b.writeBigInt64BE(BigInt(n));
      out.push(0xd3, ...b);
    }
  }
}

function u32(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
