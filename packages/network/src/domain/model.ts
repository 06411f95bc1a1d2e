/**
 * Neutron's resources as the v2.0 API shows them (field names are Neutron's own, snake_case and
 * `prefix:name` extension attributes included). The store keeps these records; the API renders
 * them (with `fields` filtering); mechanism drivers read them to program a backend.
 */

/** standard-attr: every resource with a revision number and timestamps. */
export interface StandardAttrs {
  id: string;
  /** RFC 3339 without fractional seconds, `Z` suffix, as Neutron renders them. */
  created_at: string;
  updated_at: string;
  /** Starts at 0 on create (Neutron shows 0 or 1); +1 on every update, including related changes. */
  revision_number: number;
  tags: string[];
  description: string;
}

export interface ProjectOwned {
  /** Same value as project_id; Neutron still renders both. */
  tenant_id: string;
  project_id: string;
}

export type NetworkType = "geneve" | "vlan" | "flat" | "local" | "vxlan";

export interface Network extends StandardAttrs, ProjectOwned {
  name: string;
  admin_state_up: boolean;
  status: "ACTIVE" | "DOWN" | "BUILD" | "ERROR";
  shared: boolean;
  "router:external": boolean;
  mtu: number;
  /** ids of this network's subnets, in creation order */
  subnets: string[];
  "provider:network_type": NetworkType;
  "provider:physical_network": string | null;
  "provider:segmentation_id": number | null;
  port_security_enabled: boolean;
  availability_zone_hints: string[];
  availability_zones: string[];
  ipv4_address_scope: string | null;
  ipv6_address_scope: string | null;
  l2_adjacency: boolean;
  is_default: boolean;
}

export interface AllocationPool {
  start: string;
  end: string;
}
export interface HostRoute {
  destination: string;
  nexthop: string;
}
export type Ipv6Mode = "slaac" | "dhcpv6-stateful" | "dhcpv6-stateless";

export interface Subnet extends StandardAttrs, ProjectOwned {
  name: string;
  network_id: string;
  ip_version: 4 | 6;
  /** canonical network address form, e.g. `10.0.0.0/24`, `fd00::/64` */
  cidr: string;
  gateway_ip: string | null;
  allocation_pools: AllocationPool[];
  dns_nameservers: string[];
  host_routes: HostRoute[];
  enable_dhcp: boolean;
  ipv6_ra_mode: Ipv6Mode | null;
  ipv6_address_mode: Ipv6Mode | null;
  subnetpool_id: string | null;
  service_types: string[];
  segment_id: string | null;
}

export interface FixedIp {
  subnet_id: string;
  ip_address: string;
}
export interface AddressPair {
  ip_address: string;
  mac_address: string;
}

/** device_owner values Neutron itself sets (others are free text, e.g. `compute:nova`). */
export const DEVICE_OWNER = {
  routerInterface: "network:router_interface",
  routerGateway: "network:router_gateway",
  floatingIp: "network:floatingip",
  dhcp: "network:dhcp",
  distributed: "network:distributed",
} as const;

export interface Port extends StandardAttrs, ProjectOwned {
  name: string;
  network_id: string;
  /** lower-case `fa:16:3e:xx:xx:xx` unless given */
  mac_address: string;
  admin_state_up: boolean;
  status: "ACTIVE" | "DOWN" | "BUILD" | "ERROR";
  device_id: string;
  device_owner: string;
  fixed_ips: FixedIp[];
  allowed_address_pairs: AddressPair[];
  extra_dhcp_opts: { opt_name: string; opt_value: string; ip_version: 4 | 6 }[];
  security_groups: string[];
  port_security_enabled: boolean;
  "binding:host_id": string;
  "binding:vif_type": string;
  "binding:vif_details": Record<string, unknown>;
  "binding:vnic_type": string;
  "binding:profile": Record<string, unknown>;
  dns_name: string;
  propagate_uplink_status: boolean;
}

export interface ExternalGatewayInfo {
  network_id: string;
  enable_snat: boolean;
  external_fixed_ips: FixedIp[];
}

export interface Router extends StandardAttrs, ProjectOwned {
  name: string;
  admin_state_up: boolean;
  status: "ACTIVE" | "DOWN" | "ERROR";
  external_gateway_info: ExternalGatewayInfo | null;
  routes: HostRoute[];
  distributed: boolean;
  ha: boolean;
  availability_zone_hints: string[];
  availability_zones: string[];
  flavor_id: string | null;
}

export interface FloatingIp extends StandardAttrs, ProjectOwned {
  floating_network_id: string;
  floating_ip_address: string;
  fixed_ip_address: string | null;
  port_id: string | null;
  router_id: string | null;
  status: "ACTIVE" | "DOWN" | "ERROR";
  dns_name: string;
  dns_domain: string;
  subnet_id?: string | null;
  qos_policy_id: string | null;
}

export interface SecurityGroupRule extends StandardAttrs, ProjectOwned {
  security_group_id: string;
  direction: "ingress" | "egress";
  ethertype: "IPv4" | "IPv6";
  /** null = any; a name (`tcp`, `udp`, `icmp`, `ipv6-icmp`, …) or a number as a string */
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  remote_group_id: string | null;
  remote_address_group_id: string | null;
  normalized_cidr: string | null;
  belongs_to_default_sg: boolean;
}

export interface SecurityGroup extends StandardAttrs, ProjectOwned {
  name: string;
  stateful: boolean;
  shared: boolean;
  /** rendered from the rules table; the store keeps rules separately */
  security_group_rules: SecurityGroupRule[];
}
