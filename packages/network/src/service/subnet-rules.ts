/**
 * A subnet's attributes checked as Neutron checks them (cidr vs ip_version, gateway, DNS, host
 * routes, IPv6 modes) and its default gateway and pools. Pure.
 */
import { invalidInput } from "../domain/faults.js";
import { type Cidr, canonicalIp, formatCidr, formatIp, lastOf, parseCidr, parseIp } from "../domain/ip.js";
import { defaultAllocationPools, validateAllocationPools } from "../domain/ipam.js";
import type { AllocationPool, HostRoute, Ipv6Mode } from "../domain/model.js";

export const MAX_DNS_NAMESERVERS = 5;
export const MAX_HOST_ROUTES = 20;

/** The subnet's CIDR, canonical, or 400 when it does not parse or is of the other family. */
export function subnetCidr(text: string, ipVersion: 4 | 6): Cidr {
  const c = parseCidr(text);
  if (c === null) throw invalidInput(`'${text}' is not a valid IP subnet`);
  if (c.version !== ipVersion) throw invalidInput(`cidr '${text}' does not match the ip_version '${ipVersion}'`);
  if (c.version === 4 && c.prefix === 0) throw invalidInput("0.0.0.0/0 is not allowed as a subnet CIDR");
  return c;
}

/** The gateway: the first address when not given, null when null, else validated (not network/broadcast). */
export function subnetGateway(cidr: Cidr, gateway: string | null | undefined): string | null {
  if (gateway === null) return null;
  if (gateway === undefined) return formatIp(cidr.version, cidr.network + 1n);
  const ip = parseIp(gateway);
  if (ip === null || ip.version !== cidr.version)
    throw invalidInput(`gateway_ip '${gateway}' does not match the ip_version '${cidr.version}'`);
  const isEdge = ip.value === cidr.network || (cidr.version === 4 && cidr.prefix < 31 && ip.value === lastOf(cidr));
  if (isEdge) throw invalidInput(`Gateway is not valid on subnet ${formatCidr(cidr)}`);
  return formatIp(cidr.version, ip.value);
}

/** The pools: given ones validated against the subnet, else the defaults. */
export function subnetPools(
  cidr: Cidr,
  gateway: string | null,
  pools: readonly AllocationPool[] | undefined,
): AllocationPool[] {
  return pools === undefined ? defaultAllocationPools(cidr, gateway) : validateAllocationPools(cidr, pools, gateway);
}

export function checkNameservers(ipVersion: 4 | 6, servers: readonly string[]): string[] {
  if (servers.length > MAX_DNS_NAMESERVERS)
    throw invalidInput(`Number of DNS nameservers exceeds the limit ${MAX_DNS_NAMESERVERS}`);
  const out: string[] = [];
  for (const s of servers) {
    const c = canonicalIp(s);
    if (c === null) throw invalidInput(`'${s}' is not a valid nameserver`);
    if (out.includes(c)) throw invalidInput(`Duplicate nameserver '${s}'`);
    out.push(c);
  }
  void ipVersion;
  return out;
}

export function checkHostRoutes(ipVersion: 4 | 6, routes: readonly HostRoute[]): HostRoute[] {
  if (routes.length > MAX_HOST_ROUTES) throw invalidInput(`Number of host routes exceeds the limit ${MAX_HOST_ROUTES}`);
  const out: HostRoute[] = [];
  for (const r of routes) {
    const dest = parseCidr(r.destination);
    const hop = parseIp(r.nexthop);
    if (dest === null || hop === null) throw invalidInput(`Invalid route: ${JSON.stringify(r)}`);
    if (dest.version !== ipVersion || hop.version !== ipVersion)
      throw invalidInput(`Host route ${r.destination} does not match the ip_version '${ipVersion}'`);
    const route = { destination: formatCidr(dest), nexthop: formatIp(hop.version, hop.value) };
    if (out.some((o) => o.destination === route.destination && o.nexthop === route.nexthop))
      throw invalidInput(`Duplicate hostroute '${route.destination}'`);
    out.push(route);
  }
  return out;
}

/** Neutron's IPv6 mode rules (neutron/db/db_base_plugin_common `_validate_ipv6_attributes`). */
export function checkIpv6Modes(
  cidr: Cidr,
  enableDhcp: boolean,
  ra: Ipv6Mode | null | undefined,
  address: Ipv6Mode | null | undefined,
): void {
  const raSet = ra !== undefined && ra !== null;
  const addrSet = address !== undefined && address !== null;
  if (!raSet && !addrSet) return;
  if (cidr.version === 4) throw invalidInput("ipv6_ra_mode or ipv6_address_mode cannot be set when ip_version is 4");
  if (!enableDhcp)
    throw invalidInput("ipv6_ra_mode or ipv6_address_mode cannot be set when enable_dhcp is set to False");
  if (raSet && addrSet && ra !== address)
    throw invalidInput(
      `ipv6_ra_mode set to '${ra}' with ipv6_address_mode set to '${address}' is not valid. If both attributes are set, they must be the same value`,
    );
  const mode = address ?? ra;
  if ((mode === "slaac" || mode === "dhcpv6-stateless") && addrSet && cidr.prefix !== 64)
    throw invalidInput(
      `Invalid CIDR ${formatCidr(cidr)} for IPv6 address mode. OpenStack uses the EUI-64 address format, which requires the prefix to be /64`,
    );
}

/** Whether a subnet hands out addresses from the MAC (SLAAC or DHCPv6-stateless), not from its pools. */
export const isAutoAddressSubnet = (s: { ip_version: 4 | 6; ipv6_address_mode: Ipv6Mode | null }): boolean =>
  s.ip_version === 6 && (s.ipv6_address_mode === "slaac" || s.ipv6_address_mode === "dhcpv6-stateless");
