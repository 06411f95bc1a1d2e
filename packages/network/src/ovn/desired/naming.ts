/**
 * The names Neutron's OVN driver gives OVN_Northbound rows and the external_ids keys it writes
 * (neutron/common/ovn/utils.py and constants.py). Rows are found again by these strings, so they
 * are the contract between Neutron's database and OVN: change none of them.
 */

/** Logical_Switch / Logical_Router name: `neutron-<uuid>` (OVN refuses bare UUIDs as names). */
export const ovnName = (id: string): string => `neutron-${id}`;

/** Logical_Router_Port name of a Neutron router port: `lrp-<port id>`. */
export const lrpName = (portId: string): string => `lrp-${portId}`;

/**
 * Localnet port name. Neutron names it `provnet-<segment id>`; Stratus keeps one segment per
 * network and no segment objects, so the segment id is the network id unless a caller has one.
 */
export const provnetPortName = (segmentId: string): string => `provnet-${segmentId}`;

/** Port_Group of a security group: `pg_<id>` with every `-` turned into `_`. */
export const portGroupName = (securityGroupId: string): string => `pg-${securityGroupId}`.replaceAll("-", "_");

/**
 * The address set ovn-northd derives from a security group's port group (`pg_<id>_ip4`/`_ip6`):
 * every address of its member ports. Neutron matches remote groups against it.
 */
export const portGroupAddressSetName = (securityGroupId: string, ipVersion: "ip4" | "ip6"): string =>
  `pg-${securityGroupId}-${ipVersion}`.replaceAll("-", "_");

/** Address set of an address group (`ag_<id>_ip4`/`_ip6`), kept by the address-group code. */
export const addressGroupAddressSetName = (addressGroupId: string, ipVersion: "ip4" | "ip6"): string =>
  `ag-${addressGroupId}-${ipVersion}`.replaceAll("-", "_");

/** The group every port with port security joins; its two ACLs drop what no rule allowed. */
export const DROP_PORT_GROUP = "neutron_pg_drop";

/** external_ids keys, as Neutron spells them. */
export const EXT_ID = {
  networkName: "neutron:network_name",
  networkId: "neutron:network_id",
  mtu: "neutron:mtu",
  revision: "neutron:revision_number",
  azHints: "neutron:availability_zone_hints",
  networkType: "neutron:provnet-network-type",
  physicalNetwork: "neutron:provnet-physical-network",
  portName: "neutron:port_name",
  deviceId: "neutron:device_id",
  deviceOwner: "neutron:device_owner",
  projectId: "neutron:project_id",
  cidrs: "neutron:cidrs",
  securityGroupIds: "neutron:security_group_ids",
  addressScope4: "neutron:subnet_pool_addr_scope4",
  addressScope6: "neutron:subnet_pool_addr_scope6",
  vnicType: "neutron:vnic_type",
  portCapabilities: "neutron:port_capabilities",
  routerName: "neutron:router_name",
  subnetIds: "neutron:subnet_ids",
  subnetId: "neutron:subnet_id",
  isExtGw: "neutron:is_ext_gw",
  isStaticRoute: "neutron:is_static_route",
  fipId: "neutron:fip_id",
  fipPortId: "neutron:fip_port_id",
  fipExternalMac: "neutron:fip_external_mac",
  fipNetworkId: "neutron:fip_network_id",
  securityGroupId: "neutron:security_group_id",
  securityGroupRuleId: "neutron:security_group_rule_id",
  /** DHCP_Options rows carry their subnet under this bare key. */
  dhcpSubnetId: "subnet_id",
} as const;

/** The prefix length of a CIDR (`10.0.0.0/24` → `24`). */
export const prefixLength = (cidr: string): string => cidr.slice(cidr.indexOf("/") + 1);

/** 4 or 6, from the textual form of an address. */
export const ipVersionOf = (address: string): 4 | 6 => (address.includes(":") ? 6 : 4);
