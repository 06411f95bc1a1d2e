/**
 * Every Neutron collection registered on the app.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { NeutronService } from "../service/neutron.js";
import { networkCollection } from "./networks.js";
import { portCollection } from "./ports.js";
import { type ApiSettings, registerCollection } from "./resource-routes.js";
import { floatingIpCollection, registerRouterInterfaceRoutes, routerCollection } from "./routers.js";
import { ruleCollection, securityGroupCollection } from "./security-groups.js";
import { subnetCollection } from "./subnets.js";

export function registerResourceRoutes(app: ServiceApp, settings: ApiSettings, neutron: NeutronService): void {
  registerCollection(
    app,
    settings,
    networkCollection(neutron.networks, (caller, id) => neutron.deleteNetwork(caller, id)),
  );
  registerCollection(app, settings, subnetCollection(neutron));
  registerCollection(app, settings, portCollection(neutron));
  registerCollection(app, settings, securityGroupCollection(neutron));
  registerCollection(app, settings, ruleCollection(neutron));
  registerCollection(app, settings, routerCollection(neutron));
  registerRouterInterfaceRoutes(app, settings, neutron);
  registerCollection(app, settings, floatingIpCollection(neutron));
}
