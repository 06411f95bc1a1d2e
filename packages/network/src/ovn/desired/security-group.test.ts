import { describe, expect, it } from "vitest";
import type { SecurityGroup } from "../../domain/model.js";
import { aRule } from "./fixtures.js";
import { portGroupName } from "./naming.js";
import { aclMatch, desiredAcl, desiredDropAcls, desiredDropPortGroup, desiredPortGroup } from "./security-group.js";

const PG = "pg_0a1b_2c3d";

describe("portGroupName", () => {
  it.each([
    [
      "a UUID's dashes become underscores behind pg_",
      "5b1e4c1a-9f3e-4d2a-8c6b-0e7f1a2b3c4d",
      "pg_5b1e4c1a_9f3e_4d2a_8c6b_0e7f1a2b3c4d",
    ],
    ["an id without dashes only gets the prefix", "abc", "pg_abc"],
  ])("%s", (_name, id, name) => {
    expect(portGroupName(id)).toBe(name);
  });
});

describe("aclMatch", () => {
  it.each([
    ["an ingress rule for any IPv4 traffic matches the group's ports as destination", {}, `outport == @${PG} && ip4`],
    [
      "an egress IPv6 rule matches the group's ports as source",
      { direction: "egress", ethertype: "IPv6" },
      `inport == @${PG} && ip6`,
    ],
    [
      "an ingress prefix is the packet's source",
      { normalized_cidr: "192.168.0.0/16", remote_ip_prefix: "192.168.1.0/16" },
      `outport == @${PG} && ip4 && ip4.src == 192.168.0.0/16`,
    ],
    [
      "an egress prefix is the packet's destination",
      { direction: "egress", normalized_cidr: "10.0.0.0/8" },
      `inport == @${PG} && ip4 && ip4.dst == 10.0.0.0/8`,
    ],
    [
      "a remote group is matched against ovn-northd's address set of its port group",
      { remote_group_id: "ffff-0000" },
      `outport == @${PG} && ip4 && ip4.src == $pg_ffff_0000_ip4`,
    ],
    [
      "an IPv6 remote group uses the _ip6 address set",
      { ethertype: "IPv6", remote_group_id: "ffff-0000" },
      `outport == @${PG} && ip6 && ip6.src == $pg_ffff_0000_ip6`,
    ],
    [
      "a remote address group is matched against its own address set",
      { direction: "egress", remote_address_group_id: "ag-1" },
      `inport == @${PG} && ip4 && ip4.dst == $ag_ag_1_ip4`,
    ],
    [
      "a single TCP port is an equality",
      { protocol: "tcp", port_range_min: 22, port_range_max: 22 },
      `outport == @${PG} && ip4 && tcp && tcp.dst == 22`,
    ],
    [
      "a UDP port range is a pair of bounds",
      { protocol: "udp", port_range_min: 5000, port_range_max: 5100 },
      `outport == @${PG} && ip4 && udp && udp.dst >= 5000 && udp.dst <= 5100`,
    ],
    ["SCTP without ports matches the protocol only", { protocol: "sctp" }, `outport == @${PG} && ip4 && sctp`],
    [
      "a protocol number for TCP is written by name",
      { protocol: "6", port_range_min: 80, port_range_max: 80 },
      `outport == @${PG} && ip4 && tcp && tcp.dst == 80`,
    ],
    [
      "ICMP type and code come from the port range fields",
      { protocol: "icmp", port_range_min: 8, port_range_max: 0 },
      `outport == @${PG} && ip4 && icmp4 && icmp4.type == 8 && icmp4.code == 0`,
    ],
    [
      "ICMP with a type only matches the type",
      { protocol: "icmp", port_range_min: 8 },
      `outport == @${PG} && ip4 && icmp4 && icmp4.type == 8`,
    ],
    [
      "ipv6-icmp on an IPv6 rule is icmp6",
      { ethertype: "IPv6", protocol: "ipv6-icmp", port_range_min: 135 },
      `outport == @${PG} && ip6 && icmp6 && icmp6.type == 135`,
    ],
    [
      "the legacy icmpv6 name is icmp6 too",
      { ethertype: "IPv6", protocol: "icmpv6" },
      `outport == @${PG} && ip6 && icmp6`,
    ],
    [
      "a named protocol without ports is matched by number",
      { protocol: "gre" },
      `outport == @${PG} && ip4 && ip.proto == 47`,
    ],
    ["a numeric protocol is matched by number", { protocol: "112" }, `outport == @${PG} && ip4 && ip.proto == 112`],
  ] as const)("%s", (_name, over, match) => {
    expect(aclMatch(aRule(over))).toBe(match);
  });

  it.each([["bogus"], ["256"]])("refuses the unknown protocol %s with InvalidInput", (protocol) => {
    expect(() => aclMatch(aRule({ protocol }))).toThrow(expect.objectContaining({ code: "bad_request" }));
  });
});

describe("desiredAcl", () => {
  it.each([
    [
      "an ingress rule of a stateful group is a to-lport allow-related ACL",
      "ingress",
      true,
      "to-lport",
      "allow-related",
    ],
    [
      "an egress rule of a stateless group is a from-lport allow-stateless ACL",
      "egress",
      false,
      "from-lport",
      "allow-stateless",
    ],
  ] as const)("%s", (_name, direction, stateful, ovnDirection, action) => {
    const rule = aRule({ direction, protocol: "tcp", port_range_min: 22, port_range_max: 22 });
    expect(desiredAcl(rule, { stateful })).toEqual({
      portGroup: PG,
      row: {
        direction: ovnDirection,
        priority: 1002,
        match: aclMatch(rule),
        action,
        log: false,
        name: null,
        severity: null,
        meter: null,
        external_ids: { "neutron:security_group_rule_id": "rule-1" },
      },
    });
  });
});

describe("port groups", () => {
  it("names a security group's port group pg_<id> and records the group id", () => {
    expect(desiredPortGroup({ id: "0a1b-2c3d" } as SecurityGroup)).toEqual({
      name: PG,
      external_ids: { "neutron:security_group_id": "0a1b-2c3d" },
    });
  });

  it("makes the drop group neutron_pg_drop with one drop ACL each way below the rules' priority", () => {
    expect(desiredDropPortGroup()).toEqual({ name: "neutron_pg_drop", external_ids: {} });
    expect(
      desiredDropAcls().map((a) => [a.portGroup, a.row.direction, a.row.priority, a.row.match, a.row.action]),
    ).toEqual([
      ["neutron_pg_drop", "from-lport", 1000, "inport == @neutron_pg_drop && ip", "drop"],
      ["neutron_pg_drop", "to-lport", 1000, "outport == @neutron_pg_drop && ip", "drop"],
    ]);
  });
});
