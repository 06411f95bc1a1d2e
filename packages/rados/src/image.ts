/**
 * An open RBD image (rbd_image_t): size, I/O at offsets, snapshots and children.
 * Every call runs off the event loop; `close()` waits for the calls in flight.
 */
import koffi from "koffi";
import { blocking } from "./calls.js";
import { check } from "./errors.js";
import { featureNames, type ImageFeature } from "./features.js";
import { NativeHandle } from "./handle.js";
import { outWord, rbdLib, structs } from "./native.js";

/** What `Image.stat()` returns. */
export interface ImageStat {
  /** Size in bytes. */
  readonly size: number;
  /** Object size in bytes (`1 << order`). */
  readonly objectSize: number;
  /** Number of objects the image spans. */
  readonly objects: number;
  readonly order: number;
  readonly features: ImageFeature[];
}

/** One snapshot of an image. */
export interface SnapshotInfo {
  readonly id: number;
  readonly name: string;
  /** The image's size when the snapshot was taken. */
  readonly size: number;
}

/** A clone of one of the image's snapshots (`rbd children`). */
export interface ChildImage {
  readonly pool: string;
  readonly namespace: string;
  readonly id: string;
  readonly name: string;
  /** True when the child sits in the trash (it still holds the snapshot). */
  readonly trash: boolean;
}

const SNAP_INFO_SIZE = koffi.sizeof(structs.snapInfo);
const LINKED_SPEC_SIZE = koffi.sizeof(structs.linkedImageSpec);
const ERANGE = 34;

export class Image {
  readonly #handle: NativeHandle;

  /** @internal use `rbd.open(ioctx, name)` */
  constructor(
    pointer: bigint,
    /** The image's name. */
    readonly name: string,
    /** The snapshot opened (read-only), or null for the head. */
    readonly snapshot: string | null,
  ) {
    this.#handle = new NativeHandle(pointer, `image ${name}`);
  }

  #call<T = number>(op: string, fn: (pointer: bigint) => Promise<T>): Promise<T> {
    return this.#handle.use(op, fn);
  }

  /** Size, object size and features. */
  stat(): Promise<ImageStat> {
    const lib = rbdLib();
    return this.#call("rbd_stat", async (image) => {
      const info = Buffer.alloc(koffi.sizeof(structs.imageInfo));
      check("rbd_stat", await blocking(lib.rbd_stat, image, info, info.length), this.name);
      const features = outWord();
      check("rbd_get_features", await blocking(lib.rbd_get_features, image, features), this.name);
      const decoded = koffi.decode(info, structs.imageInfo) as Record<string, number | bigint>;
      return {
        size: Number(decoded.size),
        objectSize: Number(decoded.obj_size),
        objects: Number(decoded.num_objs),
        order: Number(decoded.order),
        features: featureNames(features.readBigUInt64LE(0)),
      };
    });
  }

  /** The size in bytes. */
  size(): Promise<number> {
    return this.#call("rbd_get_size", async (image) => {
      const out = outWord();
      check("rbd_get_size", await blocking(rbdLib().rbd_get_size, image, out), this.name);
      return Number(out.readBigUInt64LE(0));
    });
  }

  /** Grows or shrinks the image to `size` bytes (shrinking discards the tail). */
  async resize(size: number): Promise<void> {
    await this.#call("rbd_resize", async (image) =>
      check("rbd_resize", await blocking(rbdLib().rbd_resize, image, size), this.name),
    );
  }

  /**
   * Reads `length` bytes at `offset`; the result is shorter when the image ends first.
   * Unwritten ranges read as zeros.
   */
  read(offset: number, length: number): Promise<Buffer> {
    return this.#call("rbd_read", async (image) => {
      const buffer = Buffer.allocUnsafe(length);
      const n = check("rbd_read", await blocking(rbdLib().rbd_read, image, offset, length, buffer), this.name);
      return n === length ? buffer : buffer.subarray(0, n);
    });
  }

  /** Writes all of `data` at `offset` (which must lie inside the image); returns the byte count. */
  write(offset: number, data: Uint8Array): Promise<number> {
    return this.#call("rbd_write", async (image) =>
      check("rbd_write", await blocking(rbdLib().rbd_write, image, offset, data.byteLength, data), this.name),
    );
  }

  /** Waits until every write so far is on the OSDs. */
  async flush(): Promise<void> {
    await this.#call("rbd_flush", async (image) => check("rbd_flush", await blocking(rbdLib().rbd_flush, image)));
  }

  #snapOp(op: "rbd_snap_create" | "rbd_snap_remove" | "rbd_snap_protect" | "rbd_snap_unprotect", snap: string) {
    return this.#call(op, async (image) =>
      check(op, await blocking(rbdLib()[op], image, snap), `${this.name}@${snap}`),
    ).then(() => undefined);
  }

  /** Takes snapshot `snap`; EEXIST when it exists. */
  snapCreate(snap: string): Promise<void> {
    return this.#snapOp("rbd_snap_create", snap);
  }

  /** Removes snapshot `snap`; EBUSY while it is protected, ENOENT when missing. */
  snapRemove(snap: string): Promise<void> {
    return this.#snapOp("rbd_snap_remove", snap);
  }

  /** Protects `snap` from removal (needed to clone it with clone v1); EBUSY when already protected. */
  snapProtect(snap: string): Promise<void> {
    return this.#snapOp("rbd_snap_protect", snap);
  }

  /** Unprotects `snap`; EBUSY while it has clones, EINVAL when not protected. */
  snapUnprotect(snap: string): Promise<void> {
    return this.#snapOp("rbd_snap_unprotect", snap);
  }

  /** Whether `snap` is protected; ENOENT when it does not exist. */
  isProtected(snap: string): Promise<boolean> {
    return this.#call("rbd_snap_is_protected", async (image) => {
      const out = Buffer.alloc(4);
      check("rbd_snap_is_protected", await blocking(rbdLib().rbd_snap_is_protected, image, snap, out), snap);
      return out.readInt32LE(0) !== 0;
    });
  }

  /** The image's snapshots, oldest first. */
  snapList(): Promise<SnapshotInfo[]> {
    const lib = rbdLib();
    return this.#call("rbd_snap_list", async (image) => {
      for (let room = 16; ; room *= 4) {
        const max = Buffer.alloc(4);
        max.writeInt32LE(room, 0);
        // one extra entry: librbd ends the list with a zeroed one
        const snaps = Buffer.alloc(SNAP_INFO_SIZE * (room + 1));
        const ret = Number(await blocking(lib.rbd_snap_list, image, snaps, max));
        if (ret === -ERANGE) continue;
        const count = check("rbd_snap_list", ret, this.name);
        const list: SnapshotInfo[] = [];
        for (let i = 0; i < count; i++) {
          const s = koffi.decode(snaps, i * SNAP_INFO_SIZE, structs.snapInfo) as Record<
            string,
            string | number | bigint
          >;
          list.push({ id: Number(s.id), size: Number(s.size), name: String(s.name) });
        }
        lib.rbd_snap_list_end(snaps);
        return list;
      }
    });
  }

  /** The clones of the snapshot this image was opened at (open it with `{ snapshot }`). */
  listChildren(): Promise<ChildImage[]> {
    const lib = rbdLib();
    return this.#call("rbd_list_children3", async (image) => {
      for (let room = 16; ; room *= 4) {
        const max = outWord();
        max.writeBigUInt64LE(BigInt(room), 0);
        const specs = Buffer.alloc(LINKED_SPEC_SIZE * room);
        const ret = Number(await blocking(lib.rbd_list_children3, image, specs, max));
        if (ret === -ERANGE) continue;
        check("rbd_list_children3", ret, this.name);
        const count = Number(max.readBigUInt64LE(0));
        const children: ChildImage[] = [];
        for (let i = 0; i < count; i++) {
          const c = koffi.decode(specs, i * LINKED_SPEC_SIZE, structs.linkedImageSpec) as Record<string, unknown>;
          children.push({
            pool: String(c.pool_name),
            namespace: String(c.pool_namespace ?? ""),
            id: String(c.image_id),
            name: String(c.image_name),
            trash: Boolean(c.trash),
          });
        }
        lib.rbd_linked_image_spec_list_cleanup(specs, count);
        return children;
      }
    });
  }

  /** Closes the image after the calls in flight; later calls throw EBADF. Idempotent. */
  close(): Promise<void> {
    return this.#handle.release(async (image) => {
      check("rbd_close", await blocking(rbdLib().rbd_close, image), this.name);
    });
  }
}
