/**
 * `PUT/DELETE /v2/images/{id}/tags/{tag}`: add or remove one tag (204), as the owner. Adding a
 * tag twice is fine; removing an absent one is a 404; past `maxTags` a 413 (Glance's
 * `image_tag_quota`, 128 by default).
 */
import { badRequest, forbidden, notFound, payloadTooLarge, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { ImageRouteContext } from "./context.js";

type TagParams = { id: string; tag: string };

/** Glance's default `image_tag_quota`. */
export const DEFAULT_MAX_TAGS = 128;

export function registerTagRoutes(app: ServiceApp, ctx: ImageRouteContext, maxTags = DEFAULT_MAX_TAGS): void {
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
      if (current.tags.length + 1 > maxTags)
        throw payloadTooLarge(
          `Image tag limit exceeded for image ${id}: The limit has been exceeded on the number of allowed image tags. Attempted: ${current.tags.length + 1}, Maximum: ${maxTags}:`,
        );
      return { ...current, tags: [...current.tags, tag], updated_at: ctx.now() };
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
