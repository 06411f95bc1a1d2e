/**
 * A Neutron router and its ports → Logical_Router and Logical_Router_Ports (ovn_client.py
 * `create_router`, `_gen_router_ext_ids`, `_create_lrouter_port`, `_gen_router_port_ext_ids`,
 * `_gen_router_port_options`, `_get_nets_and_ipv6_ra_confs_for_router_port`).
 *
 * Gateway scheduling (gateway_chassis / ha_chassis_group on the gateway port, or
 * options:chassis on the router for a tunnelled external network) is chassis state, left to
 * the applier. Floating IPs are centralized, so `redirect-type` is never written.
 */
import type { Network, Port, Router, Subnet } from "../../domain/model.js";
import { EXT_ID, lrpName, ovnName, prefixLength } from "./naming.js";

/** Logical_Router columns the driver sets. */
export interface DesiredLogicalRouter {
  name: string;
  enabled: boolean;
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

/** Logical_Router_Port columns the driver sets. */
export interface DesiredLogicalRouterPort {
  name: string;
  mac: string;
  networks: string[];
  options: Record<string, string>;
  /** empty unless one of the port's subnets has an IPv6 address mode */
  ipv6_ra_configs: Record<string, string>;
  external_ids: Record<string, string>;
}

/** What a router port's columns depend on besides the port itself. */
export interface RouterPortContext {
  /** the network the port is on */
  network: Network;
  /**
   * For the gateway port: the lowest MTU of the networks attached to the router, the gateway's
   * own included (options:gateway_mtu); omitted → no gateway_mtu.
   */
  gatewayMtu?: number;
}

export interface RouterSettings {
  /** [ovn] mac_binding_age_threshold, seconds; default 300 */
  macBindingAgeThreshold?: number;
}

/**
 * The Logical_Router of a router: `neutron-<id>`, enabled = admin_state_up. Current Neutron
 * writes no `neutron:gw_port_id` (dropped with the deprecated router external_ids). Pure.
 */
export function desiredRouter(router: Router, settings: RouterSettings = {}): DesiredLogicalRouter {
  return {
    name: ovnName(router.id),
    enabled: router.admin_state_up,
    options: {
      always_learn_from_arp_request: "false",
      dynamic_neigh_routers: "true",
      mac_binding_age_threshold: String(settings.macBindingAgeThreshold ?? 300),
    },
    external_ids: {
      [EXT_ID.routerName]: router.name,
      [EXT_ID.revision]: String(router.revision_number),
      [EXT_ID.azHints]: router.availability_zone_hints.join(","),
    },
  };
}

/**
 * The Logical_Router_Port of a router interface or gateway port: `lrp-<port id>`, the port's
 * MAC, one `ip/prefixlen` per fixed IP whose subnet is in `subnetsById`, and the router
 * advertisement settings of its first subnet with an IPv6 address mode. Pure.
 */
export function desiredRouterPort(
  port: Port,
  subnetsById: ReadonlyMap<string, Subnet>,
  routerId: string,
  isGateway: boolean,
  context: RouterPortContext,
): DesiredLogicalRouterPort {
  const networks: string[] = [];
  let ra: Record<string, string> = {};
  for (const fixed of port.fixed_ips) {
    const subnet = subnetsById.get(fixed.subnet_id);
    if (!subnet) continue;
    const network = `${fixed.ip_address}/${prefixLength(subnet.cidr)}`;
    if (!networks.includes(network)) networks.push(network);
    if (subnet.ipv6_address_mode && Object.keys(ra).length === 0) {
      ra = {
        address_mode: subnet.ipv6_address_mode.replaceAll("-", "_"),
        // RAs of project subnets must not leak onto the provider network through the gateway.
        send_periodic: isGateway && context.network["router:external"] ? "false" : "true",
        mtu: String(context.network.mtu),
      };
    }
  }
  const options: Record<string, string> = {};
  const type = context.network["provider:network_type"];
  // Routing for VLAN/flat networks stays on the chassis hosting the gateway port.
  if (type === "vlan" || type === "flat") options["reside-on-redirect-chassis"] = "true";
  if (isGateway && context.gatewayMtu !== undefined) options.gateway_mtu = String(context.gatewayMtu);
  return {
    name: lrpName(port.id),
    mac: port.mac_address,
    networks,
    options,
    ipv6_ra_configs: ra,
    external_ids: {
      [EXT_ID.revision]: String(port.revision_number),
      [EXT_ID.subnetIds]: port.fixed_ips.map((f) => f.subnet_id).join(" "),
      [EXT_ID.networkName]: ovnName(port.network_id),
      // Python's str(bool), as Neutron writes it.
      [EXT_ID.isExtGw]: isGateway ? "True" : "False",
      [EXT_ID.routerName]: ovnName(routerId),
    },
  };
}
