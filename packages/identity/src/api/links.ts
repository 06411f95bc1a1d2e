/**
 * Keystone's `links`: each entity carries `links.self`, each collection `links: {self, previous,
 * next}` with the request's own URL. The base is the URL the client used to reach us, as Keystone
 * builds it when no `public_endpoint` is configured.
 */
import { keystoneLinks } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";

/**
 * `http://host:port` (no `/v3`): the configured public endpoint (Keystone's `public_endpoint`)
 * when there is one, else what the client addressed.
 */
export function baseUrl(request: FastifyRequest, publicEndpoint?: string): string {
  if (publicEndpoint !== undefined) return publicEndpoint.replace(/\/+$/, "").replace(/\/v3$/, "");
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/** The entity with `links.self` pointing at `/v3/<collection>/<id>`. */
export function withSelfLink<T extends { readonly id: string }>(
  request: FastifyRequest,
  collection: string,
  entity: T,
): T & { links: { self: string } } {
  return { ...entity, links: { self: `${baseUrl(request)}/v3/${collection}/${entity.id}` } };
}

/**
 * A Keystone collection body: `{ <key>: [...], links: {self, previous: null, next: null} }`, plus
 * `truncated: true` when `[identity] list_limit` cut the list. `base` defaults to `baseUrl(request)`.
 */
export function collectionBody<T>(
  request: FastifyRequest,
  key: string,
  items: readonly T[],
  options: { readonly base?: string; readonly truncated?: boolean } = {},
): Record<string, unknown> {
  const base = options.base ?? baseUrl(request);
  return { [key]: items, ...keystoneLinks(`${base}${request.url}`), ...(options.truncated ? { truncated: true } : {}) };
}
