/**
 * A subnet → the DHCP_Options row OVN's native DHCP serves it from (ovn_client.py
 * `_get_ovn_dhcp_options`, `_get_ovn_dhcpv4_opts`, `_get_ovn_dhcpv6_opts`).
 *
 * Map-valued options use OVN's `{a, b}` syntax; string ones are double-quoted.
 */
import type { Network, Subnet } from "../../domain/model.js";
import { EXT_ID, ipVersionOf } from "./naming.js";

/** DHCP_Options columns. */
export interface DesiredDhcpOptions {
  cidr: string;
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

/** Deployment settings; each defaults to Neutron's default. */
export interface DhcpSettings {
  /** [ovn] dhcp_default_lease_time, seconds; default 43200 */
  leaseTime?: number;
  /** [ovn] dns_servers: used when the subnet names none (Neutron falls back to resolv.conf) */
  dnsServers?: readonly string[];
  /** [DEFAULT] dns_domain; written as domain_name unless empty or "openstacklocal" */
  dnsDomain?: string;
  /** the IPv4 address of the network's OVN metadata port on this subnet, when there is one */
  metadataPortIp?: string;
}

const METADATA_V4_CIDR = "169.254.169.254/32";
const ANY = { 4: "0.0.0.0", 6: "::" } as const;

/**
 * The subnet's DNS servers, or the deployment's of the same IP version; none at all when the
 * single server given is the any-address (Neutron's way to switch DNS announcement off).
 */
function dnsServers(subnet: Subnet, settings: DhcpSettings): string[] {
  const version = subnet.ip_version;
  const servers =
    subnet.dns_nameservers.length > 0
      ? subnet.dns_nameservers
      : (settings.dnsServers ?? []).filter((ip) => ipVersionOf(ip) === version);
  if (servers.length === 1 && servers[0] === ANY[version]) return [];
  return [...servers];
}

const ovnSet = (items: readonly string[]): string => `{${items.join(", ")}}`;

function v4Options(
  subnet: Subnet,
  network: Network,
  serverMac: string,
  settings: DhcpSettings,
): Record<string, string> {
  const serverId = subnet.gateway_ip ?? settings.metadataPortIp;
  // Neutron still writes the row, with no options, so ovn-northd serves nothing for it.
  if (!serverId) return {};
  const options: Record<string, string> = {
    server_id: serverId,
    lease_time: String(settings.leaseTime ?? 43200),
    mtu: String(network.mtu),
    server_mac: serverMac,
  };
  if (settings.dnsDomain && settings.dnsDomain !== "openstacklocal") options.domain_name = `"${settings.dnsDomain}"`;
  if (subnet.gateway_ip) options.router = subnet.gateway_ip;
  const dns = dnsServers(subnet, settings);
  if (dns.length > 0) options.dns_server = ovnSet(dns);
  const routes: string[] = [];
  if (settings.metadataPortIp) routes.push(`${METADATA_V4_CIDR},${settings.metadataPortIp}`);
  routes.push(...subnet.host_routes.map((r) => `${r.destination},${r.nexthop}`));
  if (routes.length > 0) {
    // RFC 3442: a client that gets option 121 ignores option 3, so the default route goes in too.
    if (subnet.gateway_ip) routes.push(`0.0.0.0/0,${subnet.gateway_ip}`);
    options.classless_static_route = ovnSet(routes);
  }
  return options;
}

function v6Options(subnet: Subnet, serverMac: string, settings: DhcpSettings): Record<string, string> {
  const options: Record<string, string> = { server_id: serverMac };
  const dns = dnsServers(subnet, settings);
  if (dns.length > 0) options.dns_server = ovnSet(dns);
  if (subnet.ipv6_address_mode === "dhcpv6-stateless") options.dhcpv6_stateless = "true";
  return options;
}

/**
 * The DHCP_Options row of a subnet, or null when Neutron writes none: DHCP disabled, or an IPv6
 * subnet in SLAAC mode. `serverMac` is the MAC OVN answers from (v4 server_mac, v6 server_id);
 * keep the one already in NB so it does not change under clients. Pure.
 */
export function desiredDhcpOptions(
  subnet: Subnet,
  network: Network,
  serverMac: string,
  settings: DhcpSettings = {},
): DesiredDhcpOptions | null {
  if (!subnet.enable_dhcp) return null;
  if (subnet.ip_version === 6 && subnet.ipv6_address_mode === "slaac") return null;
  return {
    cidr: subnet.cidr,
    options:
      subnet.ip_version === 4
        ? v4Options(subnet, network, serverMac, settings)
        : v6Options(subnet, serverMac, settings),
    external_ids: {
      [EXT_ID.dhcpSubnetId]: subnet.id,
      [EXT_ID.networkId]: network.id,
      [EXT_ID.revision]: String(subnet.revision_number),
    },
  };
}
