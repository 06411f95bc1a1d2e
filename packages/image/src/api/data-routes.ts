/**
 * `PUT/GET /v2/images/{id}/file`: the upload streams through hashing, inspection and the store
 * in one pass (the image is `saving` meanwhile, `active` after, back to `queued` on any failure
 * with nothing kept); the download streams the stored bytes with `Content-MD5`, or one `Range`
 * of them (206).
 */

import { Readable } from "node:stream";
import { badRequest, conflict, forbidden } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { type ImageRouteContext, isAdmin, projectOf } from "./context.js";
import { storageQuotaCutOff, storageRoom } from "./quota.js";
import { contentRange, requestedRange } from "./range.js";
import { receiveImageData } from "./upload.js";

type IdParams = { id: string };

/** The upload's Content-Length, or null when it is chunked (or the header is not a byte count). */
const declaredLength = (header: string | undefined): number | null =>
  header !== undefined && /^\d+$/.test(header) ? Number(header) : null;

export function registerDataRoutes(app: ServiceApp, ctx: ImageRouteContext): void {
  const { repository, store } = ctx;
  // The body is handed over as the raw stream: no buffering and no body limit (the store has one).
  app.addContentTypeParser("application/octet-stream", (_request, payload, done) => done(null, payload));

  app.put<{ Params: IdParams }>("/v2/images/:id/file", async (request, reply) => {
    const image = await ctx.visibleImage(request, request.params.id);
    ctx.assertMayModify(request, image);
    if (image.disk_format === null || image.container_format === null)
      throw badRequest("Properties disk_format, container_format must be set prior to saving data.");
    // Claim the image: only a queued one may take data, and only one upload at a time.
    await repository.update(image.id, (current) => {
      if (current.status !== "queued")
        throw conflict(`Image status transition from ${current.status} to saving is not allowed`);
      return { ...current, status: "saving", updated_at: ctx.now() };
    });
    try {
      const body = (request.body ?? (async function* () {})()) as Readable | AsyncIterable<Uint8Array>;
      const project = projectOf(request);
      const room = await storageRoom(
        repository,
        ctx.quotas,
        project,
        declaredLength(request.headers["content-length"]),
      );
      const result = await receiveImageData(store, image.id, image.disk_format, body, {
        allowRawContent: ctx.allowRawContent,
        ...(room === null ? {} : { limit: { bytes: room, tooMany: storageQuotaCutOff } }),
      });
      // as Glance, again once the size is known: a concurrent upload may have taken the room
      await storageRoom(repository, ctx.quotas, project, result.size);
      await repository.update(image.id, (current) => ({
        ...current,
        status: "active",
        size: result.size,
        virtual_size: result.virtualSize,
        checksum: result.checksum,
        os_hash_algo: result.osHashAlgo,
        os_hash_value: result.osHashValue,
        updated_at: ctx.now(),
      }));
    } catch (error) {
      // The image was claimed as `saving`, so any bytes under its id are this upload's (committed
      // just before the record could not be updated, e.g. the image was deleted meanwhile).
      await store.delete(image.id).catch(() => undefined);
      await repository
        .update(image.id, (current) => ({ ...current, status: "queued", updated_at: ctx.now() }))
        .catch(() => undefined); // deleted meanwhile: nothing to put back
      // refused before its end (a quota, the size cap): close rather than read the rest
      if (!request.raw.readableEnded) reply.header("connection", "close");
      throw error;
    }
    return reply.code(204).send();
  });

  app.get<{ Params: IdParams }>("/v2/images/:id/file", async (request, reply) => {
    const image = await ctx.visibleImage(request, request.params.id);
    if (image.status === "deactivated" && !isAdmin(request))
      throw forbidden("The requested image has been deactivated. Image data download is forbidden.");
    const hasData = (image.status === "active" || image.status === "deactivated") && image.size !== null;
    const range = hasData ? requestedRange(request.headers.range, image.size ?? 0) : null;
    // an empty image's suffix range (`bytes=-n`) is Glance's "bytes 0--1/0": nothing to read
    const empty = range !== null && range.end < range.start;
    const data = hasData ? (empty ? Buffer.alloc(0) : await store.read(image.id, range ?? undefined)) : null;
    if (data === null) return reply.code(204).send();
    reply.header("content-type", "application/octet-stream");
    if (image.checksum !== null) reply.header("content-md5", image.checksum);
    // any store's AsyncIterable as a Node stream (Fastify streams Readables, not iterables)
    const body = data instanceof Readable ? data : Readable.from(data, { objectMode: false });
    if (range === null) return reply.code(200).header("content-length", image.size).send(body);
    reply.header("content-range", contentRange(range, image.size ?? 0));
    reply.header("content-length", range.end - range.start + 1);
    return reply.code(206).send(body);
  });
}
