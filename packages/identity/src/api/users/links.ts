/**
 * Keystone's `links`: an entity's `links.self`, a collection's `links: {self, previous, next}`
 * with the request's own URL, based on a configured public endpoint or on the Host the client used.
 */
import { keystoneLinks } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";

/** `http://host:port` (no `/v3`), from the configured public endpoint or the request. */
export function baseUrlOf(request: FastifyRequest, publicEndpoint: string | undefined): string {
  if (publicEndpoint !== undefined) return publicEndpoint.replace(/\/+$/, "").replace(/\/v3$/, "");
  return `${request.protocol}://${request.headers.host ?? request.hostname}`;
}

/** `{ <key>: items, links: {self: <request URL>, previous: null, next: null} }` plus `truncated` when cut. */
export function collection<T>(
  base: string,
  request: FastifyRequest,
  key: string,
  items: readonly T[],
  truncated = false,
): Record<string, unknown> {
  return { [key]: items, ...keystoneLinks(`${base}${request.url}`), ...(truncated ? { truncated: true } : {}) };
}
