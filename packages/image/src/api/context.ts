/**
 * What every image route shares: the ports, the clock, and the caller's view of an image.
 */
import { randomUUID } from "node:crypto";
import { forbidden, notFound } from "@stratus/core/errors";
import type { FastifyRequest } from "fastify";
import type { ImageConversionOptions } from "./import/convert-step.js";
import type { ImportRunner } from "./import/runner.js";
import { DEFAULT_STORE_ID, type Image, imageView } from "./model.js";
import type { ImageQuotas } from "./quota.js";
import type { ImageRepository } from "./repository.js";
import type { ImageStore } from "./store.js";
import type { TaskRepository } from "./tasks.js";
import type { WebDownloadOptions } from "./web-download.js";

export interface ImageApiDeps {
  /** Where image records live. */
  readonly repository: ImageRepository;
  /** Where image bytes live. */
  readonly store: ImageStore;
  /** The clock (default: `new Date()`). */
  readonly now?: () => Date;
  /** New image ids (default: random UUIDs). */
  readonly newId?: () => string;
  /** The import staging area (Glance's `os_glance_staging_store`); without it no import method is offered. */
  readonly staging?: ImageStore;
  /** Where import tasks live (default: in memory). */
  readonly tasks?: TaskRepository;
  /** Convert every imported image to this format (Glance's `[image_conversion] output_format`). */
  readonly conversion?: ImageConversionOptions;
  /** Where conversions write their files (default: a directory under the OS temp dir). */
  readonly conversionWorkDir?: string;
  /** The web-download method's filters and limits (Glance's `import_filtering_opts`). */
  readonly webDownload?: WebDownloadOptions;
  /** Runs the imports in the background; pass one to await them (`idle()`), e.g. in tests. */
  readonly imports?: ImportRunner;
  /**
   * Glance's `[image_format] require_image_format_match` (default true). False lets content with
   * no recognized container pass under any declared disk_format; every safety check still runs.
   */
  readonly requireFormatMatch?: boolean;
  /** Glance's `image_member_quota`: members per image (default 128; negative for no limit). */
  readonly imageMemberQuota?: number;
  /** Per-project image count and bytes, per-image properties and tags (see quota.ts). */
  readonly quotas?: ImageQuotas;
}

export interface ImageRouteContext {
  readonly repository: ImageRepository;
  readonly store: ImageStore;
  /** The store's id (`file` unless the store names another). */
  readonly storeId: string;
  /** The image's JSON for this caller: `direct_url` and `locations` for trusted callers only. */
  view(request: FastifyRequest, image: Image): Record<string, unknown>;
  /** Whether uploads of plain raw content pass under another declared disk_format. */
  readonly allowRawContent: boolean;
  /** The import methods offered (Glance's `enabled_import_methods`); empty without a staging area. */
  readonly importMethods: readonly string[];
  /** The quotas (empty: Glance's defaults, 128 properties and tags, no project limits). */
  readonly quotas: ImageQuotas;
  /** The current instant as an ISO string. */
  now(): string;
  newId(): string;
  /** The image if the caller may see it; throws `not_found` as Glance does for hidden ones. */
  visibleImage(request: FastifyRequest, id: string): Promise<Image>;
  /** Throws `forbidden` unless the caller is an admin or the image's owner. */
  assertMayModify(request: FastifyRequest, image: Image): void;
}

export const isAdmin = (request: FastifyRequest): boolean => request.auth?.isAdmin === true;
/**
 * Whether the caller may see where image data lives (Glance's `get_image_location` policy in its
 * secure defaults: admins and services).
 */
export const isTrusted = (request: FastifyRequest): boolean =>
  isAdmin(request) || (request.auth?.roles ?? []).includes("service");

export const projectOf = (request: FastifyRequest): string | null => request.auth?.projectId ?? null;

/** Whether a non-admin project sees an image without being a member (own, public, community). */
export const visibleTo = (image: Image, project: string | null): boolean =>
  image.visibility === "public" || image.visibility === "community" || image.owner === project;

export function routeContext(deps: ImageApiDeps): ImageRouteContext {
  const now = deps.now ?? (() => new Date());
  return {
    repository: deps.repository,
    store: deps.store,
    storeId: deps.store.id ?? DEFAULT_STORE_ID,
    view(request, image) {
      const location = isTrusted(request) ? (deps.store.locationOf?.(image.id) ?? null) : null;
      return imageView(image, { storeId: deps.store.id ?? DEFAULT_STORE_ID, location });
    },
    allowRawContent: deps.requireFormatMatch === false,
    importMethods: deps.staging === undefined ? [] : ["glance-direct", "web-download"],
    quotas: deps.quotas ?? {},
    now: () => now().toISOString(),
    newId: deps.newId ?? randomUUID,
    async visibleImage(request, id) {
      const image = await deps.repository.get(id);
      if (image !== null && (isAdmin(request) || visibleTo(image, projectOf(request)))) return image;
      // a member sees a shared image whatever its member status (Glance lists it only once accepted)
      const project = projectOf(request);
      if (image !== null && image.visibility === "shared" && project !== null) {
        if ((await deps.repository.getMember(image.id, project)) !== null) return image;
      }
      throw notFound(`No image found with ID ${id}`);
    },
    assertMayModify(request, image) {
      if (!isAdmin(request) && image.owner !== projectOf(request))
        throw forbidden("You are not authorized to complete this action.");
    },
  };
}
