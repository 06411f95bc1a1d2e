/**
 * What the kit adds to Fastify's types: per-route options in `config`, and the request's
 * negotiated microversion, caller context and global request id.
 */
import type { RequestContext } from "./context.js";
import type { Microversion } from "./microversion.js";

/** Per-route options, given as a route's `config`. */
export interface StratusRouteConfig {
  /** True for a route that needs no token (version documents, healthcheck, token issue). Default false. */
  readonly public?: boolean;
  /** The route exists only from `min` (and up to `max`); other versions get 404 as in Nova. */
  readonly microversion?: { readonly min?: string; readonly max?: string };
  /** True for a route outside microversioning (healthcheck): no negotiation, no version headers. */
  readonly unversioned?: boolean;
}

declare module "fastify" {
  interface FastifyContextConfig extends StratusRouteConfig {}

  interface FastifyRequest {
    /** The negotiated microversion; null for services without microversions and unversioned routes. */
    microversion: Microversion | null;
    /** The caller's context on protected routes; null on public ones. */
    auth: RequestContext | null;
    /** The caller's well-formed `X-OpenStack-Request-ID` (oslo's global request id), else null. */
    globalRequestId: string | null;
  }
}

export type { Microversion, RequestContext };
