/**
 * What every Placement route shares: the store, the policy check, and small wire helpers.
 */
import { forbidden } from "@stratus/core/errors";
import type { FastifyRequest } from "fastify";
import type { PlacementStore } from "../placement/store.js";

/** Decides whether the caller may call a Placement action (`placement:resource_providers:list`, ...). Throws forbidden. */
export type PlacementAuthorizer = (request: FastifyRequest, action: string) => void;

/**
 * Placement's default policy as deployed with Nova: every action is for admins (and the
 * services, which call with the admin or service role).
 */
export const adminOnly: PlacementAuthorizer = (request, action) => {
  const auth = request.auth;
  if (auth === null || (!auth.isAdmin && !auth.roles.includes("admin") && !auth.roles.includes("service"))) {
    throw forbidden(`Policy does not allow ${action} to be performed.`);
  }
};

export interface PlacementApiDeps {
  /** The state and its durable writes. */
  readonly store: PlacementStore;
  /** Policy check per action; default `adminOnly`. */
  readonly authorize?: PlacementAuthorizer;
}

/** The deps with defaults filled, as the route modules get them. */
export interface PlacementRouteContext {
  readonly store: PlacementStore;
  readonly authorize: PlacementAuthorizer;
}

export function routeContext(deps: PlacementApiDeps): PlacementRouteContext {
  return { store: deps.store, authorize: deps.authorize ?? adminOnly };
}

/** True when the request's negotiated microversion is `v` or newer. */
export function mv(request: FastifyRequest, v: string): boolean {
  return request.microversion?.atLeast(v) ?? false;
}
