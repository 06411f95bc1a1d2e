/** CRC-32C (Castagnoli), as VHDX checksums its headers and region tables. */
const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32C of `bytes` with the 4 bytes at `skipAt` read as zero (where the checksum itself sits). */
export function crc32c(bytes: Uint8Array, skipAt = -1): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    const byte = i >= skipAt && i < skipAt + 4 ? 0 : (bytes[i] ?? 0);
    c = (TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}
