/**
 * The OVN_Northbound rows Neutron's OVN mechanism driver writes for Neutron resources, as pure
 * functions: no I/O; references between rows are symbolic (names, subnet ids) for the applier
 * to resolve in its transaction.
 *
 * ```ts
 * import { desiredSwitch, desiredSwitchPort } from "./ovn/desired/index.js";
 * const ls = desiredSwitch(network);                       // { name: "neutron-<id>", … }
 * const lsp = desiredSwitchPort(port, network, subnetsById); // row + dhcp refs + port groups
 * ```
 */
export { type DesiredDhcpOptions, type DhcpSettings, desiredDhcpOptions } from "./dhcp.js";
export {
  addressGroupAddressSetName,
  DROP_PORT_GROUP,
  EXT_ID,
  lrpName,
  ovnName,
  portGroupAddressSetName,
  portGroupName,
  provnetPortName,
} from "./naming.js";
export { type DesiredNat, desiredNats, type NatSettings } from "./nat.js";
export {
  type DesiredLogicalRouter,
  type DesiredLogicalRouterPort,
  desiredRouter,
  desiredRouterPort,
  type RouterPortContext,
  type RouterSettings,
} from "./router.js";
export {
  ACL_PRIORITY_ALLOW,
  ACL_PRIORITY_DROP,
  aclMatch,
  type DesiredAcl,
  type DesiredPortGroup,
  type DesiredPortGroupAcl,
  desiredAcl,
  desiredDropAcls,
  desiredDropPortGroup,
  desiredPortGroup,
} from "./security-group.js";
export { type DesiredStaticRoute, desiredStaticRoutes } from "./static-routes.js";
export {
  type DesiredLocalnetPort,
  type DesiredLogicalSwitch,
  desiredLocalnetPort,
  desiredSwitch,
  type SwitchOptions,
} from "./switch.js";
export {
  type DesiredLogicalSwitchPort,
  type DesiredSwitchPort,
  type DhcpOptionsRef,
  desiredSwitchPort,
  type SwitchPortOptions,
} from "./switch-port.js";
