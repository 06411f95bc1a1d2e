/** Allocations, POST /allocations, provider allocations, reshaper and allocation candidates. */
import type { ServiceApp } from "@stratus/core/http";
import { registerCandidateRoutes } from "./alloc-candidates.js";
import { registerConsumerAllocationRoutes } from "./alloc-consumer.js";
import { registerReshaperRoutes } from "./alloc-reshaper.js";
import type { PlacementRouteContext } from "./context.js";

/** Registers the allocations half of the Placement API on `app`. */
export function registerAllocationRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  registerConsumerAllocationRoutes(app, ctx);
  registerReshaperRoutes(app, ctx);
  registerCandidateRoutes(app, ctx);
}
