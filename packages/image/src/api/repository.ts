/**
 * The port the image API keeps its records behind. The in-memory implementation is
 * `MemoryImageRepository`; a SQL one passes the same tests.
 */
import type { Image, ImageMember, ImageStatus, MemberStatus, Visibility } from "./model.js";
import type { SortSpec } from "./sort.js";

/** `created_at`/`updated_at` compared with an instant (ISO, milliseconds). */
export interface TimeComparison {
  readonly op: "eq" | "neq" | "gt" | "gte" | "lt" | "lte";
  readonly at: string;
}

/** What a list may be narrowed by (all given ones must match). */
export interface ImageFilter {
  readonly name?: string;
  /** The name is one of these (`name=in:a,b`). */
  readonly names?: readonly string[];
  /** The id is one of these (`id=in:a,b` or `id=a`). */
  readonly ids?: readonly string[];
  readonly diskFormat?: string;
  readonly containerFormat?: string;
  readonly owner?: string;
  readonly checksum?: string;
  readonly osHashValue?: string;
  readonly protected?: boolean;
  /** Exact size, and the inclusive bounds `size_min`/`size_max` (images without data never match). */
  readonly size?: number;
  readonly sizeMin?: number;
  readonly sizeMax?: number;
  readonly minDisk?: number;
  readonly minRam?: number;
  /** Every one of these tags. */
  readonly tags?: readonly string[];
  /** Free-form properties with exactly these values. */
  readonly properties?: Readonly<Record<string, string>>;
  readonly createdAt?: TimeComparison;
  readonly updatedAt?: TimeComparison;
  readonly status?: ImageStatus;
  readonly visibility?: Visibility;
  /**
   * Only images this project may see: its own and public ones, and community ones when the
   * filter asks for `visibility: community` (Glance does not list them otherwise). Undefined for an admin.
   */
  readonly visibleTo?: string | null;
  /**
   * With `visibleTo`: which of the `shared` images that project is a member of are listed, by the
   * member's status (Glance's `member_status`, default `accepted`; `all` for any).
   */
  readonly memberStatus?: MemberStatus | "all";
  /** Only images whose `os_hidden` is this (Glance lists `false` unless asked). */
  readonly osHidden?: boolean;
}

export interface ImageListRequest {
  readonly filter: ImageFilter;
  /** At most this many. */
  readonly limit: number;
  /** Start after the image with this id; throws `not_found` if it does not exist. */
  readonly marker: string | null;
  /** The order (default `created_at desc`); ties are broken by id. */
  readonly sort?: readonly SortSpec[];
}

export interface ImageRepository {
  /** The image with `id`, or null. Never returns deleted images. */
  get(id: string): Promise<Image | null>;
  /** Adds a new image; throws `conflict` if the id is taken. */
  create(image: Image): Promise<void>;
  /**
   * Replaces the image with `id` by `change(current)`, atomically; returns the new record.
   * Throws `not_found` when absent; whatever `change` throws propagates and nothing is written.
   */
  update(id: string, change: (current: Image) => Image): Promise<Image>;
  /** Removes the image; returns false if it was absent. Idempotent. */
  delete(id: string): Promise<boolean>;
  /** Images matching the filter in the asked order, one page. */
  list(request: ImageListRequest): Promise<readonly Image[]>;
  /** How many images `owner` has and the sum of their sizes in bytes (for quotas). */
  usage(owner: string): Promise<ImageUsage>;

  /** Adds a member; throws `not_found` if the image is absent and `conflict` if the member exists. */
  addMember(member: ImageMember): Promise<void>;
  /** One member of an image, or null. */
  getMember(imageId: string, memberId: string): Promise<ImageMember | null>;
  /** The image's members, oldest first (ties by member id). */
  listMembers(imageId: string): Promise<readonly ImageMember[]>;
  /** Like `update`, for a member; throws `not_found` when absent. */
  updateMember(imageId: string, memberId: string, change: (current: ImageMember) => ImageMember): Promise<ImageMember>;
  /** Removes a member; returns false if it was absent. Deleting an image removes its members too. */
  deleteMember(imageId: string, memberId: string): Promise<boolean>;
}

export interface ImageUsage {
  readonly images: number;
  /** Sum of `size` over the owner's images (images without data count 0). */
  readonly bytes: number;
}
