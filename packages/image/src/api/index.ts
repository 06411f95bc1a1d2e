/**
 * The Glance v2 image API on a core http app (`service: "image"` for Glance's fault bodies).
 *
 * ```ts
 * import { createServiceApp } from "@stratus/core/http";
 * import { FilesystemStore, MemoryImageRepository, registerImageRoutes } from "@stratus/image/api";
 * const app = createServiceApp({ service: "image", authenticator, identityUri });
 * registerImageRoutes(app, { repository: new MemoryImageRepository(), store: new FilesystemStore({ directory }) });
 * await app.listen({ host: "127.0.0.1", port: 9292 });
 * ```
 */
import type { ServiceApp } from "@stratus/core/http";
import { type ImageApiDeps, routeContext } from "./context.js";
import { registerDataRoutes } from "./data-routes.js";
import { registerImageRoutes as registerImageResourceRoutes } from "./image-routes.js";
import { importEnvironment } from "./import/environment.js";
import { ImportRunner } from "./import/runner.js";
import { registerImportRoutes } from "./import-routes.js";
import { registerMemberRoutes } from "./member-routes.js";
import { memberSchema, membersSchema } from "./member-schemas.js";
import { imageSchema, imagesSchema } from "./schemas.js";
import { registerTagRoutes } from "./tag-routes.js";
import { registerTaskRoutes } from "./task-routes.js";
import { MemoryTaskRepository } from "./tasks.js";

export type { ImageApiDeps } from "./context.js";
export { FilesystemStore, type FilesystemStoreOptions } from "./fs-store.js";
export { CONVERSION_FORMATS, type ConversionFormat, type ImageConversionOptions } from "./import/convert-step.js";
export { FAILED_STORES, IMPORT_LOCK, IMPORTING_STORES } from "./import/run-import.js";
export { ImportRunner } from "./import/runner.js";
export { IMPORT_METHODS } from "./import-routes.js";
export { DEFAULT_MEMBER_QUOTA, memberView } from "./member-routes.js";
export { memberSchema, membersSchema } from "./member-schemas.js";
export { MemoryImageRepository, matchesFilter } from "./memory-repository.js";
export {
  CONTAINER_FORMATS,
  DISK_FORMATS,
  IMAGE_STATUSES,
  type Image,
  type ImageMember,
  type ImageStatus,
  imageView,
  MEMBER_STATUSES,
  type MemberStatus,
  VISIBILITIES,
  type Visibility,
} from "./model.js";
export { JSON_PATCH_TYPE } from "./patch.js";
export { DEFAULT_PROPERTY_QUOTA, DEFAULT_TAG_QUOTA, type ImageQuotas } from "./quota.js";
export { RBD_SNAPSHOT, RbdImageStore, type RbdImageStoreOptions } from "./rbd-store.js";
export type { ImageFilter, ImageListRequest, ImageRepository, ImageUsage } from "./repository.js";
export { imageSchema, imagesSchema } from "./schemas.js";
export { SqlImageRepository } from "./sql-repository.js";
export { SqlTaskRepository } from "./sql-tasks.js";
export type { ByteRange, ImageStore, StagedWrite } from "./store.js";
export {
  type ImageTask,
  MemoryTaskRepository,
  TASK_STATUSES,
  type TaskListRequest,
  type TaskRepository,
  type TaskStatus,
} from "./tasks.js";
export { receiveImageData, type UploadResult } from "./upload.js";
export { addressRefusal, uriRefusal, type WebDownloadOptions } from "./web-download.js";

/** Registers every Glance v2 image route and the image schemas on `app`. */
export function registerImageRoutes(app: ServiceApp, deps: ImageApiDeps): void {
  const ctx = routeContext(deps);
  // Glance accepts its JSON patch media type as JSON.
  app.addContentTypeParser(
    ["application/openstack-images-v2.1-json-patch", "application/openstack-images-v2.0-json-patch"],
    { parseAs: "string" },
    app.getDefaultJsonParser("error", "error"),
  );
  registerImageResourceRoutes(app, ctx);
  registerDataRoutes(app, ctx);
  registerTagRoutes(app, ctx);
  registerMemberRoutes(app, ctx, deps.imageMemberQuota);
  const tasks = deps.tasks ?? new MemoryTaskRepository();
  registerImportRoutes(app, ctx, {
    env: importEnvironment(deps, ctx, tasks),
    runner: deps.imports ?? new ImportRunner(),
  });
  registerTaskRoutes(app, ctx, tasks);
  app.get("/v2/schemas/image", async () => imageSchema());
  app.get("/v2/schemas/images", async () => imagesSchema());
  app.get("/v2/schemas/member", async () => memberSchema());
  app.get("/v2/schemas/members", async () => membersSchema());
}
