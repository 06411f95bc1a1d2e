/**
 * `/v2/images` and `/v2/images/{id}`: create, list, show, update (JSON patch), delete, and the
 * deactivate/reactivate actions.
 */
import { badRequest, forbidden, StratusError } from "@stratus/core/errors";
import { glanceNext, type ServiceApp } from "@stratus/core/http";
import { type ImageRouteContext, isAdmin, projectOf } from "./context.js";
import { readCreateBody } from "./create.js";
import { listFilter } from "./list-filter.js";
import { type ImageStatus, newImage } from "./model.js";
import { applyChanges, JSON_PATCH_TYPE, JSON_PATCH_V20_TYPE, parseChanges } from "./patch.js";
import { assertImageCounts, assertMayCreateImage } from "./quota.js";
import { parseSort } from "./sort.js";

type Query = Readonly<Record<string, string | string[] | undefined>>;
type IdParams = { id: string };

const DEFAULT_LIMIT = 25; // Glance's limit_param_default
const MAX_LIMIT = 1000; // Glance's api_limit_max
const one = (q: Query, key: string): string | undefined => {
  const v = q[key];
  return Array.isArray(v) ? v.at(-1) : v;
};

function pageOf(query: Query): { limit: number; marker: string | null } {
  const raw = one(query, "limit");
  if (raw !== undefined && !/^\d+$/.test(raw)) throw badRequest("limit param must be an integer");
  const limit = raw === undefined ? DEFAULT_LIMIT : Math.min(Number(raw), MAX_LIMIT);
  return { limit, marker: one(query, "marker") ?? null };
}

export function registerImageRoutes(app: ServiceApp, ctx: ImageRouteContext): void {
  const { repository } = ctx;

  app.post("/v2/images", async (request, reply) => {
    const input = readCreateBody(request.body, isAdmin(request));
    await assertMayCreateImage(repository, ctx.quotas, projectOf(request));
    const now = ctx.now();
    const id = input.id ?? ctx.newId();
    const image = { ...newImage(id, now, projectOf(request)), ...input.attributes, properties: input.properties };
    assertImageCounts(image, ctx.quotas);
    await repository.create(image);
    reply.header("location", `/v2/images/${id}`);
    if (ctx.importMethods.length > 0) reply.header("openstack-image-import-methods", ctx.importMethods.join(","));
    return reply.code(201).send(ctx.view(request, image));
  });

  app.get("/v2/images", async (request) => {
    const query = request.query as Query;
    const { limit, marker } = pageOf(query);
    const filter = listFilter(query, isAdmin(request), projectOf(request));
    const sort = parseSort(query);
    let images: Awaited<ReturnType<typeof repository.list>>;
    try {
      images = await repository.list({ filter, limit, marker, sort });
    } catch (error) {
      // Glance turns an unknown marker into a 400
      if (StratusError.is(error) && error.code === "not_found") throw badRequest(error.message);
      throw error;
    }
    const { marker: _m, ...rest } = query;
    const firstQuery = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) for (const x of [v ?? []].flat()) firstQuery.append(k, x);
    const first = firstQuery.size === 0 ? "/v2/images" : `/v2/images?${firstQuery}`;
    return {
      images: images.map((image) => ctx.view(request, image)),
      first,
      schema: "/v2/schemas/images",
      ...glanceNext("/v2/images", { items: images, limit, query, markerOf: (i) => i.id }),
    };
  });

  app.get<{ Params: IdParams }>("/v2/images/:id", async (request) =>
    ctx.view(request, await ctx.visibleImage(request, request.params.id)),
  );

  app.patch<{ Params: IdParams }>("/v2/images/:id", async (request) => {
    const type = String(request.headers["content-type"] ?? "")
      .split(";")[0]
      ?.trim();
    if (type !== JSON_PATCH_TYPE && type !== JSON_PATCH_V20_TYPE)
      throw new StratusError(
        "unsupported_media_type",
        `Image PATCH expects Content-Type one of: ${JSON_PATCH_V20_TYPE}, ${JSON_PATCH_TYPE}`,
      );
    const image = await ctx.visibleImage(request, request.params.id);
    ctx.assertMayModify(request, image);
    const changes = parseChanges(request.body, type);
    const updated = await repository.update(image.id, (current) => {
      const next = applyChanges(current, changes, { isAdmin: isAdmin(request) });
      if (next === current) return current;
      assertImageCounts(next, ctx.quotas, current);
      return { ...next, updated_at: ctx.now() };
    });
    return ctx.view(request, updated);
  });

  app.delete<{ Params: IdParams }>("/v2/images/:id", async (request, reply) => {
    const image = await ctx.visibleImage(request, request.params.id);
    ctx.assertMayModify(request, image);
    if (image.protected) throw forbidden(`Image ${image.id} is protected and cannot be deleted.`);
    await ctx.store.delete(image.id);
    await repository.delete(image.id);
    return reply.code(204).send();
  });

  const action = (name: "deactivate" | "reactivate", from: ImageStatus, to: ImageStatus) =>
    app.post<{ Params: IdParams }>(`/v2/images/:id/actions/${name}`, async (request, reply) => {
      const image = await ctx.visibleImage(request, request.params.id);
      // Glance's default policy: an admin, or a member of the owning project
      if (!isAdmin(request) && image.owner !== projectOf(request))
        throw forbidden(`You are not authorized to ${name} this image.`);
      await repository.update(image.id, (current) => {
        if (current.status === to) return current; // idempotent, as Glance
        if (current.status !== from) throw forbidden(`Not allowed to ${name} image in status '${current.status}'`);
        return { ...current, status: to, updated_at: ctx.now() };
      });
      return reply.code(204).send();
    });
  action("deactivate", "active", "deactivated");
  action("reactivate", "deactivated", "active");
}
