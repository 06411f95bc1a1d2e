/**
 * @stratus/rados: librados/librbd for TypeScript, over the system libraries (koffi), with every
 * blocking call on a worker thread and errors as `RadosError` carrying the errno name.
 *
 * ```ts
 * import { Cluster, rbd } from "@stratus/rados";
 * const cluster = await Cluster.connect({ conf: "/etc/ceph/ceph.conf", client: "client.glance" });
 * const ioctx = await cluster.ioctx("images");
 * await rbd.create(ioctx, "disk", 1 << 30, { features: ["layering"] });
 * await rbd.withImage(ioctx, "disk", async (image) => {
 *   await image.write(0, Buffer.from("hello"));
 *   await image.snapCreate("snap");
 * });
 * await cluster.shutdown();
 * ```
 */
export { callConcurrency } from "./calls.js";
export { Cluster, type ConnectOptions, IoCtx } from "./cluster.js";
export { isRadosError, RadosError } from "./errors.js";
export { featureMask, featureNames, type ImageFeature } from "./features.js";
export { type ChildImage, Image, type ImageStat, type SnapshotInfo } from "./image.js";
export type { CloneOptions, CreateOptions } from "./rbd.js";
export * as rbd from "./rbd.js";
