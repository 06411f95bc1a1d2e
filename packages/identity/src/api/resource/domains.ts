/**
 * `/v3/domains` (keystone/api/domains.py): list, get, create, update, delete.
 */
import { badRequest, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { PROJECT_NAME_MAX } from "../../resource/model.js";
import { collectionBody } from "../links.js";
import type { ResourceRouteDeps } from "./deps.js";
import { inexactFilter, queryBool, queryString } from "./filters.js";
import { enforce } from "./policy-target.js";
import { extraOf } from "./projects.js";
import { atLeastOne, entityOf, NOT_ENOUGH, nameField, optionsField, tagList, validateEntity } from "./validate.js";
import { domainView } from "./views.js";

const props = {
  description: z.string().nullable().optional(),
  enabled: z.boolean().optional(),
  name: nameField(PROJECT_NAME_MAX).optional(),
  tags: tagList.optional(),
  options: optionsField.optional(),
};
const DomainCreate = z.looseObject({ ...props, name: nameField(PROJECT_NAME_MAX) });
const DomainUpdate = z.looseObject(props).refine(atLeastOne, { message: NOT_ENOUGH });
const Params = z.object({ domain_id: z.string() });
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** Registers `/v3/domains` and `/v3/domains/{domain_id}`. */
export function registerDomainRoutes(app: ServiceApp, deps: ResourceRouteDeps): void {
  const { authorizer, resources } = deps;
  const targetOf = async (id: string) => {
    try {
      const d = await resources.getDomain(id);
      return { domain: { id: d.id, name: d.name, description: d.description, enabled: d.enabled } };
    } catch (err) {
      if (StratusError.is(err) && err.code === "not_found") return {};
      throw err;
    }
  };

  app.get("/v3/domains", async (request) => {
    enforce(authorizer, request, "identity:list_domains", { filters: ["name", "enabled"] });
    const q = request.query as Record<string, unknown>;
    const name = queryString(q, "name");
    const enabled = queryBool(q, "enabled");
    const domains = await resources.listDomains({
      ...(name === undefined ? {} : { name }),
      ...(enabled === undefined ? {} : { enabled }),
    });
    const nameOk = inexactFilter(q, "name");
    return collectionBody(
      request,
      "domains",
      domains.filter((d) => nameOk(d.name)).map((d) => domainView(request, d)),
    );
  });

  app.get("/v3/domains/:domain_id", { schema: { params: Params } }, async (request) => {
    const id = request.params.domain_id;
    enforce(authorizer, request, "identity:get_domain", { target: await targetOf(id) });
    return { domain: domainView(request, await resources.getDomain(id)) };
  });

  app.post("/v3/domains", async (request, reply) => {
    enforce(authorizer, request, "identity:create_domain");
    const body = validateEntity(DomainCreate, entityOf(request.body, "domain"));
    const explicit = body["explicit_domain_id"];
    if (explicit !== undefined && explicit !== null && !(typeof explicit === "string" && UUID.test(explicit)))
      throw badRequest("Domain ID does not conform to required UUID format.");
    const { explicit_domain_id: _e, ...rest } = extraOf(body);
    const domain = await resources.createDomain({
      ...(typeof explicit === "string" ? { id: explicit } : {}),
      name: body.name,
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
      extra: rest,
    });
    return reply.code(201).send({ domain: domainView(request, domain) });
  });

  app.patch("/v3/domains/:domain_id", { schema: { params: Params } }, async (request) => {
    const id = request.params.domain_id;
    enforce(authorizer, request, "identity:update_domain");
    const body = validateEntity(DomainUpdate, entityOf(request.body, "domain"));
    const domain = await resources.updateDomain(id, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
      extra: extraOf(body),
    });
    return { domain: domainView(request, domain) };
  });

  app.delete("/v3/domains/:domain_id", { schema: { params: Params } }, async (request, reply) => {
    enforce(authorizer, request, "identity:delete_domain");
    await resources.deleteDomain(request.params.domain_id);
    return reply.code(204).send();
  });
}
