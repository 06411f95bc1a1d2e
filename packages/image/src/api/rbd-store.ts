/**
 * Glance's RBD store (glance_store's rbd driver layout): the data of image `<id>` is the RBD
 * image `<id>` in one pool with a protected snapshot `snap`, so Cinder and Nova clone
 * `<pool>/<id>@snap` copy-on-write; its location is `rbd://<fsid>/<pool>/<id>/snap`.
 * Uploads go to a temporary image `<id>.tmp-<random>` that is snapshotted and renamed at commit,
 * so a reader never sees half an image.
 */
import { randomUUID } from "node:crypto";
import { backendUnavailable, badRequest, conflict, payloadTooLarge } from "@stratus/core/errors";
import { Cluster, type ConnectOptions, type ImageFeature, type IoCtx, isRadosError, rbd } from "@stratus/rados";
import { RbdStagedWrite } from "./rbd-write.js";
import type { ByteRange, ImageStore, StagedWrite } from "./store.js";

export interface RbdImageStoreOptions {
  /** The pool (an RBD namespace in it is fine) images live in. */
  readonly ioctx: IoCtx;
  /** The cluster's fsid, for `rbd://` locations. */
  readonly fsid: string;
  /** Largest image in bytes (Glance's `image_size_cap`, default 1 TiB). */
  readonly maxSize?: number;
  /** Object size as a power of two (Glance's `rbd_store_chunk_size` 8 MiB is 23, the default). */
  readonly order?: number;
  /** Features of new images (Glance: `rbd_default_features`, else layering). */
  readonly features?: readonly ImageFeature[];
  /** Writes in flight per upload (default 4). */
  readonly writeDepth?: number;
}

const ID = /^[0-9a-fA-F-]{1,64}$/;
const TEMP = /\.tmp-[0-9a-f]{12}$/;
/** The snapshot every image gets, as glance_store names it. */
export const RBD_SNAPSHOT = "snap";
const READ_CHUNK = 4 * 2 ** 20;
const IN_USE = "The image cannot be deleted because it is in use through the backend store outside of Glance.";

/** Turns a librados error at this edge into the service's error codes. */
function translate(error: unknown, id: string): unknown {
  if (!isRadosError(error)) return error;
  if (error.code === "ENOSPC" || error.code === "EDQUOT")
    return payloadTooLarge(`Image storage media is full: ${error.message}`, { cause: error });
  if (["ETIMEDOUT", "ESHUTDOWN", "ECONNREFUSED", "ENOTCONN"].includes(error.code))
    return backendUnavailable(`The RBD store is unavailable for image ${id}.`, { cause: error });
  return error;
}

export class RbdImageStore implements ImageStore {
  readonly ioctx: IoCtx;
  readonly fsid: string;
  readonly maxSize: number;
  readonly #order: number;
  readonly #features: readonly ImageFeature[];
  readonly #depth: number;
  #cluster: Cluster | null = null;

  constructor(options: RbdImageStoreOptions) {
    this.ioctx = options.ioctx;
    this.fsid = options.fsid;
    this.maxSize = options.maxSize ?? 2 ** 40;
    this.#order = options.order ?? 23;
    this.#features = options.features ?? ["layering"];
    this.#depth = options.writeDepth ?? 4;
  }

  /** Connects to the cluster and opens `pool`; `close()` disconnects. */
  static async connect(
    options: ConnectOptions & { pool: string } & Omit<RbdImageStoreOptions, "ioctx" | "fsid">,
  ): Promise<RbdImageStore> {
    const cluster = await Cluster.connect(options);
    try {
      const store = new RbdImageStore({
        ...options,
        ioctx: await cluster.ioctx(options.pool),
        fsid: await cluster.fsid(),
      });
      store.#cluster = cluster;
      return store;
    } catch (error) {
      await cluster.shutdown();
      throw error;
    }
  }

  /** Closes the connection `connect` opened (nothing when the caller passed the ioctx). */
  async close(): Promise<void> {
    await this.#cluster?.shutdown();
  }

  #name(id: string): string {
    if (!ID.test(id)) throw badRequest(`Invalid image id ${id}`);
    return id;
  }

  readonly id = "rbd";

  /** The image's location for trusted services (Glance's `direct_url`): `rbd://fsid/pool/id/snap`. */
  locationOf(id: string): string {
    const part = (s: string) => encodeURIComponent(s);
    return `rbd://${part(this.fsid)}/${part(this.ioctx.pool)}/${part(this.#name(id))}/${RBD_SNAPSHOT}`;
  }

  async begin(id: string): Promise<StagedWrite> {
    const name = this.#name(id);
    const temp = `${name}.tmp-${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const ioctx = this.ioctx;
    try {
      await rbd.create(ioctx, temp, 0, { features: this.#features, order: this.#order });
    } catch (error) {
      throw translate(error, id);
    }
    const image = await rbd.open(ioctx, temp).catch(async (error: unknown) => {
      await rbd.remove(ioctx, temp).catch(() => undefined);
      throw translate(error, id);
    });
    return new RbdStagedWrite({
      image,
      segment: 2 ** this.#order,
      depth: this.#depth,
      maxSize: this.maxSize,
      publish: () => this.#publish(temp, name),
      discard: () => this.#removeTemp(temp),
      translate: (error) => translate(error, id),
    });
  }

  /** Snapshots and protects the finished temporary image, then renames it to the image's id. */
  async #publish(temp: string, name: string): Promise<void> {
    try {
      await rbd.withImage(this.ioctx, temp, async (image) => {
        await image.snapCreate(RBD_SNAPSHOT);
        await image.snapProtect(RBD_SNAPSHOT);
      });
      await rbd.rename(this.ioctx, temp, name);
    } catch (error) {
      if (isRadosError(error, "EEXIST")) throw conflict(`Image ${name} already has data in the RBD store.`);
      throw translate(error, name);
    }
  }

  async read(id: string, range?: ByteRange): Promise<AsyncIterable<Uint8Array> | null> {
    if (!(await this.has(id))) return null;
    return this.#chunks(this.#name(id), range);
  }

  /** Reads the snapshot in 4 MiB reads, the next one already running while one is consumed. */
  async *#chunks(name: string, range?: ByteRange): AsyncGenerator<Uint8Array> {
    const image = await rbd.open(this.ioctx, name, { snapshot: RBD_SNAPSHOT });
    try {
      const end = range ? range.end + 1 : await image.size();
      let offset = range?.start ?? 0;
      const next = () => {
        const length = Math.min(READ_CHUNK, end - offset);
        const read = image.read(offset, length);
        offset += length;
        return read;
      };
      let pending = offset < end ? next() : null;
      while (pending) {
        const chunk = await pending;
        pending = offset < end && chunk.length > 0 ? next() : null;
        if (chunk.length > 0) yield chunk;
      }
    } finally {
      await image.close();
    }
  }

  async has(id: string): Promise<boolean> {
    try {
      await rbd.withImage(this.ioctx, this.#name(id), async () => undefined);
      return true;
    } catch (error) {
      if (isRadosError(error, "ENOENT")) return false;
      throw translate(error, id);
    }
  }

  /**
   * Unprotects and removes the snapshot, then the image (glance_store's `_delete_image`);
   * `conflict` ("in use") while the snapshot has clones or the image has other snapshots or
   * watchers, and then nothing is deleted.
   */
  async delete(id: string): Promise<boolean> {
    const name = this.#name(id);
    try {
      await this.#purge(name);
      return true;
    } catch (error) {
      if (isRadosError(error, "ENOENT")) return false;
      if (isRadosError(error, "EBUSY") || isRadosError(error, "ENOTEMPTY"))
        throw conflict(`Image ${id} could not be deleted because it is in use: ${IN_USE}`, { cause: error });
      throw translate(error, id);
    }
  }

  /** Unprotects and removes the snapshot (if any), then removes the image. Throws RadosErrors. */
  async #purge(name: string): Promise<void> {
    await rbd.withImage(this.ioctx, name, async (image) => {
      const snaps = await image.snapList();
      if (!snaps.some((s) => s.name === RBD_SNAPSHOT)) return;
      await image.snapUnprotect(RBD_SNAPSHOT).catch((error: unknown) => {
        if (!isRadosError(error, "EINVAL")) throw error; // EINVAL: not protected any more
      });
      await image.snapRemove(RBD_SNAPSHOT);
    });
    await rbd.remove(this.ioctx, name);
  }

  /** Removes a temporary image (and the snapshot a failed commit may have left); gone is fine. */
  async #removeTemp(name: string): Promise<void> {
    try {
      await this.#purge(name);
    } catch (error) {
      if (!isRadosError(error, "ENOENT")) throw error;
    }
  }

  /** The ids of the images this store holds committed data for, in no particular order. */
  async listIds(): Promise<string[]> {
    return (await rbd.list(this.ioctx)).filter((name) => ID.test(name));
  }

  /**
   * Removes the temporary images of uploads that never committed or aborted (a process that
   * died mid-upload); returns how many. One still open somewhere (a live upload, or a dead
   * process's watch that has not expired yet, about 30 s) is left for a later sweep.
   */
  async sweep(): Promise<number> {
    let removed = 0;
    for (const name of (await rbd.list(this.ioctx)).filter((n) => TEMP.test(n))) {
      try {
        await this.#removeTemp(name);
        removed++;
      } catch (error) {
        if (!isRadosError(error, "EBUSY")) throw translate(error, name);
      }
    }
    return removed;
  }
}
