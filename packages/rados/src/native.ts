/**
 * The C functions of librados.so.2 and librbd.so.1 this package calls, declared once for koffi.
 * Opaque handles (rados_t, rados_ioctx_t, rbd_image_t, rbd_image_options_t) are `void *`, which
 * koffi 3 hands over as bigint; out-parameters are small Buffers the caller decodes.
 * Loaded on first use, so importing the package works on a machine without Ceph.
 */
import koffi from "koffi";
import type { NativeFunction } from "./calls.js";

const RADOS = {
  rados_create2: "int rados_create2(void *pcluster, const char *clustername, const char *name, uint64_t flags)",
  rados_conf_read_file: "int rados_conf_read_file(void *cluster, const char *path)",
  rados_conf_set: "int rados_conf_set(void *cluster, const char *option, const char *value)",
  rados_connect: "int rados_connect(void *cluster)",
  rados_shutdown: "void rados_shutdown(void *cluster)",
  rados_cluster_fsid: "int rados_cluster_fsid(void *cluster, void *buf, size_t len)",
  rados_ioctx_create: "int rados_ioctx_create(void *cluster, const char *pool, void *ioctx)",
  rados_ioctx_destroy: "void rados_ioctx_destroy(void *ioctx)",
  rados_ioctx_set_namespace: "void rados_ioctx_set_namespace(void *ioctx, const char *nspace)",
} as const;

const RBD = {
  rbd_image_options_create: "void rbd_image_options_create(void *opts)",
  rbd_image_options_destroy: "void rbd_image_options_destroy(void *opts)",
  rbd_image_options_set_uint64: "int rbd_image_options_set_uint64(void *opts, int optname, uint64_t value)",
  rbd_create4: "int rbd_create4(void *io, const char *name, uint64_t size, void *opts)",
  rbd_clone3:
    "int rbd_clone3(void *p_io, const char *p_name, const char *p_snap, void *c_io, const char *c_name, void *opts)",
  rbd_list2: "int rbd_list2(void *io, void *images, void *max_images)",
  rbd_image_spec_list_cleanup: "void rbd_image_spec_list_cleanup(void *images, size_t n)",
  rbd_remove: "int rbd_remove(void *io, const char *name)",
  rbd_rename: "int rbd_rename(void *io, const char *src, const char *dest)",
  rbd_namespace_create: "int rbd_namespace_create(void *io, const char *name)",
  rbd_namespace_remove: "int rbd_namespace_remove(void *io, const char *name)",
  rbd_open: "int rbd_open(void *io, const char *name, void *image, const char *snap)",
  rbd_close: "int rbd_close(void *image)",
  rbd_stat: "int rbd_stat(void *image, void *info, size_t infosize)",
  rbd_get_size: "int rbd_get_size(void *image, void *size)",
  rbd_get_features: "int rbd_get_features(void *image, void *features)",
  rbd_resize: "int rbd_resize(void *image, uint64_t size)",
  rbd_read: "int64_t rbd_read(void *image, uint64_t ofs, size_t len, void *buf)",
  rbd_write: "int64_t rbd_write(void *image, uint64_t ofs, size_t len, void *buf)",
  rbd_flush: "int rbd_flush(void *image)",
  rbd_snap_create: "int rbd_snap_create(void *image, const char *name)",
  rbd_snap_remove: "int rbd_snap_remove(void *image, const char *name)",
  rbd_snap_protect: "int rbd_snap_protect(void *image, const char *name)",
  rbd_snap_unprotect: "int rbd_snap_unprotect(void *image, const char *name)",
  rbd_snap_is_protected: "int rbd_snap_is_protected(void *image, const char *name, void *is_protected)",
  rbd_snap_list: "int rbd_snap_list(void *image, void *snaps, void *max_snaps)",
  rbd_snap_list_end: "void rbd_snap_list_end(void *snaps)",
  rbd_list_children3: "int rbd_list_children3(void *image, void *images, void *max_images)",
  rbd_linked_image_spec_list_cleanup: "void rbd_linked_image_spec_list_cleanup(void *images, size_t n)",
} as const;

export type RadosFunctions = { readonly [K in keyof typeof RADOS]: NativeFunction };
export type RbdFunctions = { readonly [K in keyof typeof RBD]: NativeFunction };

function bind<T extends Record<string, string>>(file: string, table: T): { readonly [K in keyof T]: NativeFunction } {
  const lib = koffi.load(file);
  const out: Record<string, NativeFunction> = {};
  for (const [name, prototype] of Object.entries(table)) out[name] = lib.func(prototype);
  return out as { readonly [K in keyof T]: NativeFunction };
}

let rados: RadosFunctions | undefined;
let rbd: RbdFunctions | undefined;

/** librados' functions; throws when librados.so.2 is missing (Debian package librados2). */
export function radosLib(): RadosFunctions {
  rados ??= bind("librados.so.2", RADOS);
  return rados;
}

/** librbd's functions; throws when librbd.so.1 is missing (Debian package librbd1). */
export function rbdLib(): RbdFunctions {
  rbd ??= bind("librbd.so.1", RBD);
  return rbd;
}

/** The `struct { ... }` layouts read from librbd's out-parameters. */
export const structs = {
  /** rbd_image_spec_t */
  imageSpec: koffi.struct({ id: "char *", name: "char *" }),
  /** rbd_snap_info_t */
  snapInfo: koffi.struct({ id: "uint64_t", size: "uint64_t", name: "char *" }),
  /** rbd_linked_image_spec_t */
  linkedImageSpec: koffi.struct({
    pool_id: "int64_t",
    pool_name: "char *",
    pool_namespace: "char *",
    image_id: "char *",
    image_name: "char *",
    trash: "bool",
  }),
  /** rbd_image_info_t */
  imageInfo: koffi.struct({
    size: "uint64_t",
    obj_size: "uint64_t",
    num_objs: "uint64_t",
    order: "int",
    block_name_prefix: "char[24]",
    parent_pool: "int64_t",
    parent_name: "char[96]",
  }),
};

/** Reads the pointer a `T **` out-parameter received. */
export const pointerOf = (out: Buffer): bigint => out.readBigUInt64LE(0);

/** A zeroed buffer for a `T **` or `uint64_t *` out-parameter. */
export const outWord = (): Buffer => Buffer.alloc(8);
