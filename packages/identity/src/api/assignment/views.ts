/**
 * Wire forms and policy targets of roles and of the users, groups, projects and domains grants name.
 */
import type { FastifyRequest } from "fastify";
import type { Role } from "../../assignment/model.js";
import { baseUrl } from "../links.js";

/** A role on the wire: `{id, name, domain_id, description, options, ...extra, links}`. */
export function roleView(request: FastifyRequest, r: Role): Record<string, unknown> {
  return {
    ...r.extra,
    id: r.id,
    name: r.name,
    domain_id: r.domainId,
    description: r.description,
    options: {},
    links: { self: `${baseUrl(request)}/v3/roles/${r.id}` },
  };
}

/** A role as policy targets see it. */
export const roleTarget = (r: Role) => ({
  id: r.id,
  name: r.name,
  domain_id: r.domainId,
  description: r.description,
});

/** `{id, links: {self}, name}` of a role inside a role_inference. */
export const inferenceRole = (request: FastifyRequest, r: Role) => ({
  id: r.id,
  links: { self: `${baseUrl(request)}/v3/roles/${r.id}` },
  name: r.name,
});
