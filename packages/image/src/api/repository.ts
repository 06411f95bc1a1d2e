/**
 * The port the image API keeps its records behind. The in-memory implementation is
 * `MemoryImageRepository`; a SQL one passes the same tests.
 */
import type { Image, ImageStatus, Visibility } from "./model.js";
import type { SortSpec } from "./sort.js";

/** What a list may be narrowed by (all given ones must match). */
export interface ImageFilter {
  readonly name?: string;
  readonly status?: ImageStatus;
  readonly visibility?: Visibility;
  /**
   * Only images this project may see: its own and public ones, and community ones when the
   * filter asks for `visibility: community` (Glance does not list them otherwise). Undefined for an admin.
   */
  readonly visibleTo?: string | null;
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
}
