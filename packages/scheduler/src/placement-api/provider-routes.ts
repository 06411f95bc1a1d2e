/** Resource providers, inventories, resource classes, traits, aggregates and usages. */
import type { ServiceApp } from "@stratus/core/http";
import type { PlacementRouteContext } from "./context.js";

export function registerProviderRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  void app;
  void ctx;
}
