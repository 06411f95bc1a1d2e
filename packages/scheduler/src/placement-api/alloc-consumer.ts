/**
 * `/allocations/{consumer_uuid}` (GET, PUT, DELETE), `POST /allocations` (1.13) and
 * `GET /resource_providers/{uuid}/allocations`: placement/handlers/allocation.py.
 */
import { notFound, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { placementBadRequest } from "../placement/errors.js";
import { UNKNOWN_CONSUMER_TYPE } from "../placement/model.js";
import { postAllocationsSchema, putAllocationsSchema, validateBody } from "./alloc-schemas.js";
import {
  type ConsumerWrite,
  cacheHeaders,
  claimOf,
  normalizedUuid,
  requireJsonBody,
  requireVersion,
  versionOf,
  wordingClassNotFound,
} from "./alloc-wire.js";
import type { PlacementRouteContext } from "./context.js";

const ConsumerParam = z.object({ consumer_uuid: z.string() });
const ProviderParam = z.object({ uuid: z.string() });

/** A PUT body of 1.0-1.11 lists providers; later ones key them by UUID. */
type PutBody = Omit<ConsumerWrite, "allocations"> & {
  readonly allocations:
    | ConsumerWrite["allocations"]
    | readonly { resource_provider: { uuid: string }; resources: Record<string, number> }[];
};

function asDict(allocations: PutBody["allocations"]): ConsumerWrite["allocations"] {
  if (!Array.isArray(allocations)) return allocations as ConsumerWrite["allocations"];
  const out: Record<string, { resources: Record<string, number> }> = {};
  for (const a of allocations) out[a.resource_provider.uuid] = { resources: a.resources };
  return out;
}

export function registerConsumerAllocationRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const writeClaims = (at: (v: string) => boolean, bodies: Readonly<Record<string, ConsumerWrite>>) =>
    ctx.store.write(
      (s) => s.claimMany(Object.fromEntries(Object.entries(bodies).map(([c, b]) => [c, claimOf(s, c, b, at)]))),
      { consumers: Object.keys(bodies) },
    );

  app.get("/allocations/:consumer_uuid", { schema: { params: ConsumerParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:allocations:list");
    const at = versionOf(request);
    const state = ctx.store.state;
    const consumer = state.getAllocations(request.params.consumer_uuid);
    const body: Record<string, unknown> = { allocations: {} };
    if (consumer !== undefined) {
      body["allocations"] = Object.fromEntries(
        Object.entries(consumer.allocations).map(([rp, resources]) => [
          rp,
          { resources, generation: state.getProvider(rp).generation },
        ]),
      );
      if (at("1.12")) {
        body["project_id"] = consumer.projectId;
        body["user_id"] = consumer.userId;
        if (at("1.28")) body["consumer_generation"] = consumer.generation;
        if (at("1.38")) body["consumer_type"] = consumer.consumerType ?? UNKNOWN_CONSUMER_TYPE;
      }
    }
    cacheHeaders(request, reply);
    return body;
  });

  app.put("/allocations/:consumer_uuid", { schema: { params: ConsumerParam } }, async (request, reply) => {
    requireJsonBody(request);
    ctx.authorize(request, "placement:allocations:update");
    const consumer = normalizedUuid(request.params.consumer_uuid);
    if (consumer === undefined) throw placementBadRequest(`Malformed consumer_uuid: ${request.params.consumer_uuid}`);
    const at = versionOf(request);
    const body = validateBody(putAllocationsSchema(at), request.body) as PutBody;
    await wordingClassNotFound(`Unable to allocate inventory for consumer ${consumer}: `, () =>
      writeClaims(at, { [consumer]: { ...body, allocations: asDict(body.allocations) } }),
    );
    return reply.code(204).send();
  });

  app.delete("/allocations/:consumer_uuid", { schema: { params: ConsumerParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:allocations:delete");
    const consumer = request.params.consumer_uuid;
    const deleted = await ctx.store.write((s) => s.deleteAllocations(consumer), { consumers: [consumer] });
    if (!deleted) throw notFound(`No allocations for consumer '${consumer}'`);
    return reply.code(204).send();
  });

  app.post("/allocations", async (request, reply) => {
    requireVersion(request, "1.13");
    requireJsonBody(request);
    ctx.authorize(request, "placement:allocations:manage");
    const at = versionOf(request);
    const bodies = validateBody(postAllocationsSchema(at), request.body) as Record<string, ConsumerWrite>;
    await wordingClassNotFound("Unable to allocate inventory ", () => writeClaims(at, bodies));
    return reply.code(204).send();
  });

  app.get("/resource_providers/:uuid/allocations", { schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:allocations:list");
    const at = versionOf(request);
    const { uuid } = request.params;
    const state = ctx.store.state;
    let perConsumer: Record<string, Record<string, number>>;
    try {
      perConsumer = state.providerAllocations(uuid);
    } catch (e) {
      if (StratusError.is(e) && e.code === "not_found") {
        throw notFound(`Resource provider '${uuid}' not found: No resource provider with uuid ${uuid} found`);
      }
      throw e;
    }
    const allocations = Object.fromEntries(
      Object.entries(perConsumer).map(([consumer, resources]) => [
        consumer,
        at("1.28")
          ? { resources, consumer_generation: state.getAllocations(consumer)?.generation ?? null }
          : { resources },
      ]),
    );
    cacheHeaders(request, reply);
    return { allocations, resource_provider_generation: state.getProvider(uuid).generation };
  });
}
