/**
 * The resource-provider half of Placement: providers, inventories, resource classes, traits,
 * aggregates and usages (one module each, `rp-*.ts`).
 */
import type { ServiceApp } from "@stratus/core/http";
import type { PlacementRouteContext } from "./context.js";
import { registerAggregateAndUsageRoutes } from "./rp-aggregates.js";
import { registerResourceClassRoutes } from "./rp-classes.js";
import { registerInventoryRoutes } from "./rp-inventories.js";
import { registerProviderCrud } from "./rp-providers.js";
import { registerTraitRoutes } from "./rp-traits.js";

/** Registers every resource-provider route on `app`. */
export function registerProviderRoutes(app: ServiceApp, ctx: PlacementRouteContext): void {
  registerProviderCrud(app, ctx);
  registerInventoryRoutes(app, ctx);
  registerResourceClassRoutes(app, ctx);
  registerTraitRoutes(app, ctx);
  registerAggregateAndUsageRoutes(app, ctx);
}
