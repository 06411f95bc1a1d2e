/**
 * The port image bytes are kept behind (Glance's glance_store drivers): filesystem and Ceph RBD.
 */

/** A write in progress: bytes go to a temporary place until `commit`. */
export interface StagedWrite {
  /** Appends a chunk; throws `payload_too_large` once the store's size limit is passed. */
  write(chunk: Uint8Array): Promise<void>;
  /** Makes the bytes the image's data (atomic rename); returns the byte count. */
  commit(): Promise<number>;
  /** Throws the bytes away. Idempotent, never throws. */
  abort(): Promise<void>;
}

/** Bytes `start` to `end` of an image, both inclusive (HTTP's `Range: bytes=start-end`). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

export interface ImageStore {
  /** The store's id in `/v2/info/stores` and the images' `stores` (default `file`). */
  readonly id?: string;
  /**
   * Where image `id`'s data lives, for trusted services only (Glance's `direct_url` and
   * `locations`: `file:///...`, `rbd://fsid/pool/image/snap`).
   */
  locationOf?(id: string): string;
  /** Starts writing the data of image `id`; nothing is visible until `commit`. */
  begin(id: string): Promise<StagedWrite>;
  /**
   * The image's bytes as a stream (only `range`'s, already checked against the size, when given),
   * or null when the store has none.
   */
  read(id: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null>;
  /** Whether the store holds data for `id`. */
  has(id: string): Promise<boolean>;
  /** Deletes the image's data; returns false if there was none. Idempotent. */
  delete(id: string): Promise<boolean>;
}
