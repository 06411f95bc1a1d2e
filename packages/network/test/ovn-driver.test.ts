/**
 * The OVN mechanism driver against real OVN (the harness's NB/SB ovsdb-servers and ovn-northd):
 * topologies built through the Neutron API, checked in OVN_Northbound, and their behaviour
 * proved with ovn-trace on the logical flows ovn-northd compiled from them.
 */
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OvnConnection, useOvn } from "../../../scripts/harness/index.js";
import { type NeutronTestApp, neutronTestApp } from "../src/api/testing.js";
import { OvnMechanismDriver } from "../src/ovn/driver.js";
import { syncOvn } from "../src/ovn/sync.js";

const run = promisify(execFile);
let ovn: OvnConnection;
let driver: OvnMechanismDriver;
let api: NeutronTestApp;

beforeAll(async () => {
  ovn = await useOvn();
  driver = await OvnMechanismDriver.connect({ nbConnection: ovn.nb.unix });
  api = await neutronTestApp({ physnets: ["physnet1", "extnet"] }, driver);
});
afterAll(async () => {
  await api?.app.close();
  driver?.close();
});

async function nbctl(...args: string[]): Promise<string> {
  return (await run("ovn-nbctl", [`--db=${ovn.nb.unix}`, ...args])).stdout;
}

/**
 * Waits for ovn-northd to compile NB into SB, then traces one packet as the first of a new
 * connection (conntrack state new, so the ACLs decide) and returns ovn-trace's minimal output,
 * where `output("<port id>")` is a delivery and its absence a drop.
 */
async function trace(datapath: string, flow: string): Promise<string> {
  await nbctl("--wait=sb", "--timeout=20", "sync");
  const { stdout } = await run("ovn-trace", [
    `--db=${ovn.sb.unix}`,
    "--minimal",
    "--no-friendly-names",
    "--ct=new",
    datapath,
    flow,
  ]);
  return stdout;
}

const outputs = (trace: string): string[] => [...trace.matchAll(/output\("([^"]+)"\)/g)].map((m) => m[1] as string);

interface Vm {
  id: string;
  mac: string;
  ip: string;
  network_id: string;
}

async function vm(
  networkId: string,
  name: string,
  extra: Record<string, unknown> = {},
  token: "member" | "admin" = "member",
): Promise<Vm> {
  const p = await api.make("ports", "port", { network_id: networkId, name, ...extra }, token);
  return { id: p.id, mac: p.mac_address, ip: p.fixed_ips[0].ip_address, network_id: networkId };
}

const tcp22 = (a: Vm, b: { mac: string; ip: string }) =>
  `inport == "${a.id}" && eth.src == ${a.mac} && eth.dst == ${b.mac} && ip4.src == ${a.ip} && ip4.dst == ${b.ip} && ip.ttl == 64 && tcp && tcp.src == 40000 && tcp.dst == 22`;

describe("OVN mechanism driver", () => {
  let net1: { id: string };
  let a: Vm;
  let b: Vm;

  it("writes a network as a Logical_Switch, its subnet as DHCP_Options, its ports as Logical_Switch_Ports", async () => {
    net1 = await api.make("networks", "network", { name: "ovn-net1" });
    const subnet = await api.make("subnets", "subnet", {
      network_id: net1.id,
      cidr: "10.1.0.0/24",
      ip_version: 4,
      name: "s1",
    });
    a = await vm(net1.id, "a");
    b = await vm(net1.id, "b");
    const ls = JSON.parse(
      await nbctl(
        "--format=json",
        "--columns=name,external_ids,ports",
        "find",
        "Logical_Switch",
        `name=neutron-${net1.id}`,
      ),
    );
    expect(ls.data).toHaveLength(1);
    expect(await nbctl("lsp-get-addresses", a.id)).toBe(`${a.mac} ${a.ip}\n`);
    expect(await nbctl("lsp-get-port-security", a.id)).toBe(`${a.mac} ${a.ip}\n`);
    const dhcp = await nbctl(
      "--bare",
      "--columns=cidr,options",
      "find",
      "DHCP_Options",
      `external_ids:subnet_id=${subnet.id}`,
    );
    expect(dhcp).toContain("10.1.0.0/24");
    expect(dhcp).toContain("router=10.1.0.1");
    expect(await nbctl("--bare", "--columns=dhcpv4_options", "list", "Logical_Switch_Port", a.id)).not.toBe("\n");
    const show = await nbctl("show");
    expect(show).toContain(`switch`);
    expect(show).toContain(a.id);
  });

  it("lets VM A reach VM B on the same network (the default group allows its own members)", async () => {
    expect(outputs(await trace(`neutron-${net1.id}`, tcp22(a, b)))).toEqual([b.id]);
  });

  it("drops the packet when B's security group has no rule allowing it", async () => {
    const closed = await api.make("security-groups", "security_group", { name: "closed" });
    const c = await vm(net1.id, "c", { security_groups: [closed.id] });
    expect(outputs(await trace(`neutron-${net1.id}`, tcp22(a, c)))).toEqual([]);
    // the rule that allows it makes the same packet pass
    await api.make("security-group-rules", "security_group_rule", {
      security_group_id: closed.id,
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "10.1.0.0/24",
    });
    expect(outputs(await trace(`neutron-${net1.id}`, tcp22(a, c)))).toEqual([c.id]);
  });

  let router: { id: string };
  let d: Vm;

  it("routes between two subnets through a router", async () => {
    const net2 = await api.make("networks", "network", { name: "ovn-net2" });
    const s2 = await api.make("subnets", "subnet", { network_id: net2.id, cidr: "10.2.0.0/24", ip_version: 4 });
    const s1 = (await api.call("GET", `/v2.0/subnets?network_id=${net1.id}`)).body.subnets[0];
    d = await vm(net2.id, "d");
    router = await api.make("routers", "router", { name: "r1" });
    for (const subnet of [s1, s2]) {
      const res = await api.call("PUT", `/v2.0/routers/${router.id}/add_router_interface`, { subnet_id: subnet.id });
      expect(res.status).toBe(200);
    }
    const rp = (await api.call("GET", `/v2.0/ports?device_id=${router.id}&network_id=${net1.id}`)).body.ports[0];
    expect(await nbctl("--bare", "--columns=networks", "list", "Logical_Router_Port", `lrp-${rp.id}`)).toBe(
      "10.1.0.1/24\n",
    );
    const out = await trace(`neutron-${net1.id}`, tcp22(a, { mac: rp.mac_address, ip: d.ip }));
    expect(outputs(out)).toEqual([d.id]);
  });

  it("translates a floating IP: traffic to it from the external network reaches the VM", async () => {
    const ext = await api.make(
      "networks",
      "network",
      {
        name: "public",
        "router:external": true,
        "provider:network_type": "flat",
        "provider:physical_network": "extnet",
      },
      "admin",
    );
    await api.make(
      "subnets",
      "subnet",
      { network_id: ext.id, cidr: "172.24.4.0/24", ip_version: 4, gateway_ip: "172.24.4.1" },
      "admin",
    );
    const routerGateway = async () =>
      (await api.call("GET", `/v2.0/ports?device_id=${router.id}&network_id=${ext.id}`, undefined, "admin")).body
        .ports[0];
    const gwIp = (p: { fixed_ips: { ip_address: string }[] }) => p.fixed_ips[0]?.ip_address;
    const set = await api.call("PUT", `/v2.0/routers/${router.id}`, {
      router: { external_gateway_info: { network_id: ext.id } },
    });
    expect(set.status).toBe(200);
    // a VM whose group lets SSH in from anywhere; A's default group would (rightly) drop it
    const ssh = await api.make("security-groups", "security_group", { name: "ssh" });
    await api.make("security-group-rules", "security_group_rule", {
      security_group_id: ssh.id,
      direction: "ingress",
      ethertype: "IPv4",
      protocol: "tcp",
      port_range_min: 22,
      port_range_max: 22,
      remote_ip_prefix: "0.0.0.0/0",
    });
    const e = await vm(net1.id, "e", { security_groups: [ssh.id] });
    const fip = await api.make("floatingips", "floatingip", { floating_network_id: ext.id, port_id: e.id });
    expect(fip.fixed_ip_address).toBe(e.ip);
    // (the harness's NB is shared with earlier runs: look at this router's rows only)
    const natOf = async () =>
      (await nbctl("lr-nat-list", `neutron-${router.id}`))
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/).slice(0, 3).join(" "))
        .sort();
    expect(await natOf()).toEqual([
      `dnat_and_snat ${fip.floating_ip_address} ${e.ip}`,
      `snat ${gwIp(await routerGateway())} 10.1.0.0/24`,
      `snat ${gwIp(await routerGateway())} 10.2.0.0/24`,
    ]);
    const gw = await routerGateway();
    const flow = `inport == "provnet-${ext.id}" && eth.src == 00:00:5e:00:53:01 && eth.dst == ${gw.mac_address} && ip4.src == 172.24.4.100 && ip4.dst == ${fip.floating_ip_address} && ip.ttl == 64 && tcp && tcp.src == 40000 && tcp.dst == 22`;
    const out = await trace(`neutron-${ext.id}`, flow);
    expect(outputs(out)).toEqual([e.id]);
    expect(out).toContain(`ct_dnat`);
    // without the floating IP the same packet goes nowhere
    await api.call("PUT", `/v2.0/floatingips/${fip.id}`, { floatingip: { port_id: null } });
    expect((await natOf()).filter((n) => n.startsWith("dnat_and_snat"))).toEqual([]);
    expect(outputs(await trace(`neutron-${ext.id}`, flow))).not.toContain(e.id);
  });

  it("sync finds rows deleted, corrupted and added behind its back, and repair puts OVN back", async () => {
    const ghost = randomUUID();
    await nbctl("lsp-del", a.id);
    await nbctl("lsp-set-addresses", b.id, "fa:16:3e:00:00:99 10.1.0.99");
    await nbctl("ls-add", `neutron-${ghost}`);
    const acl = (await nbctl("--bare", "--columns=_uuid", "find", "ACL", "priority=1000")).split("\n")[0] as string;
    await nbctl("set", "ACL", acl, "action=allow");
    await expect
      .poll(() => driver.client.replica.table("Logical_Switch").lookupOne("name", `neutron-${ghost}`))
      .toBeDefined();
    const mine = (f: { what: string }) => [a.id, b.id, ghost, "neutron_pg_drop"].some((id) => f.what.includes(id));
    const before = await syncOvn(driver, api.store, "log");
    expect(
      before.findings
        .filter(mine)
        .map((f) => `${f.kind} ${f.what}`)
        .sort(),
    ).toEqual(
      [
        `extra Logical_Switch neutron-${ghost}`,
        `missing port ${a.id}`,
        "stale port group neutron_pg_drop",
        `stale port ${b.id}`,
      ].sort(),
    );
    expect(before.repaired).toBe(0);
    const repair = await syncOvn(driver, api.store, "repair");
    expect(repair.repaired).toBeGreaterThanOrEqual(4);
    const after = await syncOvn(driver, api.store, "log");
    expect(after.findings).toEqual([]);
    expect(await nbctl("lsp-get-addresses", b.id)).toBe(`${b.mac} ${b.ip}\n`);
    expect(await nbctl("--bare", "--columns=name", "find", "Logical_Switch", `name=neutron-${ghost}`)).toBe("");
    expect(outputs(await trace(`neutron-${net1.id}`, tcp22(a, b)))).toEqual([b.id]);
  });
});
