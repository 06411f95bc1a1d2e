/**
 * Glance's interoperable image import: `GET /v2/info/import` and `/v2/info/stores`,
 * `PUT /v2/images/{id}/stage` (bytes to the staging area; queued -> uploading) and
 * `POST /v2/images/{id}/import` (202; importing; the work runs in the background as a task).
 */
import type { Readable } from "node:stream";
import { badRequest, conflict, notFound, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { type ImageRouteContext, projectOf } from "./context.js";
import {
  FAILED_STORES,
  IMPORT_LOCK,
  IMPORTING_STORES,
  type ImportEnvironment,
  runImport,
} from "./import/run-import.js";
import type { ImportRunner } from "./import/runner.js";
import type { Image } from "./model.js";
import type { ImageStore } from "./store.js";
import { uriRefusal } from "./web-download.js";

/** The methods offered when a staging area is configured (Glance's `enabled_import_methods`). */
export const IMPORT_METHODS = ["glance-direct", "web-download"] as const;
type ImportMethod = (typeof IMPORT_METHODS)[number];
type IdParams = { id: string };

/** What the import routes need beyond the image route context. */
export interface ImportRouteDeps {
  /** Absent: no import method is offered. */
  readonly env: ImportEnvironment | null;
  readonly runner: ImportRunner;
}

interface ImportRequest {
  readonly method: ImportMethod;
  readonly uri?: string;
  readonly body: Record<string, unknown>;
}

export function registerImportRoutes(app: ServiceApp, ctx: ImageRouteContext, deps: ImportRouteDeps): void {
  const { env, runner } = deps;
  const methods: readonly string[] = env === null ? [] : IMPORT_METHODS;

  app.get("/v2/info/import", async () => ({
    "import-methods": { description: "Import methods available.", type: "array", value: [...methods] },
  }));
  app.get("/v2/info/stores", async () => {
    if (env === null) throw notFound("Multi backend is not supported at this site.");
    const description = ctx.storeId === "rbd" ? "Image data in Ceph RBD." : "Image data on the local filesystem.";
    return { stores: [{ id: ctx.storeId, description, default: "true" }] };
  });

  app.put<{ Params: IdParams }>("/v2/images/:id/stage", async (request, reply) => {
    if (env === null) throw notFound("'glance-direct' method is not available at this site.");
    const image = await ctx.visibleImage(request, request.params.id);
    ctx.assertMayModify(request, image);
    await stage(ctx, env.staging, image, request.body);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>("/v2/images/:id/import", async (request, reply) => {
    const wanted = readImportBody(request.body, methods);
    const image = await ctx.visibleImage(request, request.params.id);
    if (env === null) throw badRequest(`Unknown import method name '${wanted.method}'.`);
    assertImportable(image, wanted.method);
    ctx.assertMayModify(request, image);
    if (image.properties[IMPORT_LOCK] !== undefined) throw conflict("Image has active task");
    const stores = storesOf(request, wanted.body, ctx.storeId);
    if (wanted.method === "web-download" && uriRefusal(wanted.uri ?? "", env.webDownload) !== null)
      throw badRequest(`URI for web-download does not pass filtering: ${wanted.uri}`);
    const taskId = await claim(ctx, env, request, image, wanted, stores);
    const job = {
      taskId,
      imageId: image.id,
      diskFormat: image.disk_format ?? "",
      method: wanted.method,
      uri: wanted.uri,
    };
    runner.start((signal) => runImport(env, job, signal));
    return reply.code(202).send();
  });

  // Glance drops an image's staged data with the image.
  app.addHook("onSend", async (request, reply, payload) => {
    if (env === null || request.method !== "DELETE" || reply.statusCode !== 204) return payload;
    if (request.routeOptions.url !== "/v2/images/:id") return payload;
    await env.staging.delete((request.params as IdParams).id).catch(() => undefined);
    return payload;
  });
  app.addHook("onClose", async () => runner.close());
}

async function stage(ctx: ImageRouteContext, staging: ImageStore, image: Image, body: unknown): Promise<void> {
  await ctx.repository.update(image.id, (current) => {
    if (current.status !== "queued")
      throw conflict(`Image status transition from ${current.status} to uploading is not allowed`);
    return { ...current, status: "uploading", updated_at: ctx.now() };
  });
  const staged = await staging.begin(image.id);
  try {
    for await (const chunk of (body ?? []) as Readable | AsyncIterable<Uint8Array>) await staged.write(chunk);
    const size = await staged.commit();
    await ctx.repository.update(image.id, (current) => ({ ...current, size, updated_at: ctx.now() }));
  } catch (error) {
    await staged.abort();
    await staging.delete(image.id).catch(() => undefined);
    await ctx.repository
      .update(image.id, (current) => ({ ...current, status: "queued", size: null, updated_at: ctx.now() }))
      .catch(() => undefined); // deleted meanwhile
    throw error;
  }
}

function readImportBody(body: unknown, methods: readonly string[]): ImportRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Body expected in request.");
  const record = body as Record<string, unknown>;
  const method = record["method"];
  if (typeof method !== "object" || method === null) throw badRequest("Import request requires a 'method' field.");
  const name = (method as Record<string, unknown>)["name"];
  if (name === undefined) throw badRequest("Import request requires a 'name' field.");
  if (typeof name !== "string" || !methods.includes(name)) throw badRequest(`Unknown import method name '${name}'.`);
  for (const [key, fallback] of [
    ["all_stores_must_succeed", true],
    ["all_stores", false],
  ] as const) {
    if (typeof (record[key] ?? fallback) !== "boolean") throw badRequest(`'${key}' must be boolean value only`);
  }
  const uri = (method as Record<string, unknown>)["uri"];
  if (uri !== undefined && (typeof uri !== "string" || name !== "web-download"))
    throw badRequest('URI is only supported with method: "web-download"');
  if (name === "web-download" && typeof uri !== "string")
    throw badRequest("URI for web-download does not pass filtering: None");
  return { method: name as ImportMethod, body: record, ...(typeof uri === "string" ? { uri } : {}) };
}

/** Glance's status and format preconditions, each a 409. */
function assertImportable(image: Image, method: ImportMethod): void {
  if (image.status === "active") throw conflict("Image with status active cannot be target for import");
  if (method === "web-download" && image.status !== "queued")
    throw conflict("Image needs to be in 'queued' state to use 'web-download' method");
  if (method === "glance-direct" && image.status !== "uploading")
    throw conflict("Image needs to be staged before 'glance-direct' method can be used");
  if (!image.container_format) throw conflict("'container_format' needs to be set before import");
  if (!image.disk_format) throw conflict("'disk_format' needs to be set before import");
}

/** Glance's `get_stores_from_request` with our single store. */
function storesOf(request: FastifyRequest, body: Record<string, unknown>, storeId: string): string[] {
  const header = request.headers["x-image-meta-store"];
  let stores: unknown;
  if (body["all_stores"] === true) {
    if (body["stores"] !== undefined || header !== undefined)
      throw badRequest("All_stores parameter can't be used with x-image-meta-store header or stores parameter");
    stores = [storeId];
  } else if (body["stores"] !== undefined) {
    if (header !== undefined)
      throw badRequest("Stores parameter and x-image-meta-store header can't be both specified");
    stores = body["stores"];
  } else {
    stores = [typeof header === "string" ? header : storeId];
  }
  if (!Array.isArray(stores) || stores.some((s) => typeof s !== "string"))
    throw badRequest("Invalid stores parameter: a list of store identifiers expected.");
  for (const store of stores) if (store !== storeId) throw conflict(`Unknown scheme '${store}' found in URI`);
  return stores as string[];
}

/** Creates the task and takes the image's import lock in one guarded update; returns the task id. */
async function claim(
  ctx: ImageRouteContext,
  env: ImportEnvironment,
  request: FastifyRequest,
  image: Image,
  wanted: ImportRequest,
  stores: readonly string[],
): Promise<string> {
  const now = ctx.now();
  const taskId = ctx.newId();
  await env.tasks.create({
    id: taskId,
    type: "api_image_import",
    status: "pending",
    input: { image_id: image.id, import_req: wanted.body, backend: [...stores] },
    result: null,
    message: "",
    owner: projectOf(request),
    image_id: image.id,
    request_id: request.auth?.requestId ?? null,
    user_id: request.auth?.userId ?? null,
    expires_at: null,
    created_at: now,
    updated_at: now,
  });
  try {
    await ctx.repository.update(image.id, (current) => {
      if (current.properties[IMPORT_LOCK] !== undefined)
        throw conflict(`New operation on image '${image.id}' is not permitted as prior operation is still in progress`);
      assertImportable(current, wanted.method);
      const { [FAILED_STORES]: _failed, ...properties } = current.properties;
      return {
        ...current,
        status: "importing",
        properties: { ...properties, [IMPORT_LOCK]: taskId, [IMPORTING_STORES]: ctx.storeId, [FAILED_STORES]: "" },
        updated_at: now,
      };
    });
  } catch (error) {
    const message = StratusError.is(error) ? error.message : "Task failed due to Internal Error";
    await env.tasks.update(taskId, (t) => ({ ...t, status: "failure", message, updated_at: now }));
    throw error;
  }
  return taskId;
}
