/**
 * Per-project image quotas, refused with Glance's 413s and wording:
 * - `images`: Glance's unified limit `image_count_total` (oslo.limit's ProjectOverLimit inside
 *   Glance's LimitExceeded), checked on create;
 * - `bytes`: Glance's `user_storage_quota`, byte-exact: an upload whose Content-Length does not
 *   fit is refused up front, one of unknown length is cut off as soon as it passes the room left
 *   (Glance's LimitingReader), and the total is checked again once the size is known;
 * - `properties` / `tags`: `image_property_quota` / `image_tag_quota` (default 128 each).
 */
import { overQuota, type StratusError } from "@stratus/core/errors";
import type { Image } from "./model.js";
import type { ImageRepository } from "./repository.js";

/**
 * Limits per project; an unset or negative one is no limit (and a `bytes` of 0, as Glance);
 * properties and tags default to 128.
 */
export interface ImageQuotas {
  /** Images a project may own, whatever their status (Glance's `image_count_total`). */
  readonly images?: number;
  /** Bytes of image data a project may store (Glance's `user_storage_quota`). */
  readonly bytes?: number;
  /** Free-form properties per image, `os_glance*` ones not counted (Glance's `image_property_quota`). */
  readonly properties?: number;
  /** Tags per image (Glance's `image_tag_quota`). */
  readonly tags?: number;
}

/** Glance's default `image_property_quota` and `image_tag_quota`. */
export const DEFAULT_PROPERTY_QUOTA = 128;
export const DEFAULT_TAG_QUOTA = 128;

const RESERVED_NS = "os_glance"; // glance.api.common.GLANCE_RESERVED_NS
const limitOf = (value: number | undefined): number | null => (value === undefined || value < 0 ? null : value);

/** Glance's LimitExceeded around oslo.limit's ProjectOverLimit for one resource. */
function projectOverLimit(
  project: string,
  resource: string,
  limit: number,
  usage: number,
  delta: number,
): StratusError {
  return overQuota(
    "The request returned a 413 Request Entity Too Large. This generally means that rate limiting or a quota " +
      `threshold was breached.\n\nThe response body:\nProject ${project} is over a limit for ` +
      `[Resource ${resource} is over limit of ${limit} due to current usage ${usage} and delta ${delta}]`,
  );
}

/** Throws `over_quota` when `project` may not own one more image. Reads the repository's usage. */
export async function assertMayCreateImage(
  repository: ImageRepository,
  quotas: ImageQuotas,
  project: string | null,
): Promise<void> {
  const limit = limitOf(quotas.images);
  if (limit === null || project === null) return;
  const { images } = await repository.usage(project);
  if (images + 1 > limit) throw projectOverLimit(project, "image_count_total", limit, images, 1);
}

const countExceeded = (what: string, attempted: number, maximum: number) =>
  overQuota(
    `The limit has been exceeded on the number of allowed image ${what}. Attempted: ${attempted}, Maximum: ${maximum}`,
  );

/**
 * Throws `over_quota` when `next` has too many tags or properties. With `current` (a PATCH), as
 * Glance: tags are checked only when they were set, properties only when one was added, so an
 * image already over a lowered quota can still lose some.
 */
export function assertImageCounts(next: Image, quotas: ImageQuotas, current?: Image): void {
  const maxTags = limitOf(quotas.tags ?? DEFAULT_TAG_QUOTA);
  if (maxTags !== null && next.tags !== current?.tags && next.tags.length > maxTags)
    throw countExceeded("tags", next.tags.length, maxTags);
  const maxProperties = limitOf(quotas.properties ?? DEFAULT_PROPERTY_QUOTA);
  const keys = Object.keys(next.properties);
  const added = current === undefined || keys.some((k) => !(k in current.properties));
  if (maxProperties === null || !added) return;
  const attempted = keys.filter((k) => !k.startsWith(RESERVED_NS)).length;
  if (attempted > maxProperties) throw countExceeded("properties", attempted, maxProperties);
}

/** Glance's StorageQuotaFull as its upload handler words it (`None` for an unknown size). */
export function storageQuotaFull(size: number | null, remaining: number): StratusError {
  return overQuota(
    `Image exceeds the storage quota: The size of the data ${size ?? "None"} will exceed the limit. ` +
      `${remaining} bytes remaining.`,
  );
}

/**
 * The room `project` has left for image data, or null without a byte quota. Throws
 * `over_quota` when `declared` (the Content-Length) does not fit, or when nothing fits at all.
 */
export async function storageRoom(
  repository: ImageRepository,
  quotas: ImageQuotas,
  project: string | null,
  declared: number | null,
  /** Bytes of the usage that the data being stored replaces (an import's staged size). */
  replaced = 0,
): Promise<number | null> {
  const limit = limitOf(quotas.bytes);
  if (limit === null || limit === 0 || project === null) return null; // Glance: a quota <= 0 is none
  const remaining = limit - (await repository.usage(project)).bytes + replaced;
  if (declared === null ? remaining <= 0 : declared > remaining) throw storageQuotaFull(declared, remaining);
  return remaining;
}

/**
 * The error Glance's LimitingReader raises when an upload passes the room left mid-stream: a
 * StorageQuotaFull built without arguments, so its message keeps the template's placeholders.
 */
export const storageQuotaCutOff = (): StratusError =>
  overQuota(
    "Image exceeds the storage quota: The size of the data %(image_size)s will exceed the limit. " +
      "%(remaining)s bytes remaining.",
  );
