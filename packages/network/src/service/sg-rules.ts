/**
 * Security group rule validation and normalization as Neutron does it (protocol names and numbers,
 * port ranges for port protocols, ICMP type/code, ethertype vs prefix family). Pure.
 */
import { neutronError } from "../domain/faults.js";
import { formatCidr, parseCidr } from "../domain/ip.js";
import { PROTOCOL_NUMBERS } from "../domain/protocols.js";

export { PROTOCOL_NUMBERS } from "../domain/protocols.js";

const PORT_PROTOCOLS = new Set([6, 17, 33, 132, 136]);
const ICMP_PROTOCOLS = new Set([1, 58]);
const IPV6_ONLY = new Set(["ipv6-icmp", "icmpv6", "ipv6-encap", "ipv6-frag", "ipv6-nonxt", "ipv6-opts", "ipv6-route"]);

export interface RuleInput {
  direction: "ingress" | "egress";
  ethertype?: "IPv4" | "IPv6" | undefined;
  protocol?: string | number | null | undefined;
  port_range_min?: number | null | undefined;
  port_range_max?: number | null | undefined;
  remote_ip_prefix?: string | null | undefined;
  remote_group_id?: string | null | undefined;
}

export interface NormalizedRule {
  direction: "ingress" | "egress";
  ethertype: "IPv4" | "IPv6";
  protocol: string | null;
  port_range_min: number | null;
  port_range_max: number | null;
  remote_ip_prefix: string | null;
  normalized_cidr: string | null;
  remote_group_id: string | null;
}

const bad = (type: string, message: string) => neutronError("bad_request", type, message);

function protocolOf(p: string | number | null | undefined): { text: string | null; number: number | null } {
  if (p === null || p === undefined || p === "" || p === "any") return { text: null, number: null };
  const text = String(p).toLowerCase();
  const named = PROTOCOL_NUMBERS[text];
  if (named !== undefined) return { text, number: named };
  if (/^\d+$/.test(text) && Number(text) <= 255) return { text, number: Number(text) };
  throw bad(
    "SecurityGroupRuleInvalidProtocol",
    `Security group rule protocol ${String(p)} not supported. Only protocol values [${Object.keys(PROTOCOL_NUMBERS)
      .map((k) => `'${k}'`)
      .join(", ")}] and integer representations [0 to 255] are supported.`,
  );
}

/** The rule as Neutron stores it; throws Neutron's 400 for each invalid combination. */
export function normalizeRule(r: RuleInput): NormalizedRule {
  const ethertype = r.ethertype ?? "IPv4";
  const proto = protocolOf(r.protocol);
  const min = r.port_range_min ?? null;
  let max = r.port_range_max ?? null;
  if (proto.text !== null && IPV6_ONLY.has(proto.text) && ethertype === "IPv4")
    throw bad(
      "SecurityGroupEthertypeConflictWithProtocol",
      `Invalid ethertype ${ethertype} for protocol ${proto.text}.`,
    );
  if (proto.number === null) {
    if (min !== null || max !== null)
      throw bad("SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol if port range is given.");
  } else if (PORT_PROTOCOLS.has(proto.number)) {
    if (min !== null && max === null) max = min;
    if (min === null && max !== null)
      throw bad("SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max");
    for (const v of [min, max])
      if (v !== null && (v < 1 || v > 65535))
        throw bad("SecurityGroupInvalidPortValue", `Invalid value for port ${v}.`);
    if (min !== null && max !== null && min > max)
      throw bad("SecurityGroupInvalidPortRange", "For TCP/UDP protocols, port_range_min must be <= port_range_max");
  } else if (ICMP_PROTOCOLS.has(proto.number)) {
    if (min === null && max !== null)
      throw bad(
        "SecurityGroupMissingIcmpType",
        `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`,
      );
    for (const [field, attr, v] of [
      ["type", "port_range_min", min],
      ["code", "port_range_max", max],
    ] as const)
      if (v !== null && (v < 0 || v > 255))
        throw bad(
          "SecurityGroupInvalidIcmpValue",
          `Invalid value for ICMP ${field} (${attr}) ${v}. It must be 0 to 255.`,
        );
  } else if (min !== null || max !== null) {
    throw bad(
      "SecurityGroupInvalidProtocolForPortRange",
      `Invalid protocol ${proto.text} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`,
    );
  }
  const remoteGroup = r.remote_group_id ?? null;
  const prefix = r.remote_ip_prefix ?? null;
  if (remoteGroup !== null && prefix !== null)
    throw bad("SecurityGroupRemoteGroupAndRemoteIpPrefix", "Only remote_ip_prefix or remote_group_id may be provided.");
  let normalized: string | null = null;
  if (prefix !== null) {
    const c = parseCidr(prefix);
    if (c === null)
      throw bad("HTTPBadRequest", `Invalid input for remote_ip_prefix. Reason: '${prefix}' is not a valid IP subnet.`);
    if ((c.version === 4) !== (ethertype === "IPv4"))
      throw bad("SecurityGroupRuleParameterConflict", `Conflicting value ethertype ${ethertype} for CIDR ${prefix}`);
    normalized = formatCidr(c);
  }
  return {
    direction: r.direction,
    ethertype,
    protocol: proto.text,
    port_range_min: min,
    port_range_max: max,
    remote_ip_prefix: prefix,
    normalized_cidr: normalized,
    remote_group_id: remoteGroup,
  };
}

/** Whether two rules of a group are the same rule (Neutron's duplicate check). */
export function sameRule(a: NormalizedRule, b: NormalizedRule): boolean {
  const proto = (p: string | null) => (p === null ? null : String(PROTOCOL_NUMBERS[p] ?? p));
  return (
    a.direction === b.direction &&
    a.ethertype === b.ethertype &&
    proto(a.protocol) === proto(b.protocol) &&
    a.port_range_min === b.port_range_min &&
    a.port_range_max === b.port_range_max &&
    a.normalized_cidr === b.normalized_cidr &&
    a.remote_group_id === b.remote_group_id
  );
}
