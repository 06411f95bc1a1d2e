/**
 * Where things go in a qcow2 file we write: header in cluster 0, the L1 table after it, then
 * data and L2 tables as they are allocated front to back, refcount blocks and table last.
 * Compressed clusters are packed byte by byte (they may share host clusters); every host cluster
 * has refcount 1 except those shared by compressed data, counted once per compressed cluster.
 */
import { COMPRESSED } from "./qcow2-header.js";

export class Qcow2Layout {
  readonly clusterSize: number;
  readonly l1Size: number;
  readonly l1Offset: number;
  /** Next free byte; full-cluster allocations round it up first. */
  private cursor: number;
  private readonly shared = new Map<number, number>();

  constructor(
    readonly clusterBits: number,
    readonly virtualSize: number,
  ) {
    this.clusterSize = 2 ** clusterBits;
    const l2Span = (this.clusterSize / 8) * this.clusterSize;
    this.l1Size = Math.max(1, Math.ceil(virtualSize / l2Span));
    this.l1Offset = this.clusterSize;
    this.cursor = this.l1Offset + this.roundUp(this.l1Size * 8);
  }

  /** Allocates `count` whole, contiguous host clusters; returns the first one's offset. */
  allocateClusters(count: number): number {
    const at = this.roundUp(this.cursor);
    this.cursor = at + count * this.clusterSize;
    return at;
  }

  /**
   * Allocates `length` bytes for one compressed cluster; returns the L2 entry describing it
   * and the byte offset to write it at.
   */
  allocateCompressed(length: number): { entry: bigint; offset: number } {
    const offset = this.cursor;
    this.cursor += length;
    const firstSector = Math.floor(offset / 512);
    const lastSector = Math.floor((offset + length - 1) / 512);
    const shift = BigInt(62 - (this.clusterBits - 8));
    const entry = COMPRESSED | (BigInt(lastSector - firstSector) << shift) | BigInt(offset);
    // qemu-img check counts each host cluster from the offset to the end of the last sector.
    const first = Math.floor(offset / this.clusterSize);
    const last = Math.floor(((lastSector + 1) * 512 - 1) / this.clusterSize);
    for (let c = first; c <= last; c++) this.shared.set(c, (this.shared.get(c) ?? 0) + 1);
    return { entry, offset };
  }

  /** Compressed data is at most this long, or it is stored uncompressed. */
  get maxCompressed(): number {
    return Math.min(this.clusterSize - 1, 2 ** (this.clusterBits - 8) * 512 - 511);
  }

  /**
   * Places the refcount blocks and table after everything else and fills them (16-bit entries).
   * Returns the table's offset and clusters, and the bytes to write there.
   */
  refcounts(): { tableOffset: number; tableClusters: number; bytes: Uint8Array; fileEnd: number } {
    const cs = this.clusterSize;
    const start = this.roundUp(this.cursor) / cs;
    const perBlock = cs / 2;
    let blocks = 1;
    let tableClusters = 1;
    for (;;) {
      const total = start + blocks + tableClusters;
      const needBlocks = Math.ceil(total / perBlock);
      const needTable = Math.ceil((needBlocks * 8) / cs);
      if (needBlocks === blocks && needTable === tableClusters) break;
      blocks = needBlocks;
      tableClusters = needTable;
    }
    const total = start + tableClusters + blocks;
    const bytes = new Uint8Array((tableClusters + blocks) * cs);
    const view = new DataView(bytes.buffer);
    const blocksAt = (start + tableClusters) * cs;
    for (let b = 0; b < blocks; b++) view.setBigUint64(b * 8, BigInt(blocksAt + b * cs));
    const base = tableClusters * cs;
    for (let c = 0; c < total; c++) view.setUint16(base + c * 2, this.shared.get(c) ?? 1);
    return { tableOffset: start * cs, tableClusters, bytes, fileEnd: total * cs };
  }

  private roundUp(n: number): number {
    return Math.ceil(n / this.clusterSize) * this.clusterSize;
  }
}

/** The 112-byte v3 header (zlib compression type, 16-bit refcounts) and the end-of-extensions mark. */
export function qcow2Header(
  layout: Qcow2Layout,
  refcountTableOffset: number,
  refcountTableClusters: number,
): Uint8Array {
  const bytes = new Uint8Array(layout.clusterSize);
  const v = new DataView(bytes.buffer);
  v.setUint32(0, 0x514649fb);
  v.setUint32(4, 3);
  v.setUint32(20, layout.clusterBits);
  v.setBigUint64(24, BigInt(layout.virtualSize));
  v.setUint32(36, layout.l1Size);
  v.setBigUint64(40, BigInt(layout.l1Offset));
  v.setBigUint64(48, BigInt(refcountTableOffset));
  v.setUint32(56, refcountTableClusters);
  v.setUint32(96, 4);
  v.setUint32(100, 112);
  return bytes;
}
