/**
 * `/resource_providers/{uuid}/aggregates` (1.1+; generation in both directions from 1.19),
 * `/resource_providers/{uuid}/usages` and `/usages` (1.9+; per consumer type from 1.38).
 */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { concurrentUpdate } from "../placement/errors.js";
import type { PlacementState } from "../placement/state.js";
import { mv, type PlacementRouteContext } from "./context.js";
import { ProviderParam } from "./rp-providers.js";
import { AggregatesList, AggregatesSet119 } from "./rp-schemas.js";
import { badQuery, cacheHeaders, checkQueryKeys, lastOf, parseBody, providerNotFound, type Query } from "./rp-wire.js";

/** Placement's consumer type of a consumer written before 1.38 or without one. */
const UNKNOWN = "unknown";
const CONSUMER_TYPE_GET = /^[A-Z0-9_]+$|^all$|^unknown$/;

function aggregatesBody(request: FastifyRequest, aggregates: readonly string[], generation: number) {
  return mv(request, "1.19") ? { aggregates, resource_provider_generation: generation } : { aggregates };
}

/** Checks GET /usages query values as Placement's schema does (required, lengths, pattern). */
function usagesQuery(request: FastifyRequest, query: Query) {
  const keys = ["project_id", "user_id", ...(mv(request, "1.38") ? ["consumer_type"] : [])];
  checkQueryKeys(query, keys);
  const project = lastOf(query, "project_id");
  if (project === undefined) throw badQuery("'project_id' is a required property");
  for (const key of keys) {
    const v = lastOf(query, key);
    if (v === undefined) continue;
    if (v.length < 1) throw badQuery(`'' is too short`);
    if (v.length > 255) throw badQuery(`'${v}' is too long`);
  }
  const consumerType = lastOf(query, "consumer_type");
  if (consumerType !== undefined && !CONSUMER_TYPE_GET.test(consumerType)) {
    throw badQuery(`'${consumerType}' does not match '${CONSUMER_TYPE_GET.source}'`);
  }
  return { project, user: lastOf(query, "user_id"), consumerType };
}

/** 1.38 usages: per consumer type (or all under "all"), each with its distinct consumer count. */
function usagesByType(state: PlacementState, project: string, user: string | undefined, wanted: string | undefined) {
  const out: Record<string, Record<string, number>> = {};
  const counted = new Map<string, Set<string>>();
  for (const c of state.consumerRecords()) {
    if (c.projectId !== project || (user !== undefined && user !== "" && c.userId !== user)) continue;
    const type = c.consumerType ?? UNKNOWN;
    if (wanted !== undefined && wanted !== "all" && wanted !== type) continue;
    const key = wanted === "all" ? "all" : type;
    const group = out[key] ?? {};
    out[key] = group;
    for (const res of Object.values(c.allocations)) {
      for (const [rc, n] of Object.entries(res)) group[rc] = (group[rc] ?? 0) + n;
    }
    const seen = counted.get(key) ?? new Set<string>();
    seen.add(c.consumerUuid);
    counted.set(key, seen);
    group["consumer_count"] = seen.size;
  }
  return out;
}

export function registerAggregateAndUsageRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  const { store } = ctx;
  const aggregates = "/resource_providers/:uuid/aggregates";
  const since11 = { microversion: { min: "1.1" } };

  app.get(aggregates, { config: since11, schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:aggregates:list");
    const { uuid } = request.params;
    const node = store.state.peek(uuid);
    if (node === undefined) throw providerNotFound(uuid);
    cacheHeaders(request, reply);
    return aggregatesBody(request, store.state.getAggregates(uuid), node.generation);
  });

  app.put(aggregates, { config: since11, schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:aggregates:update");
    const { uuid } = request.params;
    if (store.state.peek(uuid) === undefined) throw providerNotFound(uuid);
    const withGeneration = mv(request, "1.19");
    const body = withGeneration
      ? parseBody(AggregatesSet119, request.body)
      : { aggregates: parseBody(AggregatesList, request.body), resource_provider_generation: undefined };
    const generation = await store.write(
      (s) => {
        const node = s.peek(uuid);
        if (node === undefined) throw providerNotFound(uuid);
        const expected = body.resource_provider_generation;
        if (expected !== undefined && node.generation !== expected) {
          throw concurrentUpdate(
            "Resource provider's generation already changed. Please update the generation and try again.",
          );
        }
        return s.setAggregates(uuid, node.generation, body.aggregates, withGeneration);
      },
      { providers: [uuid] },
    );
    cacheHeaders(request, reply);
    return aggregatesBody(request, body.aggregates, generation);
  });

  app.get("/resource_providers/:uuid/usages", { schema: { params: ProviderParam } }, async (request, reply) => {
    ctx.authorize(request, "placement:resource_providers:usages");
    const { uuid } = request.params;
    const node = store.state.peek(uuid);
    if (node === undefined) throw providerNotFound(uuid, `: No resource provider with uuid ${uuid} found`);
    cacheHeaders(request, reply);
    return { resource_provider_generation: node.generation, usages: store.state.usages(uuid) };
  });

  app.get("/usages", { config: { microversion: { min: "1.9" } } }, async (request, reply) => {
    ctx.authorize(request, "placement:usages");
    const { project, user, consumerType } = usagesQuery(request, request.query as Query);
    cacheHeaders(request, reply);
    if (mv(request, "1.38")) return { usages: usagesByType(store.state, project, user, consumerType) };
    return { usages: store.state.projectUsages(project, user === "" ? undefined : user) };
  });
}
