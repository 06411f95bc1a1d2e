/**
 * `/resource_providers` and `/resource_providers/{uuid}`: list with filters, create (201 empty
 * before 1.20, 200 with the body from 1.20), show, update (re-parenting from 1.37) and delete.
 */
import { randomUUID } from "node:crypto";
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { placementConflict } from "../placement/errors.js";
import type { ResourceProvider } from "../placement/model.js";
import { mv, type PlacementRouteContext } from "./context.js";
import { filterProviders, parseProviderFilter } from "./rp-query.js";
import { ProviderCreate, ProviderCreate114, ProviderUpdate, ProviderUpdate114 } from "./rp-schemas.js";
import {
  cacheHeaders,
  empty,
  normalizeUuid,
  parseBody,
  providerLinks,
  providerNotFound,
  type Query,
} from "./rp-wire.js";

/** Path parameters of routes under one provider. */
export const ProviderParam = z.object({ uuid: z.string() });

/** Placement's code for a provider delete refused because of allocations. */
const PROVIDER_IN_USE = "placement.resource_provider.inuse";

/** A provider as Placement serializes it for the request's microversion. */
export function providerBody(request: FastifyRequest, p: ResourceProvider): Record<string, unknown> {
  const body: Record<string, unknown> = {
    uuid: p.uuid,
    name: p.name,
    generation: p.generation,
    links: providerLinks(request, p.uuid),
  };
  if (mv(request, "1.14")) {
    body["parent_provider_uuid"] = p.parentUuid;
    body["root_provider_uuid"] = p.rootUuid;
  }
  return body;
}

export function registerProviderCrud(app: ServiceApp, ctx: PlacementRouteContext): void {
  const { store } = ctx;

  app.get("/resource_providers", async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:list");
    const filter = parseProviderFilter(request, request.query as Query, store.state);
    cacheHeaders(request, reply);
    return { resource_providers: filterProviders(store.state, filter).map((p) => providerBody(request, p)) };
  });

  app.post("/resource_providers", async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:create");
    const body: z.output<typeof ProviderCreate114> = parseBody(
      mv(request, "1.14") ? ProviderCreate114 : ProviderCreate,
      request.body,
    );
    const uuid = body.uuid === undefined || body.uuid === "" ? randomUUID() : normalizeUuid(body.uuid);
    const parentUuid = body.parent_provider_uuid ?? null;
    const created = await store.write(
      (s) => {
        const refuse = (reason: string) =>
          badRequest(
            `Unable to create resource provider "${body.name}", ${uuid}: Object action create failed because: ${reason}`,
          );
        if (parentUuid === uuid) {
          throw refuse(
            "parent provider UUID cannot be same as UUID. Please set parent provider UUID to None if there is no parent.",
          );
        }
        if (parentUuid !== null && s.peek(parentUuid) === undefined) {
          throw refuse("parent provider UUID does not exist.");
        }
        return s.createProvider({ uuid, name: body.name, parentUuid });
      },
      { providers: [uuid] },
    );
    reply.header("location", `/resource_providers/${uuid}`);
    if (!mv(request, "1.20")) return empty(reply, 201);
    cacheHeaders(request, reply);
    return providerBody(request, created);
  });

  app.get("/resource_providers/:uuid", { schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:show");
    const p = store.state.getProvider(request.params.uuid);
    cacheHeaders(request, reply);
    return providerBody(request, p);
  });

  app.put("/resource_providers/:uuid", { schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:update");
    const { uuid } = request.params;
    const subtree = store.state.subtreeOf(uuid);
    const body: z.output<typeof ProviderUpdate114> = parseBody(
      mv(request, "1.14") ? ProviderUpdate114 : ProviderUpdate,
      request.body,
    );
    const changes = {
      name: body.name,
      ...(body.parent_provider_uuid === undefined ? {} : { parentUuid: body.parent_provider_uuid }),
    };
    const updated = await store.write((s) => s.updateProvider(uuid, changes, mv(request, "1.37")), {
      providers: subtree,
    });
    cacheHeaders(request, reply);
    return providerBody(request, updated);
  });

  app.delete("/resource_providers/:uuid", { schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:delete");
    const { uuid } = request.params;
    if (store.state.peek(uuid) === undefined) throw providerNotFound(uuid, " for delete");
    await store.write(
      (s) => {
        const node = s.peek(uuid);
        if (node === undefined) throw providerNotFound(uuid, " for delete");
        // Placement refuses a parent first, then a provider with allocations.
        if (node.children.size === 0 && [...node.usages.values()].some((n) => n > 0)) {
          throw placementConflict(
            `Unable to delete resource provider ${uuid}: Resource provider has allocations.`,
            PROVIDER_IN_USE,
          );
        }
        s.deleteProvider(uuid);
      },
      { providers: [uuid] },
    );
    return empty(reply, 204);
  });
}
