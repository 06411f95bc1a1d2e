/**
 * The wire form of projects and domains (Keystone's to_dict + links).
 */
import type { FastifyRequest } from "fastify";
import type { Domain, Project } from "../../resource/model.js";
import { baseUrl } from "../links.js";

/** A project on the wire: `{id, name, domain_id, description, enabled, parent_id, is_domain, tags, options, ...extra, links}`. */
export function projectView(request: FastifyRequest, p: Project): Record<string, unknown> {
  return {
    ...p.extra,
    id: p.id,
    name: p.name,
    domain_id: p.domainId,
    description: p.description,
    enabled: p.enabled,
    parent_id: p.parentId,
    is_domain: p.isDomain,
    tags: p.tags,
    options: {},
    links: { self: `${baseUrl(request)}/v3/projects/${p.id}` },
  };
}

/** A domain on the wire: `{id, name, description, enabled, tags, options, ...extra, links}`. */
export function domainView(request: FastifyRequest, d: Domain): Record<string, unknown> {
  return {
    ...d.extra,
    id: d.id,
    name: d.name,
    description: d.description,
    enabled: d.enabled,
    tags: d.tags,
    options: {},
    links: { self: `${baseUrl(request)}/v3/domains/${d.id}` },
  };
}
