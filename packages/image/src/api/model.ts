/**
 * Glance's image record and its wire view: base attributes with Glance's names, free-form
 * properties flattened to the top level, timestamps as `2026-11-22T08:00:00Z`.
 */

/** Every status Glance's image schema names. */
export const IMAGE_STATUSES = [
  "queued",
  "saving",
  "active",
  "killed",
  "deleted",
  "uploading",
  "importing",
  "pending_delete",
  "deactivated",
] as const;
export type ImageStatus = (typeof IMAGE_STATUSES)[number];

export const VISIBILITIES = ["community", "public", "private", "shared"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const MEMBER_STATUSES = ["pending", "accepted", "rejected"] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** A project an image is shared with (Glance's image member). */
export interface ImageMember {
  readonly image_id: string;
  readonly member_id: string;
  readonly status: MemberStatus;
  /** ISO instants, as on images. */
  readonly created_at: string;
  readonly updated_at: string;
}

/** glance.common.config's default `disk_formats`. */
export const DISK_FORMATS = [
  "ami",
  "ari",
  "aki",
  "vhd",
  "vhdx",
  "vmdk",
  "raw",
  "qcow2",
  "vdi",
  "iso",
  "ploop",
] as const;
/** glance.common.config's default `container_formats`. */
export const CONTAINER_FORMATS = ["ami", "ari", "aki", "bare", "ovf", "ova", "docker", "compressed"] as const;

/** One image as the repository keeps it. */
export interface Image {
  readonly id: string;
  readonly name: string | null;
  readonly status: ImageStatus;
  readonly visibility: Visibility;
  readonly protected: boolean;
  readonly os_hidden: boolean;
  readonly checksum: string | null;
  readonly os_hash_algo: string | null;
  readonly os_hash_value: string | null;
  readonly size: number | null;
  readonly virtual_size: number | null;
  readonly disk_format: string | null;
  readonly container_format: string | null;
  readonly min_disk: number;
  readonly min_ram: number;
  readonly owner: string | null;
  readonly tags: readonly string[];
  /** ISO instants (`Date#toISOString`); rendered without milliseconds. */
  readonly created_at: string;
  readonly updated_at: string;
  /** Free-form properties (strings), shown at the top level. */
  readonly properties: Readonly<Record<string, string>>;
}

/** Attributes that live on the record itself rather than in `properties`. */
export const BASE_ATTRIBUTES = new Set([
  "id",
  "name",
  "status",
  "visibility",
  "protected",
  "os_hidden",
  "checksum",
  "os_hash_algo",
  "os_hash_value",
  "size",
  "virtual_size",
  "disk_format",
  "container_format",
  "min_disk",
  "min_ram",
  "owner",
  "tags",
  "created_at",
  "updated_at",
]);

/** What a client may never write (Glance's RequestDeserializer `_readonly_properties`). */
export const READ_ONLY_ATTRIBUTES = new Set([
  "created_at",
  "updated_at",
  "status",
  "checksum",
  "size",
  "virtual_size",
  "direct_url",
  "self",
  "file",
  "schema",
  "id",
  "os_hash_algo",
  "os_hash_value",
]);

/** What a client may not even send on create (`_disallowed_properties`). */
export const DISALLOWED_ON_CREATE = ["direct_url", "self", "file", "schema", "stores"] as const;

/** Reserved names (`_reserved_properties` and the `os_glance` namespace). */
export const isReserved = (key: string): boolean =>
  key === "location" || key === "deleted" || key === "deleted_at" || key.startsWith("os_glance");

/** Glance's timestamp format: seconds precision, `Z`. */
export const glanceTime = (iso: string): string => `${iso.slice(0, 19)}Z`;

/** A new queued image with Glance's defaults. */
export function newImage(id: string, now: string, owner: string | null): Image {
  return {
    id,
    name: null,
    status: "queued",
    visibility: "shared",
    protected: false,
    os_hidden: false,
    checksum: null,
    os_hash_algo: null,
    os_hash_value: null,
    size: null,
    virtual_size: null,
    disk_format: null,
    container_format: null,
    min_disk: 0,
    min_ram: 0,
    owner,
    tags: [],
    created_at: now,
    updated_at: now,
    properties: {},
  };
}

/** The id of the filesystem store, the default where image data lives. */
export const DEFAULT_STORE_ID = "file";

/** What the image view shows beyond the record: the store holding the data, and its location. */
export interface ImageViewOptions {
  /** The store's id (default `file`). */
  readonly storeId?: string;
  /** The data's location, shown as `direct_url` and `locations` (trusted callers only). */
  readonly location?: string | null;
}

/**
 * The JSON body Glance returns for one image. `stores` (the ids of the stores holding its data,
 * comma-separated) is shown once the image has data, as a Glance with several stores does.
 */
export function imageView(image: Image, options: ImageViewOptions = {}): Record<string, unknown> {
  const hasData = image.status === "active" || image.status === "deactivated";
  const location = hasData ? options.location : undefined;
  const { properties, created_at, updated_at, tags, ...base } = image;
  return {
    ...properties,
    ...base,
    tags: [...tags],
    created_at: glanceTime(created_at),
    updated_at: glanceTime(updated_at),
    ...(hasData ? { stores: options.storeId ?? DEFAULT_STORE_ID } : {}),
    ...(location
      ? {
          direct_url: location,
          locations: [{ url: location, metadata: { store: options.storeId ?? DEFAULT_STORE_ID } }],
        }
      : {}),
    self: `/v2/images/${image.id}`,
    file: `/v2/images/${image.id}/file`,
    schema: "/v2/schemas/image",
  };
}
