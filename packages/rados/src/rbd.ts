/**
 * Pool-level RBD operations (librbd's `rbd_*` functions on an I/O context): create, list,
 * remove, rename, clone and open images, and RBD namespaces.
 */
import koffi from "koffi";
import { blocking } from "./calls.js";
import type { IoCtx } from "./cluster.js";
import { check } from "./errors.js";
import { featureMask, type ImageFeature } from "./features.js";
import { Image } from "./image.js";
import { outWord, pointerOf, rbdLib, structs } from "./native.js";

/** Options of a new image (`rbd create`) or clone (`rbd clone`). */
export interface CreateOptions {
  /** Feature names; librbd's default (`rbd_default_features`) when omitted. */
  readonly features?: readonly ImageFeature[];
  /** Object size as a power of two (22 = 4 MiB, the default). */
  readonly order?: number;
}

/** Options of a clone. */
export interface CloneOptions extends CreateOptions {
  /** 1: the parent snapshot must be protected; 2: no protection needed (Mimic+). librbd picks when omitted. */
  readonly cloneFormat?: 1 | 2;
}

// rbd_image_option_t
const OPTION = { features: 1, order: 2, cloneFormat: 12 } as const;
const ERANGE = 34;
const SPEC_SIZE = koffi.sizeof(structs.imageSpec);

/** Builds an rbd_image_options_t for the call, destroyed afterwards. */
async function withOptions<T>(options: CloneOptions, fn: (opts: bigint) => Promise<T>): Promise<T> {
  const lib = rbdLib();
  const out = outWord();
  lib.rbd_image_options_create(out);
  const opts = pointerOf(out);
  try {
    const set = (name: keyof typeof OPTION, value: number | bigint) =>
      check("rbd_image_options_set_uint64", lib.rbd_image_options_set_uint64(opts, OPTION[name], value), name);
    if (options.features !== undefined) set("features", featureMask(options.features));
    if (options.order !== undefined) set("order", options.order);
    if (options.cloneFormat !== undefined) set("cloneFormat", options.cloneFormat);
    return await fn(opts);
  } finally {
    lib.rbd_image_options_destroy(opts);
  }
}

function io<T>(ioctx: IoCtx, op: string, fn: (io: bigint) => Promise<T>): Promise<T> {
  return ioctx.handle.use(op, fn);
}

/** Creates image `name` of `size` bytes; EEXIST when the name is taken. */
export function create(ioctx: IoCtx, name: string, size: number, options: CreateOptions = {}): Promise<void> {
  return io(ioctx, "rbd_create4", (p) =>
    withOptions(options, async (opts) => {
      check("rbd_create4", await blocking(rbdLib().rbd_create4, p, name, size, opts), name);
    }),
  );
}

/** The names of the images in the pool (namespace), in no particular order. */
export function list(ioctx: IoCtx): Promise<string[]> {
  const lib = rbdLib();
  return io(ioctx, "rbd_list2", async (p) => {
    for (let room = 64; ; ) {
      const max = outWord();
      max.writeBigUInt64LE(BigInt(room), 0);
      const specs = Buffer.alloc(SPEC_SIZE * room);
      const ret = Number(await blocking(lib.rbd_list2, p, specs, max));
      const count = Number(max.readBigUInt64LE(0));
      if (ret === -ERANGE) {
        room = Math.max(count, room * 2);
        continue;
      }
      check("rbd_list2", ret);
      const names: string[] = [];
      for (let i = 0; i < count; i++)
        names.push(String((koffi.decode(specs, i * SPEC_SIZE, structs.imageSpec) as { name: string }).name));
      lib.rbd_image_spec_list_cleanup(specs, count);
      return names;
    }
  });
}

/**
 * Removes image `name` with its data. ENOENT when missing, ENOTEMPTY when it has snapshots,
 * EBUSY while another client has it open (watchers).
 */
export function remove(ioctx: IoCtx, name: string): Promise<void> {
  return io(ioctx, "rbd_remove", async (p) => {
    check("rbd_remove", await blocking(rbdLib().rbd_remove, p, name), name);
  });
}

/** Renames an image inside its pool; ENOENT when `from` is missing, EEXIST when `to` is taken. */
export function rename(ioctx: IoCtx, from: string, to: string): Promise<void> {
  return io(ioctx, "rbd_rename", async (p) => {
    check("rbd_rename", await blocking(rbdLib().rbd_rename, p, from, to), `${from} -> ${to}`);
  });
}

/**
 * Creates `child` (in `childIoctx`) as a copy-on-write clone of `parent@snap`. EINVAL when the
 * snapshot is not protected and clone v1 is in force; ENOENT when the parent or snapshot is missing.
 */
export function clone(
  parentIoctx: IoCtx,
  parent: string,
  snap: string,
  childIoctx: IoCtx,
  child: string,
  options: CloneOptions = {},
): Promise<void> {
  return io(parentIoctx, "rbd_clone3", (pp) =>
    io(childIoctx, "rbd_clone3", (cp) =>
      withOptions(options, async (opts) => {
        const ret = await blocking(rbdLib().rbd_clone3, pp, parent, snap, cp, child, opts);
        check("rbd_clone3", ret, `${parent}@${snap} -> ${child}`);
      }),
    ),
  );
}

/** Opens image `name` (read-only at `snapshot` when given). ENOENT when missing. Close it after use. */
export function open(ioctx: IoCtx, name: string, options: { snapshot?: string } = {}): Promise<Image> {
  return io(ioctx, "rbd_open", async (p) => {
    const out = outWord();
    const snapshot = options.snapshot ?? null;
    check("rbd_open", await blocking(rbdLib().rbd_open, p, name, out, snapshot), name);
    return new Image(pointerOf(out), name, snapshot);
  });
}

/** Opens `name`, runs `fn` with it and closes it, also when `fn` throws. */
export async function withImage<T>(
  ioctx: IoCtx,
  name: string,
  fn: (image: Image) => Promise<T>,
  options: { snapshot?: string } = {},
): Promise<T> {
  const image = await open(ioctx, name, options);
  try {
    return await fn(image);
  } finally {
    await image.close();
  }
}

/** Creates RBD namespace `name` in the pool (`rbd namespace create`); EEXIST when it exists. */
export function namespaceCreate(ioctx: IoCtx, name: string): Promise<void> {
  return io(ioctx, "rbd_namespace_create", async (p) => {
    check("rbd_namespace_create", await blocking(rbdLib().rbd_namespace_create, p, name), name);
  });
}

/** Removes RBD namespace `name`; ENOTEMPTY while it holds images. */
export function namespaceRemove(ioctx: IoCtx, name: string): Promise<void> {
  return io(ioctx, "rbd_namespace_remove", async (p) => {
    check("rbd_namespace_remove", await blocking(rbdLib().rbd_namespace_remove, p, name), name);
  });
}
