/**
 * How Neutron's OVN driver names things in OVN_Northbound, and the external_ids keys it writes.
 * Rows are found again by these names, so they are the contract between Neutron's DB and OVN.
 */

export const lsName = (networkId: string): string => `neutron-${networkId}`;
export const lrName = (routerId: string): string => `neutron-${routerId}`;
export const lrpName = (portId: string): string => `lrp-${portId}`;
/** Neutron names localnet ports after the segment; we have one segment per network, named by it. */
export const localnetName = (networkId: string): string => `provnet-${networkId}`;
/** Port group of a security group: `pg_` and the id with `-` turned to `_` (OVN names are identifiers). */
export const pgName = (securityGroupId: string): string => `pg_${securityGroupId.replaceAll("-", "_")}`;
/** The group every port with port security joins: drops what no security group allows. */
export const PG_DROP = "neutron_pg_drop";

export const EXT = {
  networkName: "neutron:network_name",
  revision: "neutron:revision_number",
  mtu: "neutron:mtu",
  azHints: "neutron:availability_zone_hints",
  portName: "neutron:port_name",
  deviceId: "neutron:device_id",
  deviceOwner: "neutron:device_owner",
  cidrs: "neutron:cidrs",
  projectId: "neutron:project_id",
  securityGroupIds: "neutron:security_group_ids",
  routerName: "neutron:router_name",
  gwPortId: "neutron:gw_port_id",
  subnetIds: "neutron:subnet_ids",
  isExtGw: "neutron:is_ext_gw",
  subnetId: "neutron:subnet_id",
  fipId: "neutron:fip_id",
  fipPortId: "neutron:fip_port_id",
  fipNetworkId: "neutron:fip_network_id",
  securityGroupId: "neutron:security_group_id",
  securityGroupRuleId: "neutron:security_group_rule_id",
  /** DHCP_Options rows carry the subnet id under this bare key, as Neutron writes it. */
  dhcpSubnetId: "subnet_id",
} as const;
