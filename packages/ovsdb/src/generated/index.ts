/** Typed models of the OVN and Open_vSwitch databases, generated from their .ovsschema files. */

export type * as OpenVSwitch from "./open-vswitch.gen.js";
export { OPEN_VSWITCH_DATABASE, OPEN_VSWITCH_SCHEMA, type OpenVSwitchTables } from "./open-vswitch.gen.js";
export type * as OvnNorthbound from "./ovn-northbound.gen.js";
export { OVN_NORTHBOUND_DATABASE, OVN_NORTHBOUND_SCHEMA, type OvnNorthboundTables } from "./ovn-northbound.gen.js";
export type * as OvnSouthbound from "./ovn-southbound.gen.js";
export { OVN_SOUTHBOUND_DATABASE, OVN_SOUTHBOUND_SCHEMA, type OvnSouthboundTables } from "./ovn-southbound.gen.js";
