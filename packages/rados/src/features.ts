/**
 * RBD image feature bits (rbd/features.h) by the names the `rbd` CLI and ceph.conf use.
 */

/** A feature name as `rbd feature enable` and `rbd_default_features` spell it. */
export type ImageFeature =
  | "layering"
  | "striping"
  | "exclusive-lock"
  | "object-map"
  | "fast-diff"
  | "deep-flatten"
  | "journaling"
  | "data-pool"
  | "operations"
  | "migrating"
  | "non-primary";

const BITS: Readonly<Record<ImageFeature, bigint>> = {
  layering: 1n << 0n,
  striping: 1n << 1n,
  "exclusive-lock": 1n << 2n,
  "object-map": 1n << 3n,
  "fast-diff": 1n << 4n,
  "deep-flatten": 1n << 5n,
  journaling: 1n << 6n,
  "data-pool": 1n << 7n,
  operations: 1n << 8n,
  migrating: 1n << 9n,
  "non-primary": 1n << 10n,
};

/** The bit mask of the named features; throws RangeError on an unknown name. */
export function featureMask(features: readonly ImageFeature[]): bigint {
  let mask = 0n;
  for (const name of features) {
    const bit = BITS[name];
    if (bit === undefined) throw new RangeError(`unknown RBD feature ${name}`);
    mask |= bit;
  }
  return mask;
}

/** The names of the features set in `mask`, in bit order (unknown bits are left out). */
export function featureNames(mask: bigint): ImageFeature[] {
  return (Object.entries(BITS) as [ImageFeature, bigint][]).filter(([, bit]) => mask & bit).map(([name]) => name);
}
