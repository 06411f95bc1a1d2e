/**
 * Neutron resources → the OVN_Northbound rows Neutron's OVN driver writes for them. Pure: no I/O,
 * references to other rows are left to the caller (the driver resolves them in its transaction).
 */
import type { Network, Port, Router, Subnet } from "../domain/model.js";
import { DEVICE_OWNER } from "../domain/model.js";
import { EXT, lrName, lrpName, lsName, PG_DROP, pgName } from "./names.js";

export type NbRow = Record<string, unknown>;

const prefixLen = (cidr: string): string => cidr.slice(cidr.indexOf("/") + 1);

export function switchRow(net: Network): NbRow {
  return {
    name: lsName(net.id),
    external_ids: {
      [EXT.networkName]: net.name,
      [EXT.revision]: String(net.revision_number),
      [EXT.mtu]: String(net.mtu),
      [EXT.azHints]: net.availability_zone_hints.join(","),
    },
    other_config: { mcast_snoop: "false", mcast_flood_unregistered: "false", "vlan-passthru": "false" },
  };
}

/** The localnet port of a flat or VLAN provider network, or undefined for overlay networks. */
export function localnetRow(net: Network, name: string): NbRow | undefined {
  const type = net["provider:network_type"];
  if ((type !== "flat" && type !== "vlan") || !net["provider:physical_network"]) return undefined;
  return {
    name,
    type: "localnet",
    addresses: ["unknown"],
    options: { network_name: net["provider:physical_network"], mcast_flood: "false", mcast_flood_reports: "true" },
    tag_request: type === "vlan" ? net["provider:segmentation_id"] : null,
    external_ids: { [EXT.networkName]: lsName(net.id) },
  };
}

const isRouterPort = (p: Port): boolean =>
  p.device_owner === DEVICE_OWNER.routerInterface || p.device_owner === DEVICE_OWNER.routerGateway;

/** The Logical_Switch_Port of a Neutron port (without its DHCP option references). */
export function switchPortRow(port: Port, net: Network, subnets: ReadonlyMap<string, Subnet>): NbRow {
  const ips = port.fixed_ips.map((f) => f.ip_address);
  const cidrs = port.fixed_ips.map((f) => {
    const s = subnets.get(f.subnet_id);
    return s ? `${f.ip_address}/${prefixLen(s.cidr)}` : f.ip_address;
  });
  const base = [port.mac_address, ...ips].join(" ");
  const router = isRouterPort(port);
  const secured = port.port_security_enabled && !router;
  return {
    name: port.id,
    type: router ? "router" : port.device_owner === DEVICE_OWNER.distributed ? "localport" : "",
    addresses: router ? ["router"] : secured ? [base] : [base, "unknown"],
    port_security: secured ? [base, ...port.allowed_address_pairs.map((p) => `${p.mac_address} ${p.ip_address}`)] : [],
    enabled: port.admin_state_up,
    options: router
      ? { "router-port": lrpName(port.id) }
      : port["binding:host_id"]
        ? { "requested-chassis": port["binding:host_id"], mcast_flood_reports: "true" }
        : { mcast_flood_reports: "true" },
    external_ids: {
      [EXT.portName]: port.name,
      [EXT.deviceId]: port.device_id,
      [EXT.deviceOwner]: port.device_owner,
      [EXT.cidrs]: cidrs.join(" "),
      [EXT.networkName]: lsName(net.id),
      [EXT.projectId]: port.project_id,
      [EXT.revision]: String(port.revision_number),
      [EXT.securityGroupIds]: secured ? port.security_groups.join(" ") : "",
    },
  };
}

/** The port groups a port belongs to: its security groups' and the drop group (when secured). */
export function portGroupsOf(port: Port): string[] {
  if (!port.port_security_enabled || isRouterPort(port)) return [];
  return [PG_DROP, ...port.security_groups.map(pgName)];
}

/** DHCP_Options of a subnet, or undefined when OVN serves no DHCP for it (disabled, SLAAC). */
export function dhcpOptionsRow(subnet: Subnet, net: Network, serverMac: string): NbRow | undefined {
  if (!subnet.enable_dhcp) return undefined;
  const external_ids = { [EXT.dhcpSubnetId]: subnet.id, [EXT.revision]: String(subnet.revision_number) };
  const dns = subnet.dns_nameservers.length > 0 ? `{${subnet.dns_nameservers.join(", ")}}` : undefined;
  if (subnet.ip_version === 4) {
    const routes = subnet.host_routes.map((r) => `${r.destination},${r.nexthop}`);
    if (subnet.gateway_ip) routes.push(`0.0.0.0/0,${subnet.gateway_ip}`);
    const options: Record<string, string> = {
      lease_time: "43200",
      mtu: String(net.mtu),
      server_id: subnet.gateway_ip ?? firstHost(subnet),
      server_mac: serverMac,
    };
    if (subnet.gateway_ip) options.router = subnet.gateway_ip;
    if (dns) options.dns_server = dns;
    if (routes.length > 0) options.classless_static_route = `{${routes.join(", ")}}`;
    return { cidr: subnet.cidr, options, external_ids };
  }
  if (subnet.ipv6_address_mode === "slaac" || subnet.ipv6_address_mode === null) return undefined;
  const options: Record<string, string> = { server_id: serverMac };
  if (subnet.ipv6_address_mode === "dhcpv6-stateless") options.dhcpv6_stateless = "true";
  if (dns) options.dns_server = dns;
  return { cidr: subnet.cidr, options, external_ids };
}

function firstHost(subnet: Subnet): string {
  return subnet.allocation_pools[0]?.start ?? subnet.cidr.slice(0, subnet.cidr.indexOf("/"));
}

export function routerRow(router: Router, gwPortId: string | undefined): NbRow {
  return {
    name: lrName(router.id),
    enabled: router.admin_state_up,
    options: { always_learn_from_arp_request: "false", dynamic_neigh_routers: "true" },
    external_ids: {
      [EXT.routerName]: router.name,
      [EXT.revision]: String(router.revision_number),
      [EXT.gwPortId]: gwPortId ?? "",
      [EXT.azHints]: router.availability_zone_hints.join(","),
    },
  };
}

/** The Logical_Router_Port of a router interface or gateway port. */
export function routerPortRow(port: Port, subnets: ReadonlyMap<string, Subnet>, routerId: string): NbRow {
  const gateway = port.device_owner === DEVICE_OWNER.routerGateway;
  const networks: string[] = [];
  const subnetIds: string[] = [];
  let ra: Record<string, string> = {};
  for (const f of port.fixed_ips) {
    const s = subnets.get(f.subnet_id);
    if (!s) continue;
    networks.push(`${f.ip_address}/${prefixLen(s.cidr)}`);
    subnetIds.push(s.id);
    if (s.ip_version === 6 && s.ipv6_ra_mode && !gateway) {
      ra = { address_mode: s.ipv6_ra_mode, send_periodic: "true", mtu: "1442" };
    }
  }
  return {
    name: lrpName(port.id),
    mac: port.mac_address,
    networks,
    enabled: port.admin_state_up,
    ipv6_ra_configs: ra,
    external_ids: {
      [EXT.networkName]: lsName(port.network_id),
      [EXT.revision]: String(port.revision_number),
      [EXT.routerName]: routerId,
      [EXT.subnetIds]: subnetIds.join(" "),
      ...(gateway && { [EXT.isExtGw]: "True" }),
    },
  };
}
