/**
 * Security group rules → OVN ACLs on the group's port group, as Neutron's OVN driver writes them:
 * ingress rules are `to-lport` ACLs matching `outport == @pg`, egress rules `from-lport` ones
 * matching `inport == @pg`; a remote group becomes the address set ovn-northd keeps for that
 * group's port group (`$pg_…_ip4`/`_ip6`). Stateful groups allow-related, stateless ones
 * allow-stateless. Ports with port security also join `neutron_pg_drop`, whose two ACLs at a
 * lower priority drop whatever no rule allowed.
 */
import type { SecurityGroup, SecurityGroupRule } from "../domain/model.js";
import { EXT, PG_DROP, pgName } from "./names.js";
import type { NbRow } from "./rows.js";

export const ACL_PRIORITY_ALLOW = 1002;
export const ACL_PRIORITY_DROP = 1001;

const PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  dccp: 33,
  gre: 47,
  esp: 50,
  ah: 51,
  "ipv6-icmp": 58,
  icmpv6: 58,
  ospf: 89,
  pgm: 113,
  sctp: 132,
  udplite: 136,
  vrrp: 112,
};

/** The OVN match of one rule. */
export function aclMatch(rule: SecurityGroupRule): string {
  const ingress = rule.direction === "ingress";
  const v = rule.ethertype === "IPv6" ? "6" : "4";
  const parts = [`${ingress ? "outport" : "inport"} == @${pgName(rule.security_group_id)}`, `ip${v}`];
  const peer = ingress ? "src" : "dst";
  if (rule.remote_ip_prefix) parts.push(`ip${v}.${peer} == ${rule.remote_ip_prefix}`);
  else if (rule.remote_group_id) parts.push(`ip${v}.${peer} == $${pgName(rule.remote_group_id)}_ip${v}`);
  const proto = rule.protocol?.toLowerCase() ?? null;
  if (proto !== null && proto !== "any") {
    const number = /^\d+$/.test(proto) ? Number(proto) : (PROTOCOL_NUMBERS[proto] ?? -1);
    if (number === 6 || number === 17 || number === 132) {
      const name = number === 6 ? "tcp" : number === 17 ? "udp" : "sctp";
      parts.push(name);
      const { port_range_min: min, port_range_max: max } = rule;
      if (min !== null && max !== null && min === max) parts.push(`${name}.dst == ${min}`);
      else {
        if (min !== null) parts.push(`${name}.dst >= ${min}`);
        if (max !== null) parts.push(`${name}.dst <= ${max}`);
      }
    } else if (number === 1 || number === 58) {
      const icmp = v === "6" ? "icmp6" : "icmp4";
      parts.push(icmp);
      if (rule.port_range_min !== null) parts.push(`${icmp}.type == ${rule.port_range_min}`);
      if (rule.port_range_max !== null) parts.push(`${icmp}.code == ${rule.port_range_max}`);
    } else if (number >= 0) {
      parts.push(v === "6" ? `ip.proto == ${number}` : `ip.proto == ${number}`);
    }
  }
  return parts.join(" && ");
}

export function aclRow(rule: SecurityGroupRule, stateful: boolean): NbRow {
  return {
    direction: rule.direction === "ingress" ? "to-lport" : "from-lport",
    priority: ACL_PRIORITY_ALLOW,
    match: aclMatch(rule),
    action: stateful ? "allow-related" : "allow-stateless",
    log: false,
    name: null,
    severity: null,
    external_ids: { [EXT.securityGroupRuleId]: rule.id },
  };
}

export function portGroupRow(sg: SecurityGroup): NbRow {
  return { name: pgName(sg.id), external_ids: { [EXT.securityGroupId]: sg.id } };
}

/** The drop group's two ACLs: whatever reaches or leaves a secured port and no rule allowed. */
export function dropAclRows(): NbRow[] {
  return [
    {
      direction: "from-lport",
      priority: ACL_PRIORITY_DROP,
      match: `inport == @${PG_DROP} && ip`,
      action: "drop",
      log: false,
      name: null,
      severity: null,
      external_ids: {},
    },
    {
      direction: "to-lport",
      priority: ACL_PRIORITY_DROP,
      match: `outport == @${PG_DROP} && ip`,
      action: "drop",
      log: false,
      name: null,
      severity: null,
      external_ids: {},
    },
  ];
}
