/**
 * `/v2.0/<resources>/:id/tags[/:tag]`: the standard-attr-tag routes for every taggable collection.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { ProjectOwned, StandardAttrs } from "../domain/model.js";
import type { Caller } from "../service/context.js";
import { type TaggableKind, TagService, validateTag, validateTags } from "../service/tags.js";
import { type ApiSettings, callerOf } from "./resource-routes.js";

export interface TaggableCollection {
  /** The path segment (`networks`, `security-groups`). */
  readonly path: string;
  readonly kind: TaggableKind;
  /** The record if the caller may see it; throws the kind's 404. */
  get(caller: Caller, id: string): Promise<StandardAttrs & ProjectOwned>;
}

export function registerTagRoutes(
  app: ServiceApp,
  settings: ApiSettings,
  tags: TagService,
  collections: readonly TaggableCollection[],
): void {
  for (const c of collections) {
    const base = `/v2.0/${c.path}/:id/tags`;
    const load = async (request: { params: unknown }, caller: Caller) =>
      c.get(caller, (request.params as { id: string }).id);

    app.get(base, async (request) => ({ tags: (await load(request, callerOf(request, settings))).tags }));
    app.put(base, async (request) => {
      const caller = callerOf(request, settings);
      const record = await load(request, caller);
      const wanted = validateTags((request.body as { tags?: unknown } | undefined)?.tags);
      return { tags: await tags.change(caller, c.kind, record, () => wanted) };
    });
    app.delete(base, async (request, reply) => {
      const caller = callerOf(request, settings);
      await tags.change(caller, c.kind, await load(request, caller), () => []);
      return reply.code(204).send();
    });
    app.get(`${base}/:tag`, async (request, reply) => {
      const record = await load(request, callerOf(request, settings));
      TagService.assertHas(c.kind, record, (request.params as { tag: string }).tag);
      return reply.code(204).send();
    });
    app.put(`${base}/:tag`, async (request, reply) => {
      const caller = callerOf(request, settings);
      const tag = validateTag((request.params as { tag: string }).tag);
      await tags.change(caller, c.kind, await load(request, caller), (t) => (t.includes(tag) ? t : [...t, tag]));
      return reply.code(201).send();
    });
    app.delete(`${base}/:tag`, async (request, reply) => {
      const caller = callerOf(request, settings);
      const record = await load(request, caller);
      const { tag } = request.params as { tag: string };
      TagService.assertHas(c.kind, record, tag);
      await tags.change(caller, c.kind, record, (t) => t.filter((x) => x !== tag));
      return reply.code(204).send();
    });
  }
}
