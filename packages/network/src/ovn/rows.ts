/**
 * The driver's view of the desired rows: thin adapters over ./desired (the pure Neutron → NB
 * translation, which follows Neutron's OVN driver) in the shape the ensure-* functions write.
 */
import type { Network, Port, Router, Subnet } from "../domain/model.js";
import {
  desiredDhcpOptions,
  desiredLocalnetPort,
  desiredRouter,
  desiredRouterPort,
  desiredSwitch,
  desiredSwitchPort,
} from "./desired/index.js";

export type NbRow = Record<string, unknown>;

export const switchRow = (net: Network): NbRow => ({ ...desiredSwitch(net) });

/** The localnet port of a flat or VLAN provider network, or undefined for overlay networks. */
export function localnetRow(net: Network): NbRow | undefined {
  const row = desiredLocalnetPort(net);
  return row ? { ...row } : undefined;
}

/**
 * The Logical_Switch_Port of a Neutron port with the subnets its DHCP options come from and the
 * port groups it joins; undefined for ports OVN does not model (floating IP ports).
 */
export function switchPort(
  port: Port,
  net: Network,
  subnets: ReadonlyMap<string, Subnet>,
): { row: NbRow; dhcpv4Subnet: string | null; dhcpv6Subnet: string | null; portGroups: string[] } | undefined {
  const d = desiredSwitchPort(port, net, subnets);
  if (!d) return undefined;
  return {
    row: { ...d.row },
    dhcpv4Subnet: d.dhcpv4Options?.subnetId ?? null,
    dhcpv6Subnet: d.dhcpv6Options?.subnetId ?? null,
    portGroups: d.portGroups,
  };
}

/** DHCP_Options of a subnet, or undefined when OVN serves no DHCP for it (disabled, SLAAC). */
export function dhcpOptionsRow(subnet: Subnet, net: Network, serverMac: string): NbRow | undefined {
  const row = desiredDhcpOptions(subnet, net, serverMac);
  return row ? { ...row } : undefined;
}

export const routerRow = (router: Router): NbRow => ({ ...desiredRouter(router) });

/** The Logical_Router_Port of a router interface or gateway port. */
export function routerPortRow(
  port: Port,
  subnets: ReadonlyMap<string, Subnet>,
  routerId: string,
  network: Network,
  isGateway: boolean,
): NbRow {
  return { ...desiredRouterPort(port, subnets, routerId, isGateway, { network }) };
}
