import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
beforeEach(async () => {
  t = await neutronTestApp();
});
afterEach(async () => t.app.close());

// biome-ignore lint/suspicious/noExplicitAny: test records
const rule = (sg: any, attrs: Record<string, unknown>) =>
  t.call("POST", "/v2.0/security-group-rules", { security_group_rule: { security_group_id: sg.id, ...attrs } });

describe("security groups", () => {
  it("creates the project's default group on first need with Neutron's four default rules", async () => {
    const list = (await t.call("GET", "/v2.0/security-groups")).body.security_groups;
    expect(list).toHaveLength(1);
    const sg = list[0];
    expect(sg).toMatchObject({
      name: "default",
      description: "Default security group",
      project_id: "p-member",
      stateful: true,
    });
    const rules = sg.security_group_rules.map(
      (r: { direction: string; ethertype: string; remote_group_id: string | null; protocol: string | null }) =>
        `${r.direction}/${r.ethertype}/${r.remote_group_id === sg.id ? "self" : r.remote_group_id}/${r.protocol}`,
    );
    expect(rules.sort()).toEqual([
      "egress/IPv4/null/null",
      "egress/IPv6/null/null",
      "ingress/IPv4/self/null",
      "ingress/IPv6/self/null",
    ]);
    expect((await t.call("GET", "/v2.0/security-groups")).body.security_groups).toHaveLength(1);
  });

  it("creates a group with two egress rules, and refuses to delete the default group (409)", async () => {
    const sg = await t.make("security-groups", "security_group", { name: "web", description: "w" });
    expect(sg.security_group_rules.map((r: { direction: string }) => r.direction)).toEqual(["egress", "egress"]);
    const def = (await t.call("GET", "/v2.0/security-groups?name=default")).body.security_groups[0];
    const res = await t.call("DELETE", `/v2.0/security-groups/${def.id}`);
    expect(res.status).toBe(409);
    expect(res.body.NeutronError.type).toBe("SecurityGroupCannotRemoveDefault");
    expect((await t.call("DELETE", `/v2.0/security-groups/${sg.id}`)).status).toBe(204);
    expect(
      (await t.call("GET", `/v2.0/security-group-rules?security_group_id=${sg.id}`)).body.security_group_rules,
    ).toEqual([]);
  });

  it("refuses to delete a group a port uses (409 SecurityGroupInUse)", async () => {
    const sg = await t.make("security-groups", "security_group", { name: "web" });
    const net = await t.make("networks", "network", {});
    await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
    await t.make("ports", "port", { network_id: net.id, security_groups: [sg.id] });
    expect((await t.call("DELETE", `/v2.0/security-groups/${sg.id}`)).body.NeutronError.type).toBe(
      "SecurityGroupInUse",
    );
  });

  it("adds rules, normalizing protocol names, one port into a range, and the prefix", async () => {
    const sg = await t.make("security-groups", "security_group", { name: "web" });
    const res = await rule(sg, {
      direction: "ingress",
      protocol: "TCP",
      port_range_min: 22,
      remote_ip_prefix: "10.0.0.5/8",
    });
    expect(res.status).toBe(201);
    expect(res.body.security_group_rule).toMatchObject({
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      ethertype: "IPv4",
      remote_ip_prefix: "10.0.0.5/8",
      normalized_cidr: "10.0.0.0/8",
    });
    const icmp = await rule(sg, { direction: "ingress", protocol: "icmp", port_range_min: 8, port_range_max: 0 });
    expect(icmp.status).toBe(201);
    const dup = await rule(sg, {
      direction: "ingress",
      protocol: "6",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "10.0.0.0/8",
    });
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError.message).toBe(
      `Security group rule already exists. Rule id is ${res.body.security_group_rule.id}.`,
    );
    const group = (await t.call("GET", `/v2.0/security-groups/${sg.id}`)).body.security_group;
    expect(group.security_group_rules).toHaveLength(4);
    expect(group.revision_number).toBe(2);
  });

  it.each([
    [{ direction: "ingress", ethertype: "IPv4", remote_ip_prefix: "fd00::/64" }, "SecurityGroupRuleParameterConflict"],
    [
      { direction: "ingress", protocol: "tcp", port_range_min: 100, port_range_max: 10 },
      "SecurityGroupInvalidPortRange",
    ],
    [{ direction: "ingress", protocol: "udp", port_range_min: 0 }, "SecurityGroupInvalidPortValue"],
    [{ direction: "ingress", port_range_min: 80 }, "SecurityGroupProtocolRequiredWithPorts"],
    [{ direction: "ingress", protocol: "gre", port_range_min: 80 }, "SecurityGroupInvalidProtocolForPortRange"],
    [{ direction: "ingress", protocol: "icmp", port_range_max: 3 }, "SecurityGroupMissingIcmpType"],
    [{ direction: "ingress", protocol: "icmp", port_range_min: 256 }, "SecurityGroupInvalidIcmpValue"],
    [{ direction: "ingress", protocol: "bogus" }, "SecurityGroupRuleInvalidProtocol"],
    [{ direction: "ingress", protocol: "ipv6-icmp", ethertype: "IPv4" }, "SecurityGroupEthertypeConflictWithProtocol"],
    [{ direction: "sideways" }, "HTTPBadRequest"],
    [
      { direction: "ingress", remote_ip_prefix: "10.0.0.0/8", remote_group_id: "00000000-0000-0000-0000-000000000000" },
      "SecurityGroupRemoteGroupAndRemoteIpPrefix",
    ],
  ])("refuses the rule %j with 400 %s", async (attrs, type) => {
    const sg = await t.make("security-groups", "security_group", { name: "x" });
    const res = await rule(sg, attrs);
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.type).toBe(type);
  });

  it("hides another project's groups (404) and refuses rules on them", async () => {
    const theirs = await t.make("security-groups", "security_group", { name: "x" }, "other");
    expect((await t.call("GET", `/v2.0/security-groups/${theirs.id}`)).status).toBe(404);
    expect((await rule(theirs, { direction: "ingress" })).body.NeutronError.type).toBe("SecurityGroupNotFound");
  });
});
