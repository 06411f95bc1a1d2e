/**
 * Neutron records with every field filled as the API renders them, for the unit tests of this
 * folder: each test overrides only what it is about.
 */
import type { FloatingIp, Network, Port, Router, SecurityGroupRule, Subnet } from "../../domain/model.js";

const standard = (id: string) => ({
  id,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
  revision_number: 3,
  tags: [],
  description: "",
  tenant_id: "proj-1",
  project_id: "proj-1",
});

/** A geneve tenant network `net-1`, MTU 1442. */
export function aNetwork(over: Partial<Network> = {}): Network {
  return {
    ...standard("net-1"),
    name: "private",
    admin_state_up: true,
    status: "ACTIVE",
    shared: false,
    "router:external": false,
    mtu: 1442,
    subnets: [],
    "provider:network_type": "geneve",
    "provider:physical_network": null,
    "provider:segmentation_id": 7,
    port_security_enabled: true,
    availability_zone_hints: [],
    availability_zones: [],
    ipv4_address_scope: null,
    ipv6_address_scope: null,
    l2_adjacency: true,
    is_default: false,
    ...over,
  };
}

/** An IPv4 subnet `sub-4` of net-1: 10.0.0.0/24, gateway 10.0.0.1, DHCP on. */
export function aSubnet(over: Partial<Subnet> = {}): Subnet {
  return {
    ...standard("sub-4"),
    name: "private-v4",
    network_id: "net-1",
    ip_version: 4,
    cidr: "10.0.0.0/24",
    gateway_ip: "10.0.0.1",
    allocation_pools: [{ start: "10.0.0.2", end: "10.0.0.254" }],
    dns_nameservers: [],
    host_routes: [],
    enable_dhcp: true,
    ipv6_ra_mode: null,
    ipv6_address_mode: null,
    subnetpool_id: null,
    service_types: [],
    segment_id: null,
    ...over,
  };
}

/** An IPv6 subnet `sub-6` of net-1: fd00::/64, gateway fd00::1, dhcpv6-stateful. */
export function aSubnet6(over: Partial<Subnet> = {}): Subnet {
  return aSubnet({
    id: "sub-6",
    name: "private-v6",
    ip_version: 6,
    cidr: "fd00::/64",
    gateway_ip: "fd00::1",
    allocation_pools: [{ start: "fd00::2", end: "fd00::ffff" }],
    ipv6_ra_mode: "dhcpv6-stateful",
    ipv6_address_mode: "dhcpv6-stateful",
    ...over,
  });
}

/** A VM port `port-1` on net-1 with 10.0.0.5, port security on, security group sg-1. */
export function aPort(over: Partial<Port> = {}): Port {
  return {
    ...standard("port-1"),
    name: "vm1-eth0",
    network_id: "net-1",
    mac_address: "fa:16:3e:00:00:01",
    admin_state_up: true,
    status: "DOWN",
    device_id: "vm-1",
    device_owner: "compute:nova",
    fixed_ips: [{ subnet_id: "sub-4", ip_address: "10.0.0.5" }],
    allowed_address_pairs: [],
    extra_dhcp_opts: [],
    security_groups: ["sg-1"],
    port_security_enabled: true,
    "binding:host_id": "",
    "binding:vif_type": "unbound",
    "binding:vif_details": {},
    "binding:vnic_type": "normal",
    "binding:profile": {},
    dns_name: "",
    propagate_uplink_status: false,
    ...over,
  };
}

/** A router `r-1` named `edge`, no gateway. */
export function aRouter(over: Partial<Router> = {}): Router {
  return {
    ...standard("r-1"),
    name: "edge",
    admin_state_up: true,
    status: "ACTIVE",
    external_gateway_info: null,
    routes: [],
    distributed: false,
    ha: false,
    availability_zone_hints: [],
    availability_zones: [],
    flavor_id: null,
    ...over,
  };
}

/** Floating IP `fip-1` 172.24.4.10 on ext-net, associated with port-1 (10.0.0.5) via r-1. */
export function aFloatingIp(over: Partial<FloatingIp> = {}): FloatingIp {
  return {
    ...standard("fip-1"),
    floating_network_id: "ext-net",
    floating_ip_address: "172.24.4.10",
    fixed_ip_address: "10.0.0.5",
    port_id: "port-1",
    router_id: "r-1",
    status: "ACTIVE",
    dns_name: "",
    dns_domain: "",
    qos_policy_id: null,
    ...over,
  };
}

/** Rule `rule-1` of sg `0a1b-2c3d`: ingress IPv4, any protocol, from anywhere. */
export function aRule(over: Partial<SecurityGroupRule> = {}): SecurityGroupRule {
  return {
    ...standard("rule-1"),
    security_group_id: "0a1b-2c3d",
    direction: "ingress",
    ethertype: "IPv4",
    protocol: null,
    port_range_min: null,
    port_range_max: null,
    remote_ip_prefix: null,
    remote_group_id: null,
    remote_address_group_id: null,
    normalized_cidr: null,
    belongs_to_default_sg: false,
    ...over,
  };
}
