/**
 * `PUT/DELETE /v2/images/{id}/tags/{tag}`: add or remove one tag (204), as the owner. Adding a
 * tag twice is fine; removing an absent one is a 404; past the tag quota a 413 (Glance's
 * `image_tag_quota`, 128 by default).
 */
import { badRequest, forbidden, notFound, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { ImageRouteContext } from "./context.js";
import { assertImageCounts, DEFAULT_TAG_QUOTA } from "./quota.js";

type TagParams = { id: string; tag: string };

export function registerTagRoutes(app: ServiceApp, ctx: ImageRouteContext): void {
  const modifiable = async (request: Parameters<ImageRouteContext["visibleImage"]>[0], id: string, verb: string) => {
    const image = await ctx.visibleImage(request, id);
    try {
      ctx.assertMayModify(request, image);
    } catch (error) {
      if (StratusError.is(error) && error.code === "forbidden")
        throw forbidden(`Not allowed to ${verb} tags for image ${id}.`);
      throw error;
    }
    return image;
  };

  app.put<{ Params: TagParams }>("/v2/images/:id/tags/:tag", async (request, reply) => {
    const { id, tag } = request.params;
    if (tag.length > 255) throw badRequest(`Provided object does not match schema 'image': '${tag}' is too long`);
    await modifiable(request, id, "update");
    await ctx.repository.update(id, (current) => {
      if (current.tags.includes(tag)) return current;
      const next = { ...current, tags: [...current.tags, tag], updated_at: ctx.now() };
      try {
        assertImageCounts(next, { ...ctx.quotas, tags: ctx.quotas.tags ?? DEFAULT_TAG_QUOTA }, current);
      } catch (error) {
        // Glance's tags controller words the quota error its own way
        if (StratusError.is(error))
          throw new StratusError(error.code, `Image tag limit exceeded for image ${id}: ${error.message}:`);
        throw error;
      }
      return next;
    });
    return reply.code(204).send();
  });

  app.delete<{ Params: TagParams }>("/v2/images/:id/tags/:tag", async (request, reply) => {
    const { id, tag } = request.params;
    await modifiable(request, id, "delete");
    await ctx.repository.update(id, (current) => {
      if (!current.tags.includes(tag)) throw notFound("The resource could not be found.");
      return { ...current, tags: current.tags.filter((t) => t !== tag), updated_at: ctx.now() };
    });
    return reply.code(204).send();
  });
}
