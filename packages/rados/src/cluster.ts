/**
 * A connection to a Ceph cluster (rados_t) and I/O contexts on its pools (rados_ioctx_t).
 */
import { blocking } from "./calls.js";
import { check } from "./errors.js";
import { NativeHandle } from "./handle.js";
import { outWord, pointerOf, radosLib } from "./native.js";

export interface ConnectOptions {
  /** Path of a ceph.conf (`rados_conf_read_file`); omitted: only `options` (and mon_host in them). */
  readonly conf?: string;
  /** Path of the keyring (sets the `keyring` option). */
  readonly keyring?: string;
  /** The entity to connect as, `client.admin` by default (`rados_create2`'s name). */
  readonly client?: string;
  /** The cluster name, `ceph` by default. */
  readonly cluster?: string;
  /** More configuration options (`rados_conf_set`), applied after the file: `{ mon_host: "..." }`. */
  readonly options?: Readonly<Record<string, string>>;
}

/** An I/O context on one pool (and optionally one RADOS namespace in it). */
export class IoCtx {
  /** @internal */
  readonly handle: NativeHandle;

  /** @internal use `cluster.ioctx(pool)` */
  constructor(
    pointer: bigint,
    /** The pool's name. */
    readonly pool: string,
    /** The RADOS namespace, "" for the default one. */
    readonly namespace: string,
    private readonly onClose: (ioctx: IoCtx) => void = () => undefined,
  ) {
    this.handle = new NativeHandle(pointer, `ioctx of pool ${pool}`);
  }

  /** Releases the context (images opened through it stay usable). Idempotent. */
  close(): Promise<void> {
    return this.handle.release((pointer) => {
      radosLib().rados_ioctx_destroy(pointer);
      this.onClose(this);
    });
  }
}

/** A connected cluster handle. Close it with `shutdown()`. */
export class Cluster {
  readonly #handle: NativeHandle;
  readonly #ioctxs = new Set<IoCtx>();

  private constructor(pointer: bigint) {
    this.#handle = new NativeHandle(pointer, "cluster");
  }

  /**
   * Creates the handle, reads the configuration and connects (off the event loop).
   * Throws RadosError (e.g. ENOENT for a missing conf file, ETIMEDOUT when no monitor answers).
   */
  static async connect(options: ConnectOptions): Promise<Cluster> {
    const lib = radosLib();
    const out = outWord();
    check("rados_create2", lib.rados_create2(out, options.cluster ?? "ceph", options.client ?? "client.admin", 0));
    const pointer = pointerOf(out);
    try {
      if (options.conf !== undefined)
        check("rados_conf_read_file", await blocking(lib.rados_conf_read_file, pointer, options.conf), options.conf);
      const settings = { ...options.options, ...(options.keyring === undefined ? {} : { keyring: options.keyring }) };
      for (const [key, value] of Object.entries(settings))
        check("rados_conf_set", lib.rados_conf_set(pointer, key, value), key);
      check("rados_connect", await blocking(lib.rados_connect, pointer));
    } catch (error) {
      await blocking(lib.rados_shutdown, pointer);
      throw error;
    }
    return new Cluster(pointer);
  }

  /** The cluster's fsid (a UUID), as in `rbd://<fsid>/...` locations. */
  fsid(): Promise<string> {
    return this.#handle.use("rados_cluster_fsid", (pointer) => {
      const buffer = Buffer.alloc(37);
      const length = check("rados_cluster_fsid", radosLib().rados_cluster_fsid(pointer, buffer, buffer.length));
      return buffer.subarray(0, length).toString("latin1");
    });
  }

  /**
   * Opens an I/O context on `pool` (in `namespace` when given). Throws RadosError ENOENT when the
   * pool does not exist.
   */
  async ioctx(pool: string, options: { namespace?: string } = {}): Promise<IoCtx> {
    const lib = radosLib();
    const pointer = await this.#handle.use("rados_ioctx_create", async (cluster) => {
      const out = outWord();
      check("rados_ioctx_create", await blocking(lib.rados_ioctx_create, cluster, pool, out), `pool ${pool}`);
      return pointerOf(out);
    });
    const namespace = options.namespace ?? "";
    if (namespace) lib.rados_ioctx_set_namespace(pointer, namespace);
    const ioctx = new IoCtx(pointer, pool, namespace, (closed) => this.#ioctxs.delete(closed));
    this.#ioctxs.add(ioctx);
    return ioctx;
  }

  /** Closes the I/O contexts still open, then the connection. Idempotent. */
  shutdown(): Promise<void> {
    return this.#handle.release(async (pointer) => {
      for (const ioctx of [...this.#ioctxs]) await ioctx.close();
      await blocking(radosLib().rados_shutdown, pointer);
    });
  }
}
