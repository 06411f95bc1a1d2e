/**
 * Security groups → Port_Groups and ACLs (neutron/common/ovn/acl.py, utils.py
 * `create_neutron_pg_drop`, ovn_client.py `create_security_group`).
 *
 * Each group is a Port_Group `pg_<id>` holding its ports; each rule one ACL on it: ingress rules
 * `to-lport` matching `outport == @pg_…`, egress rules `from-lport` matching `inport == @pg_…`.
 * A remote group is matched against the address set ovn-northd itself keeps for that group's
 * port group (`$pg_<id>_ip4`/`_ip6`), as current Neutron does, so no Address_Set rows are
 * written for security groups. Ports with port security also join `neutron_pg_drop`, whose two
 * lower-priority ACLs drop whatever no rule allowed.
 */

import { invalidInput } from "../../domain/faults.js";
import type { SecurityGroup, SecurityGroupRule } from "../../domain/model.js";
import { PROTOCOL_NUMBERS } from "../../domain/protocols.js";
import {
  addressGroupAddressSetName,
  DROP_PORT_GROUP,
  EXT_ID,
  portGroupAddressSetName,
  portGroupName,
} from "./naming.js";

/** ACL priority of security group rules. */
export const ACL_PRIORITY_ALLOW = 1002;
/**
 * ACL priority of the drop group's ACLs. Current Neutron uses 1000 (it moved from 1001 when
 * per-group logged drop ACLs took 1001); both lie below the rules' 1002.
 */
export const ACL_PRIORITY_DROP = 1000;

/** ACL columns the driver sets; log/meter/name/severity are those of logging off. */
export interface DesiredAcl {
  direction: "from-lport" | "to-lport";
  priority: number;
  match: string;
  action: "allow-related" | "allow-stateless" | "drop";
  log: boolean;
  name: string | null;
  severity: string | null;
  meter: string | null;
  external_ids: Record<string, string>;
}

/** An ACL and the Port_Group (by name) whose `acls` hold it. */
export interface DesiredPortGroupAcl {
  portGroup: string;
  row: DesiredAcl;
}

/** Port_Group columns the driver sets (ports and acls are references, kept by the applier). */
export interface DesiredPortGroup {
  name: string;
  external_ids: Record<string, string>;
}

const TRANSPORT: Readonly<Record<number, string>> = { 6: "tcp", 17: "udp", 132: "sctp" };

/** The protocol number of a rule, null for any; throws InvalidInput (400) for an unknown name. */
function protocolNumber(protocol: string | null): number | null {
  if (protocol === null) return null;
  if (/^\d+$/.test(protocol)) {
    const n = Number(protocol);
    if (n <= 255) return n;
  } else {
    const n = PROTOCOL_NUMBERS[protocol];
    if (n !== undefined) return n;
  }
  throw invalidInput(
    `The protocol "${protocol}" is not supported. Valid protocols are: ${Object.keys(PROTOCOL_NUMBERS).join(", ")}; or protocol numbers ranging from 0 to 255`,
  );
}

function protocolMatch(rule: SecurityGroupRule, icmp: "icmp4" | "icmp6"): string[] {
  const number = protocolNumber(rule.protocol);
  if (number === null) return [];
  const { port_range_min: min, port_range_max: max } = rule;
  const transport = TRANSPORT[number];
  if (transport !== undefined) {
    if (min !== null && min === max) return [transport, `${transport}.dst == ${min}`];
    return [
      transport,
      ...(min !== null ? [`${transport}.dst >= ${min}`] : []),
      ...(max !== null ? [`${transport}.dst <= ${max}`] : []),
    ];
  }
  if (number === 1 || number === 58) {
    // The ethertype picks the ICMP version, whichever ICMP name the rule used.
    return [
      icmp,
      ...(min !== null ? [`${icmp}.type == ${min}`] : []),
      ...(max !== null ? [`${icmp}.code == ${max}`] : []),
    ];
  }
  return [`ip.proto == ${number}`];
}

/**
 * The OVN match of a rule, e.g. `outport == @pg_x && ip4 && ip4.src == 10.0.0.0/8 && tcp &&
 * tcp.dst == 22`. The remote peer is the source of ingress and the destination of egress
 * traffic. Throws InvalidInput for an unknown protocol name. Pure.
 */
export function aclMatch(rule: SecurityGroupRule): string {
  const ingress = rule.direction === "ingress";
  const ip = rule.ethertype === "IPv6" ? "ip6" : "ip4";
  const peer = `${ip}.${ingress ? "src" : "dst"}`;
  const parts = [`${ingress ? "outport" : "inport"} == @${portGroupName(rule.security_group_id)}`, ip];
  const prefix = rule.normalized_cidr ?? rule.remote_ip_prefix;
  if (prefix) parts.push(`${peer} == ${prefix}`);
  if (rule.remote_group_id) parts.push(`${peer} == $${portGroupAddressSetName(rule.remote_group_id, ip)}`);
  if (rule.remote_address_group_id) {
    parts.push(`${peer} == $${addressGroupAddressSetName(rule.remote_address_group_id, ip)}`);
  }
  parts.push(...protocolMatch(rule, ip === "ip6" ? "icmp6" : "icmp4"));
  return parts.join(" && ");
}

/**
 * The ACL of a security group rule on its group's Port_Group: priority 1002, allow-related
 * for a stateful group, allow-stateless for a stateless one. Throws InvalidInput for an
 * unknown protocol name. Pure.
 */
export function desiredAcl(rule: SecurityGroupRule, options: { stateful: boolean }): DesiredPortGroupAcl {
  return {
    portGroup: portGroupName(rule.security_group_id),
    row: {
      direction: rule.direction === "ingress" ? "to-lport" : "from-lport",
      priority: ACL_PRIORITY_ALLOW,
      match: aclMatch(rule),
      action: options.stateful ? "allow-related" : "allow-stateless",
      log: false,
      name: null,
      severity: null,
      meter: null,
      external_ids: { [EXT_ID.securityGroupRuleId]: rule.id },
    },
  };
}

/** The Port_Group of a security group. Pure. */
export function desiredPortGroup(sg: SecurityGroup): DesiredPortGroup {
  return { name: portGroupName(sg.id), external_ids: { [EXT_ID.securityGroupId]: sg.id } };
}

/** The `neutron_pg_drop` Port_Group (Neutron creates it with no external_ids). */
export function desiredDropPortGroup(): DesiredPortGroup {
  return { name: DROP_PORT_GROUP, external_ids: {} };
}

/** The drop group's two ACLs: IP traffic leaving (from-lport) and reaching (to-lport) its ports. */
export function desiredDropAcls(): DesiredPortGroupAcl[] {
  return (
    [
      ["from-lport", "inport"],
      ["to-lport", "outport"],
    ] as const
  ).map(([direction, port]) => ({
    portGroup: DROP_PORT_GROUP,
    row: {
      direction,
      priority: ACL_PRIORITY_DROP,
      match: `${port} == @${DROP_PORT_GROUP} && ip`,
      action: "drop",
      log: false,
      name: null,
      severity: null,
      meter: null,
      external_ids: {},
    },
  }));
}
