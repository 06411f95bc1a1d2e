/**
 * Keystone's `links`: each entity carries `links.self`, each collection `links: {self, previous,
 * next}` with the request's own URL. The base is the URL the client used to reach us, as Keystone
 * builds it when no `public_endpoint` is configured.
 */
import { keystoneLinks } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";

/** `http://host:port` as the client addressed this server. */
export function baseUrl(request: FastifyRequest): string {
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

/** A Keystone collection body: `{ <key>: [...], links: {self, previous: null, next: null} }`. */
export function collectionBody<T>(request: FastifyRequest, key: string, items: readonly T[]) {
  return { [key]: items, ...keystoneLinks(`${baseUrl(request)}${request.url}`) };
}
