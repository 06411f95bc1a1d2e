/**
 * A router's routes → Logical_Router_Static_Routes (ovn_client.py `_add_router_ext_gw`,
 * `update_router_routes`): the default route through the external subnet's gateway, and the
 * router's extra routes.
 */
import type { Router, Subnet } from "../../domain/model.js";
import { EXT_ID } from "./naming.js";

/** Logical_Router_Static_Route columns the driver sets (policy stays OVN's default, dst-ip). */
export interface DesiredStaticRoute {
  ip_prefix: string;
  nexthop: string;
  external_ids: Record<string, string>;
}

/**
 * The static routes of a router. `gatewaySubnets` are the subnets of the gateway port's fixed
 * IPs, in fixed-IP order: each with a gateway IP gives a default route (0.0.0.0/0 or ::/0)
 * marked `neutron:is_ext_gw`. Extra routes follow in the router's order. Pure.
 */
export function desiredStaticRoutes(router: Router, gatewaySubnets: readonly Subnet[]): DesiredStaticRoute[] {
  const routes: DesiredStaticRoute[] = [];
  if (router.external_gateway_info) {
    for (const subnet of gatewaySubnets) {
      if (!subnet.gateway_ip) continue;
      routes.push({
        ip_prefix: subnet.ip_version === 4 ? "0.0.0.0/0" : "::/0",
        nexthop: subnet.gateway_ip,
        external_ids: {
          [EXT_ID.isExtGw]: "true",
          [EXT_ID.subnetId]: subnet.id,
          [EXT_ID.isStaticRoute]: "true",
        },
      });
    }
  }
  for (const route of router.routes) {
    routes.push({
      ip_prefix: route.destination,
      nexthop: route.nexthop,
      external_ids: { [EXT_ID.isStaticRoute]: "true" },
    });
  }
  return routes;
}
