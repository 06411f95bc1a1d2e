/**
 * The Placement REST API (microversions 1.0 to 1.39) on a core http app: routes over a
 * PlacementStore, faults as `{"errors": [...]}` with Placement's error codes.
 *
 * ```ts
 * const store = new MemoryPlacementStore(new PlacementState());
 * const app = createServiceApp({ service: "placement", microversions: UPSTREAM_MICROVERSIONS.placement, authenticator, identityUri });
 * registerPlacementRoutes(app, { store });
 * await app.listen({ host: "127.0.0.1", port: 8778 });
 * ```
 */
import type { ServiceApp } from "@stratus/core/http";
import { registerAllocationRoutes } from "./allocation-routes.js";
import { type PlacementApiDeps, routeContext } from "./context.js";
import { registerProviderRoutes } from "./provider-routes.js";

export { adminOnly, type PlacementApiDeps, type PlacementAuthorizer } from "./context.js";

/** Registers every Placement route (not the root version document) on `app`. */
export function registerPlacementRoutes(app: ServiceApp, deps: PlacementApiDeps): void {
  const ctx = routeContext(deps);
  registerProviderRoutes(app, ctx);
  registerAllocationRoutes(app, ctx);
}
