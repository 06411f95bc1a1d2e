/**
 * Traits (1.6+): `/traits[/{name}]` (list with `name=in:|startswith:` and `associated`, show,
 * create-if-missing, delete a custom one) and `/resource_providers/{uuid}/traits`.
 */
import { badRequest, notFound } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { STANDARD_TRAITS } from "../generated/traits.gen.js";
import { concurrentUpdate } from "../placement/errors.js";
import type { PlacementRouteContext } from "./context.js";
import { ProviderParam } from "./rp-providers.js";
import { isCustomWithinLimit, ProviderTraitsSet } from "./rp-schemas.js";
import { cacheHeaders, checkQueryKeys, empty, lastOf, parseBody, providerNotFound, type Query } from "./rp-wire.js";

const NameParam = z.object({ name: z.string() });
const since16 = { microversion: { min: "1.6" } };

/** The `name` filter of GET /traits: `in:A,B` or `startswith:PREFIX`; another operator filters nothing. */
function nameFilter(qs: string): (t: string) => boolean {
  const colon = qs.indexOf(":");
  if (colon < 0) {
    throw badRequest(
      `Badly formatted name parameter. Expected name query string parameter in form: ?name=[in|startswith]:[name1,name2|prefix]. Got: "${qs}"`,
    );
  }
  const op = qs.slice(0, colon);
  const value = qs.slice(colon + 1);
  if (op === "in") {
    const names = new Set(value.split(","));
    return (t) => names.has(t);
  }
  if (op === "startswith") return (t) => t.startsWith(value);
  return () => true;
}

export function registerTraitRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const { store } = ctx;

  app.get("/traits", { config: since16 }, async (request, reply) => {
    ctx.authorize(request, "placement:traits:list");
    const query = request.query as Query;
    checkQueryKeys(query, ["name", "associated"]);
    const name = lastOf(query, "name");
    const matches = name === undefined ? () => true : nameFilter(name);
    const associated = lastOf(query, "associated")?.toLowerCase();
    if (associated !== undefined && associated !== "true" && associated !== "false") {
      throw badRequest('The query parameter "associated" only accepts "true" or "false"');
    }
    const state = store.state;
    const traits = [...STANDARD_TRAITS, ...state.customTraitNames()]
      .filter(matches)
      .filter((t) => associated === undefined || state.providersWithTrait(t).size > 0 === (associated === "true"))
      .sort();
    cacheHeaders(request, reply);
    return { traits };
  });

  app.get("/traits/:name", { config: since16, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:traits:show");
    const { name } = request.params;
    if (!store.state.hasTrait(name)) throw notFound(`No such trait(s): ${name}.`);
    cacheHeaders(request, reply);
    return empty(reply, 204);
  });

  app.put("/traits/:name", { config: since16, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:traits:update");
    const { name } = request.params;
    if (!isCustomWithinLimit(name)) {
      throw badRequest(
        'The trait is invalid. A valid trait must be no longer than 255 characters, start with the prefix "CUSTOM_" and use following characters: "A"-"Z", "0"-"9" and "_"',
      );
    }
    const created =
      !store.state.hasTrait(name) &&
      (await store.write(
        (s) => {
          if (s.hasTrait(name)) return false;
          s.createTrait(name);
          return true;
        },
        { traits: [name] },
      ));
    reply.header("location", `/traits/${name}`);
    cacheHeaders(request, reply);
    return empty(reply, created ? 201 : 204);
  });

  app.delete("/traits/:name", { config: since16, schema: { params: NameParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:traits:delete");
    const { name } = request.params;
    await store.write((s) => s.deleteTrait(name), { traits: [name] });
    return empty(reply, 204);
  });

  const rpTraits = "/resource_providers/:uuid/traits";

  app.get(rpTraits, { config: since16, schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:traits:list");
    const { uuid } = request.params;
    const node = store.state.peek(uuid);
    if (node === undefined) throw providerNotFound(uuid, `: No resource provider with uuid ${uuid} found`);
    cacheHeaders(request, reply);
    return { traits: store.state.getTraits(uuid), resource_provider_generation: node.generation };
  });

  app.put(rpTraits, { config: since16, schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:traits:update");
    const { uuid } = request.params;
    const body = parseBody(ProviderTraitsSet, request.body);
    const traits = [...new Set(body.traits)];
    const generation = await store.write(
      (s) => {
        const node = s.peek(uuid);
        if (node === undefined) throw providerNotFound(uuid);
        if (node.generation !== body.resource_provider_generation) {
          throw concurrentUpdate(
            "Resource provider's generation already changed. Please update the generation and try again.",
          );
        }
        const unknown = traits.filter((t) => !s.hasTrait(t));
        if (unknown.length > 0) throw badRequest(`No such trait ${unknown.join(", ")}`);
        return s.setTraits(uuid, body.resource_provider_generation, traits);
      },
      { providers: [uuid] },
    );
    cacheHeaders(request, reply);
    return { traits, resource_provider_generation: generation };
  });

  app.delete(rpTraits, { config: since16, schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:traits:delete");
    const { uuid } = request.params;
    await store.write(
      (s) => {
        const node = s.peek(uuid);
        if (node === undefined) throw providerNotFound(uuid);
        s.setTraits(uuid, node.generation, []);
      },
      { providers: [uuid] },
    );
    return empty(reply, 204);
  });
}
