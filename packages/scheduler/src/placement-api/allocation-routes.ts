/** Allocations, POST /allocations, provider allocations, reshaper and allocation candidates. */
import type { ServiceApp } from "@stratus/core/http";
import type { PlacementRouteContext } from "./context.js";

export function registerAllocationRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  void app;
  void ctx;
}
