/**
 * IPv4/IPv6 addresses and CIDRs as big integers: parsing, canonical text, containment. Pure.
 */

export type IpVersion = 4 | 6;

/** An address as a number within its family. */
export interface IpAddress {
  readonly version: IpVersion;
  readonly value: bigint;
}

/** A CIDR: its network address (host bits cleared), prefix length and family. */
export interface Cidr {
  readonly version: IpVersion;
  readonly network: bigint;
  readonly prefix: number;
}

export const bitsOf = (version: IpVersion): number => (version === 4 ? 32 : 128);

function parseV4(text: string): bigint | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || (part.length > 1 && part.startsWith("0"))) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseV6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const groups = (s: string): string[] | null => (s === "" ? [] : s.split(":"));
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (head === null || tail === null) return null;
  const words: number[] = [];
  const push = (list: string[], isLast: boolean): boolean => {
    for (const [i, g] of list.entries()) {
      if (isLast && i === list.length - 1 && g.includes(".")) {
        const v4 = parseV4(g);
        if (v4 === null) return false;
        words.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return false;
        words.push(Number.parseInt(g, 16));
      }
    }
    return true;
  };
  const headWords: number[] = [];
  if (!push(head, halves.length === 1)) return null;
  headWords.push(...words.splice(0));
  if (!push(tail, true)) return null;
  const tailWords = words;
  const missing = 8 - headWords.length - tailWords.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const all = [...headWords, ...new Array<number>(missing).fill(0), ...tailWords];
  return all.reduce((acc, w) => (acc << 16n) | BigInt(w), 0n);
}

/** Parses an IPv4 or IPv6 address; null when it is neither. */
export function parseIp(text: string): IpAddress | null {
  if (typeof text !== "string") return null;
  if (text.includes(":")) {
    const v = parseV6(text);
    return v === null ? null : { version: 6, value: v };
  }
  const v = parseV4(text);
  return v === null ? null : { version: 4, value: v };
}

/** The canonical text of an address (dotted quad; RFC 5952 compressed lower-case IPv6). */
export function formatIp(version: IpVersion, value: bigint): string {
  if (version === 4) return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join(".");
  const words = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(112 - 16 * i)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

/** The canonical text of an address string, or null when it is not one. */
export function canonicalIp(text: string): string | null {
  const ip = parseIp(text);
  return ip === null ? null : formatIp(ip.version, ip.value);
}

/** Parses `a.b.c.d/n` or `x::/n` (host bits may be set: `strict` says whether that is refused). */
export function parseCidr(text: string, strict = false): Cidr | null {
  if (typeof text !== "string") return null;
  const [addr, len, ...rest] = text.split("/");
  if (addr === undefined || rest.length > 0) return null;
  const ip = parseIp(addr);
  if (ip === null) return null;
  const bits = bitsOf(ip.version);
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : Number.NaN;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > bits) return null;
  const network = ip.value & maskOf(ip.version, prefix);
  if (strict && network !== ip.value) return null;
  return { version: ip.version, network, prefix };
}

export function maskOf(version: IpVersion, prefix: number): bigint {
  const bits = BigInt(bitsOf(version));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** The last address of a CIDR (the broadcast address for IPv4). */
export const lastOf = (c: Cidr): bigint =>
  c.network | (((1n << BigInt(bitsOf(c.version))) - 1n) ^ maskOf(c.version, c.prefix));

/** `network/prefix` in canonical form. */
export const formatCidr = (c: Cidr): string => `${formatIp(c.version, c.network)}/${c.prefix}`;

/** Whether `ip` lies inside `cidr` (same family). */
export const cidrContains = (c: Cidr, ip: IpAddress): boolean =>
  c.version === ip.version && ip.value >= c.network && ip.value <= lastOf(c);

/** Whether two CIDRs share any address. */
export const cidrsOverlap = (a: Cidr, b: Cidr): boolean =>
  a.version === b.version && a.network <= lastOf(b) && b.network <= lastOf(a);

/** The modified EUI-64 address of `mac` in a /64 `prefix` (SLAAC, RFC 4291 appendix A). */
export function eui64(prefix: Cidr, mac: string): string {
  const bytes = mac.split(":").map((h) => Number.parseInt(h, 16));
  const [b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0] = bytes;
  const iid = [b0 ^ 0x02, b1, b2, 0xff, 0xfe, b3, b4, b5].reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  return formatIp(6, prefix.network | iid);
}
