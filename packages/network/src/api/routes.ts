/**
 * Every Neutron collection registered on the app.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { NeutronService } from "../service/neutron.js";
import { networkCollection } from "./networks.js";
import { portCollection } from "./ports.js";
import { registerQuotaRoutes } from "./quotas.js";
import { type ApiSettings, type CollectionSpec, registerCollection } from "./resource-routes.js";
import { floatingIpCollection, registerRouterInterfaceRoutes, routerCollection } from "./routers.js";
import { ruleCollection, securityGroupCollection } from "./security-groups.js";
import { subnetCollection } from "./subnets.js";
import { registerTagRoutes } from "./tags.js";

export function registerResourceRoutes(app: ServiceApp, settings: ApiSettings, neutron: NeutronService): void {
  const networks = networkCollection(neutron.networks, (caller, id) => neutron.deleteNetwork(caller, id));
  const subnets = subnetCollection(neutron);
  const ports = portCollection(neutron);
  const groups = securityGroupCollection(neutron);
  const routers = routerCollection(neutron);
  const fips = floatingIpCollection(neutron);
  for (const c of [networks, subnets, ports, groups, ruleCollection(neutron), routers, fips])
    registerCollection(app, settings, c as CollectionSpec<unknown>);
  registerRouterInterfaceRoutes(app, settings, neutron);
  registerQuotaRoutes(app, settings, neutron.quotas);
  registerTagRoutes(app, settings, neutron.tags, [
    { path: "networks", kind: "network", get: (c, id) => networks.get(c, id) },
    { path: "subnets", kind: "subnet", get: (c, id) => subnets.get(c, id) },
    { path: "ports", kind: "port", get: (c, id) => ports.get(c, id) },
    { path: "security-groups", kind: "security_group", get: (c, id) => groups.get(c, id) },
    { path: "routers", kind: "router", get: (c, id) => routers.get(c, id) },
    { path: "floatingips", kind: "floatingip", get: (c, id) => fips.get(c, id) },
  ]);
}
