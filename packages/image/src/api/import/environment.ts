/**
 * The import environment an app's deps describe, or null when they name no staging area.
 */
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageApiDeps, ImageRouteContext } from "../context.js";
import type { TaskRepository } from "../tasks.js";
import type { ImportEnvironment } from "./run-import.js";

/** Builds the environment of `runImport` from the app's deps; null without `deps.staging`. */
export function importEnvironment(
  deps: ImageApiDeps,
  ctx: ImageRouteContext,
  tasks: TaskRepository,
): ImportEnvironment | null {
  if (deps.staging === undefined) return null;
  return {
    repository: deps.repository,
    store: deps.store,
    staging: deps.staging,
    tasks,
    now: ctx.now,
    conversion: deps.conversion,
    allowRawContent: ctx.allowRawContent,
    quotas: ctx.quotas,
    webDownload: deps.webDownload,
    workDir: deps.conversionWorkDir ?? join(tmpdir(), `stratus-image-convert-${process.pid}`),
  };
}
