/**
 * A Neutron port → its Logical_Switch_Port (ovn_client.py `_get_port_options`,
 * `_get_allowed_addresses_from_port`, `get_external_ids_from_port`, and the router-port
 * overrides of commands.py `SetLRouterPortInLSwitchPortCommand`).
 *
 * Not modelled (Stratus has no such ports): vtep and container (parent_name/tag) ports from the
 * binding profile, `virtual` ports, per-port DHCP_Options rows for extra_dhcp_opts (the port
 * refers to its subnet's row; only `dhcp_disabled` is honoured), QoS options, and the
 * `mcast_flood_reports` option, which Neutron writes only for NB schemas older than 6.3.0.
 */
import type { Network, Port, Subnet } from "../../domain/model.js";
import { DEVICE_OWNER } from "../../domain/model.js";
import { DROP_PORT_GROUP, EXT_ID, ipVersionOf, lrpName, ovnName, portGroupName, prefixLength } from "./naming.js";

/** Logical_Switch_Port columns the driver sets (references excluded, see DesiredSwitchPort). */
export interface DesiredLogicalSwitchPort {
  name: string;
  type: string;
  addresses: string[];
  port_security: string[];
  enabled: boolean;
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

/** A DHCP_Options row, named by the subnet whose row it is; the applier resolves it to a uuid. */
export interface DhcpOptionsRef {
  subnetId: string;
}

/** The port's row plus what it refers to, left symbolic for the applier. */
export interface DesiredSwitchPort {
  /** the Logical_Switch it belongs to (`neutron-<network id>`) */
  switchName: string;
  row: DesiredLogicalSwitchPort;
  /** Logical_Switch_Port.dhcpv4_options, or null */
  dhcpv4Options: DhcpOptionsRef | null;
  /** Logical_Switch_Port.dhcpv6_options, or null */
  dhcpv6Options: DhcpOptionsRef | null;
  /** Port_Group names the port is a member of (drop group and security groups) */
  portGroups: string[];
}

export interface SwitchPortOptions {
  /**
   * Put "VRRPv3 <mac> <vmac> <ip>" entries in port_security for allowed address pairs with a
   * MAC of their own, as Neutron does (needs an ovn-northd that parses them); default true.
   */
  vrrpv3PortSecurity?: boolean;
  /** [ovn] live_migration_activation_strategy for ports being live-migrated; default "rarp" */
  liveMigrationActivationStrategy?: string;
}

const EXTERNAL_VNIC_TYPES = new Set(["direct", "direct-physical", "macvtap", "baremetal"]);
const isRouterPort = (p: Port): boolean =>
  p.device_owner === DEVICE_OWNER.routerInterface || p.device_owner === DEVICE_OWNER.routerGateway;
/** neutron-lib is_port_trusted: ports Neutron itself owns get no security groups. */
const isTrusted = (p: Port): boolean => p.device_owner.startsWith("network:");
/** Network device ports (`network:*`, `neutron:*`) never get OVN's DHCP. */
const isNetworkDevice = (p: Port): boolean =>
  p.device_owner.startsWith("network:") || p.device_owner.startsWith("neutron:");

function capabilities(port: Port): string[] {
  const caps = port["binding:profile"].capabilities;
  return Array.isArray(caps) ? caps.map(String) : [];
}

function portType(port: Port): string {
  if (isRouterPort(port)) return "router";
  if (port.device_owner === DEVICE_OWNER.distributed) return "localport";
  const external = EXTERNAL_VNIC_TYPES.has(port["binding:vnic_type"]) && !capabilities(port).includes("switchdev");
  return external ? "external" : "";
}

/** port_security entries and the extra MACs (of address pairs) the port may also use. */
function portSecurity(port: Port, vrrpv3: boolean): { entries: string[]; extraMacs: string[] } {
  if (!port.port_security_enabled || isTrusted(port)) return { entries: [], extraMacs: [] };
  const own = [port.mac_address, ...port.fixed_ips.map((f) => f.ip_address)];
  const others: string[] = [];
  const extraMacs: string[] = [];
  for (const pair of port.allowed_address_pairs) {
    if (pair.mac_address === port.mac_address) {
      own.push(pair.ip_address);
      continue;
    }
    if (vrrpv3) others.push(`VRRPv3 ${port.mac_address} ${pair.mac_address} ${pair.ip_address}`);
    others.push(`${pair.mac_address} ${pair.ip_address}`);
    extraMacs.push(pair.mac_address);
  }
  return { entries: [...new Set([own.join(" "), ...others])], extraMacs: [...new Set(extraMacs)] };
}

function dhcpDisabled(port: Port, version: 4 | 6): boolean {
  if (isNetworkDevice(port)) return true;
  return port.extra_dhcp_opts.some(
    (o) => o.ip_version === version && o.opt_name === "dhcp_disabled" && o.opt_value.toLowerCase() === "true",
  );
}

/** Whether Neutron writes a DHCP_Options row for the subnet (see desiredDhcpOptions). */
const servesDhcp = (s: Subnet): boolean => s.enable_dhcp && !(s.ip_version === 6 && s.ipv6_address_mode === "slaac");

/**
 * The subnet whose DHCP_Options the port uses for one IP version: the first of its subnets
 * with a row; for IPv6 a stateful one is preferred so the port gets an address.
 */
function dhcpRef(port: Port, subnetsById: ReadonlyMap<string, Subnet>, version: 4 | 6): DhcpOptionsRef | null {
  if (dhcpDisabled(port, version)) return null;
  const served = port.fixed_ips
    .filter((f) => ipVersionOf(f.ip_address) === version)
    .map((f) => subnetsById.get(f.subnet_id))
    .filter((s): s is Subnet => s !== undefined && servesDhcp(s));
  const chosen =
    version === 6 ? (served.find((s) => s.ipv6_address_mode !== "dhcpv6-stateless") ?? served[0]) : served[0];
  return chosen ? { subnetId: chosen.id } : null;
}

function requestedChassis(port: Port, options: SwitchPortOptions): Record<string, string> {
  const host = port["binding:host_id"];
  if (!host) return {};
  const target = port["binding:profile"].migrating_to;
  if (typeof target !== "string" || target === "") return { "requested-chassis": host };
  const out: Record<string, string> = { "requested-chassis": `${host},${target}` };
  if (port["binding:vif_type"] !== "vhostuser") {
    out["activation-strategy"] = options.liveMigrationActivationStrategy ?? "rarp";
  }
  return out;
}

/**
 * The Logical_Switch_Port of a port, named by the port id (it must match the iface-id Nova
 * plugs), or null for floating IP ports, which Neutron keeps out of OVN. `subnetsById` must hold
 * the port's subnets. Pure.
 */
export function desiredSwitchPort(
  port: Port,
  network: Network,
  subnetsById: ReadonlyMap<string, Subnet>,
  options: SwitchPortOptions = {},
): DesiredSwitchPort | null {
  if (port.device_owner === DEVICE_OWNER.floatingIp) return null;
  const type = portType(port);
  const security = portSecurity(port, options.vrrpv3PortSecurity ?? true);
  const dhcpv4Options = dhcpRef(port, subnetsById, 4);
  const dhcpv6Options = dhcpRef(port, subnetsById, 6);
  const address = [port.mac_address, ...port.fixed_ips.map((f) => f.ip_address)].join(" ");
  const cidrs = port.fixed_ips.flatMap((f) => {
    const subnet = subnetsById.get(f.subnet_id);
    return subnet ? [`${f.ip_address}/${prefixLength(subnet.cidr)}`] : [];
  });
  const secured = security.entries.length > 0;

  let addresses: string[] = [];
  if (secured || type !== "" || dhcpv4Options || dhcpv6Options) addresses.push(address, ...security.extraMacs);
  if (!secured && type === "") addresses.push("unknown");
  let portOptions: Record<string, string> = type === "external" ? {} : requestedChassis(port, options);
  if (type === "router") {
    // The router port's peer: OVN answers ARP for the router's addresses, so no MAC/IP list.
    addresses = ["router"];
    portOptions = { "router-port": lrpName(port.id) };
    if (port.device_owner === DEVICE_OWNER.routerGateway) {
      portOptions["nat-addresses"] = "router";
      portOptions["exclude-lb-vips-from-garp"] = "true";
    }
  }

  const securityGroups = isTrusted(port) ? [] : port.security_groups;
  const row: DesiredLogicalSwitchPort = {
    name: port.id,
    type,
    addresses,
    port_security: security.entries,
    enabled: port.admin_state_up,
    options: portOptions,
    external_ids: {
      [EXT_ID.portName]: port.name,
      [EXT_ID.deviceId]: port.device_id,
      [EXT_ID.projectId]: port.project_id,
      [EXT_ID.cidrs]: cidrs.join(" "),
      [EXT_ID.deviceOwner]: port.device_owner,
      // Address scopes come from the subnet pools; a network's scope is that of its subnets.
      [EXT_ID.addressScope4]: network.ipv4_address_scope ?? "",
      [EXT_ID.addressScope6]: network.ipv6_address_scope ?? "",
      [EXT_ID.networkName]: ovnName(port.network_id),
      [EXT_ID.securityGroupIds]: securityGroups.join(" "),
      [EXT_ID.revision]: String(port.revision_number),
      [EXT_ID.vnicType]: port["binding:vnic_type"],
      [EXT_ID.portCapabilities]: capabilities(port).join(";"),
      [EXT_ID.mtu]: type === "localport" ? String(network.mtu) : "",
    },
  };
  const portGroups = [...(secured && !isTrusted(port) ? [DROP_PORT_GROUP] : []), ...securityGroups.map(portGroupName)];
  return { switchName: ovnName(port.network_id), row, dhcpv4Options, dhcpv6Options, portGroups };
}
