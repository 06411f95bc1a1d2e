/**
 * `/v3/regions`, `/v3/services`, `/v3/endpoints`: Keystone's catalog API. Every handler asks the
 * authorizer first (`identity:<action>_<resource>`), then acts.
 */
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { CatalogService } from "../../catalog/service.js";
import type { Endpoint, EndpointInterface, Region, Service } from "../../catalog/types.js";
import type { Authorizer } from "../../ports.js";
import { collectionBody, withSelfLink } from "../links.js";
import {
  EndpointCreateBody,
  EndpointQuery,
  EndpointUpdateBody,
  RegionCreateBody,
  RegionQuery,
  RegionUpdateBody,
  ServiceCreateBody,
  ServiceQuery,
  ServiceUpdateBody,
  splitExtra,
} from "./schemas.js";

const Param = {
  region_id: z.object({ region_id: z.string() }),
  service_id: z.object({ service_id: z.string() }),
  endpoint_id: z.object({ endpoint_id: z.string() }),
};

export interface CatalogRouteDeps {
  readonly authorizer: Authorizer;
  readonly catalog: CatalogService;
}

const regionView = ({ extra, ...r }: Region) => ({ ...extra, ...r });
const serviceView = ({ extra, ...s }: Service) => ({ ...extra, ...s });
const endpointView = ({ extra, ...e }: Endpoint) => ({ ...extra, ...e, region: e.region_id });

/** Keystone refuses a body whose `id` differs from the one in the path. */
function requireMatchingId(body: Readonly<Record<string, unknown>>, id: string): void {
  if (body["id"] !== undefined && body["id"] !== null && body["id"] !== id) throw badRequest("Cannot change ID");
}

export function registerCatalogRoutes(app: ServiceApp, deps: CatalogRouteDeps): void {
  const { authorizer, catalog } = deps;
  const enforce = (request: FastifyRequest, rule: string) =>
    authorizer.enforce(rule, authorizer.credentialsOf(request.auth!), {});

  // regions
  app.get("/v3/regions", { schema: { querystring: RegionQuery } }, async (request) => {
    enforce(request, "identity:list_regions");
    const filter =
      request.query.parent_region_id === undefined ? {} : { parentRegionId: request.query.parent_region_id };
    const regions = await catalog.listRegions(filter);
    return collectionBody(
      request,
      "regions",
      regions.map((r) => withSelfLink(request, "regions", regionView(r))),
    );
  });
  app.get("/v3/regions/:region_id", { schema: { params: Param.region_id } }, async (request) => {
    enforce(request, "identity:get_region");
    return { region: withSelfLink(request, "regions", regionView(await catalog.getRegion(request.params.region_id))) };
  });
  const createRegion = async (request: FastifyRequest, body: Record<string, unknown>, pathId?: string) => {
    enforce(request, "identity:create_region");
    const { fields, extra } = splitExtra(body, ["id", "description", "parent_region_id"] as const);
    if (pathId !== undefined && fields.id !== undefined && fields.id !== pathId) {
      throw badRequest(`Conflicting region IDs specified: "${pathId}" != "${String(fields.id)}"`);
    }
    const region = await catalog.createRegion({
      id: pathId ?? (fields.id as string | undefined),
      description: fields.description as string | null | undefined,
      parent_region_id: fields.parent_region_id as string | null | undefined,
      extra,
    });
    return { region: withSelfLink(request, "regions", regionView(region)) };
  };
  app.post("/v3/regions", { schema: { body: RegionCreateBody } }, async (request, reply) =>
    reply.code(201).send(await createRegion(request, request.body.region)),
  );
  app.put(
    "/v3/regions/:region_id",
    { schema: { params: Param.region_id, body: RegionCreateBody } },
    async (request, reply) =>
      reply.code(201).send(await createRegion(request, request.body.region, request.params.region_id)),
  );
  app.patch(
    "/v3/regions/:region_id",
    { schema: { params: Param.region_id, body: RegionUpdateBody } },
    async (request) => {
      enforce(request, "identity:update_region");
      requireMatchingId(request.body.region, request.params.region_id);
      const { fields, extra } = splitExtra(request.body.region, ["id", "description", "parent_region_id"] as const);
      const region = await catalog.updateRegion(request.params.region_id, {
        description: fields.description as string | null | undefined,
        parent_region_id: fields.parent_region_id as string | null | undefined,
        extra,
      });
      return { region: withSelfLink(request, "regions", regionView(region)) };
    },
  );
  app.delete("/v3/regions/:region_id", { schema: { params: Param.region_id } }, async (request, reply) => {
    enforce(request, "identity:delete_region");
    await catalog.deleteRegion(request.params.region_id);
    return reply.code(204).send();
  });

  // services
  app.get("/v3/services", { schema: { querystring: ServiceQuery } }, async (request) => {
    enforce(request, "identity:list_services");
    const { type, name } = request.query;
    const services = await catalog.listServices({
      ...(type === undefined ? {} : { type }),
      ...(name === undefined ? {} : { name }),
    });
    return collectionBody(
      request,
      "services",
      services.map((s) => withSelfLink(request, "services", serviceView(s))),
    );
  });
  app.get("/v3/services/:service_id", { schema: { params: Param.service_id } }, async (request) => {
    enforce(request, "identity:get_service");
    return {
      service: withSelfLink(request, "services", serviceView(await catalog.getService(request.params.service_id))),
    };
  });
  app.post("/v3/services", { schema: { body: ServiceCreateBody } }, async (request, reply) => {
    enforce(request, "identity:create_service");
    const { fields, extra } = splitExtra(request.body.service, ["type", "name", "enabled", "id"] as const);
    const service = await catalog.createService({
      type: request.body.service.type,
      name: fields.name as string | undefined,
      enabled: fields.enabled as boolean | undefined,
      extra,
    });
    return reply.code(201).send({ service: withSelfLink(request, "services", serviceView(service)) });
  });
  app.patch(
    "/v3/services/:service_id",
    { schema: { params: Param.service_id, body: ServiceUpdateBody } },
    async (request) => {
      enforce(request, "identity:update_service");
      requireMatchingId(request.body.service, request.params.service_id);
      const { fields, extra } = splitExtra(request.body.service, ["type", "name", "enabled", "id"] as const);
      const service = await catalog.updateService(request.params.service_id, {
        type: fields.type as string | undefined,
        name: fields.name as string | undefined,
        enabled: fields.enabled as boolean | undefined,
        extra,
      });
      return { service: withSelfLink(request, "services", serviceView(service)) };
    },
  );
  app.delete("/v3/services/:service_id", { schema: { params: Param.service_id } }, async (request, reply) => {
    enforce(request, "identity:delete_service");
    await catalog.deleteService(request.params.service_id);
    return reply.code(204).send();
  });

  // endpoints
  const ENDPOINT_FIELDS = ["interface", "service_id", "url", "region_id", "region", "enabled", "id"] as const;
  app.get("/v3/endpoints", { schema: { querystring: EndpointQuery } }, async (request) => {
    enforce(request, "identity:list_endpoints");
    const q = request.query;
    const endpoints = await catalog.listEndpoints({
      ...(q.interface === undefined ? {} : { interface: q.interface }),
      ...(q.service_id === undefined ? {} : { serviceId: q.service_id }),
      ...(q.region_id === undefined ? {} : { regionId: q.region_id }),
    });
    return collectionBody(
      request,
      "endpoints",
      endpoints.map((e) => withSelfLink(request, "endpoints", endpointView(e))),
    );
  });
  app.get("/v3/endpoints/:endpoint_id", { schema: { params: Param.endpoint_id } }, async (request) => {
    enforce(request, "identity:get_endpoint");
    return {
      endpoint: withSelfLink(request, "endpoints", endpointView(await catalog.getEndpoint(request.params.endpoint_id))),
    };
  });
  app.post("/v3/endpoints", { schema: { body: EndpointCreateBody } }, async (request, reply) => {
    enforce(request, "identity:create_endpoint");
    const body = request.body.endpoint;
    const { fields, extra } = splitExtra(body, ENDPOINT_FIELDS);
    const endpoint = await catalog.createEndpoint({
      interface: body.interface,
      service_id: body.service_id,
      url: body.url,
      region_id: fields.region_id as string | null | undefined,
      region: fields.region as string | undefined,
      enabled: fields.enabled as boolean | undefined,
      extra,
    });
    return reply.code(201).send({ endpoint: withSelfLink(request, "endpoints", endpointView(endpoint)) });
  });
  app.patch(
    "/v3/endpoints/:endpoint_id",
    { schema: { params: Param.endpoint_id, body: EndpointUpdateBody } },
    async (request) => {
      enforce(request, "identity:update_endpoint");
      requireMatchingId(request.body.endpoint, request.params.endpoint_id);
      const { fields, extra } = splitExtra(request.body.endpoint, ENDPOINT_FIELDS);
      const endpoint = await catalog.updateEndpoint(request.params.endpoint_id, {
        interface: fields.interface as EndpointInterface | undefined,
        service_id: fields.service_id as string | undefined,
        url: fields.url as string | undefined,
        region_id: fields.region_id as string | null | undefined,
        region: fields.region as string | undefined,
        enabled: fields.enabled as boolean | undefined,
        extra,
      });
      return { endpoint: withSelfLink(request, "endpoints", endpointView(endpoint)) };
    },
  );
  app.delete("/v3/endpoints/:endpoint_id", { schema: { params: Param.endpoint_id } }, async (request, reply) => {
    enforce(request, "identity:delete_endpoint");
    await catalog.deleteEndpoint(request.params.endpoint_id);
    return reply.code(204).send();
  });
}
