/**
 * python-openstackclient against `stratus serve` for Neutron, twice: on the embedded default (no
 * backend) and configured with OVN (the harness's NB/SB + ovn-northd), where every object must
 * also appear in OVN_Northbound and bad input must leave nothing half-written there.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OvnConnection, useOvn } from "../../../scripts/harness/index.js";
import { ADMIN_PASSWORD, type Stratus, startStratus } from "./osc-harness.js";

const CLI = new URL("../src/cli.ts", import.meta.url).pathname;

const run = promisify(execFile);

describe.each([
  ["the embedded default (no backend)", false],
  ["OVN", true],
])("openstack CLI against stratus serve: network on %s", (_name, withOvn) => {
  let stratus: Stratus;
  let ovn: OvnConnection | undefined;
  const osc = (args: string[]) => stratus.openstack(args);
  const nbctl = async (...args: string[]) => (await run("ovn-nbctl", [`--db=${ovn?.nb.unix}`, ...args])).stdout;
  const lspCount = async (networkId: string) =>
    withOvn
      ? (await nbctl("--bare", "--columns=ports", "find", "Logical_Switch", `name=neutron-${networkId}`))
          .split(/\s+/)
          .filter(Boolean).length
      : 0;

  beforeAll(async () => {
    ovn = withOvn ? await useOvn() : undefined;
    stratus = await startStratus(["network"], {
      serverEnv: {
        STRATUS_NETWORK_PHYSNETS: "physnet1,public",
        STRATUS_NETWORK_VLAN_RANGES: "physnet1:100:199",
        ...(ovn && { STRATUS_NETWORK_OVN_NB: ovn.nb.unix }),
      },
    });
  }, 120_000);
  afterAll(() => stratus?.stop());

  let net: { id: string };
  let s4: { id: string };
  let port: { id: string; mac_address: string; fixed_ips: string | { ip_address: string }[] };

  it("creates networks (one a VLAN provider network), v4 and v6 subnets and a port with a fixed IP", async () => {
    net = await osc(["network", "create", "osc-net"]);
    expect(net).toMatchObject({ name: "osc-net", "provider:network_type": "geneve", mtu: 1442 });
    const vlan = await osc([
      "network",
      "create",
      "--provider-network-type",
      "vlan",
      "--provider-physical-network",
      "physnet1",
      "osc-vlan",
    ]);
    expect(vlan["provider:segmentation_id"]).toBeGreaterThanOrEqual(100);
    expect(vlan["provider:segmentation_id"]).toBeLessThanOrEqual(199);
    s4 = await osc(["subnet", "create", "--network", net.id, "--subnet-range", "10.10.0.0/24", "osc-v4"]);
    expect(s4).toMatchObject({ cidr: "10.10.0.0/24", gateway_ip: "10.10.0.1", ip_version: 4 });
    const s6 = await osc([
      "subnet",
      "create",
      "--network",
      net.id,
      "--ip-version",
      "6",
      "--ipv6-ra-mode",
      "slaac",
      "--ipv6-address-mode",
      "slaac",
      "--subnet-range",
      "fd10::/64",
      "osc-v6",
    ]);
    expect(s6).toMatchObject({ cidr: "fd10::/64", ipv6_address_mode: "slaac" });
    port = await osc([
      "port",
      "create",
      "--network",
      net.id,
      "--fixed-ip",
      `subnet=${s4.id},ip-address=10.10.0.50`,
      "osc-port",
    ]);
    expect(JSON.stringify(port.fixed_ips)).toContain("10.10.0.50");
    // without --fixed-ip a port gets an address on the v4 subnet and a SLAAC (EUI-64) one on the v6
    const auto = await osc(["port", "create", "--network", net.id, "osc-auto"]);
    expect(JSON.stringify(auto.fixed_ips)).toMatch(/10\.10\.0\.\d+.*fd10::/);
    if (withOvn)
      expect(await nbctl("lsp-get-addresses", auto.id)).toMatch(
        /^fa:16:3e(:[0-9a-f]{2}){3} 10\.10\.0\.\d+ fd10::[0-9a-f:]+\n$/,
      );
    if (withOvn) {
      const show = await nbctl("show");
      expect(show).toContain(`neutron-${net.id}`);
      expect(show).toContain(`neutron-${vlan.id}`);
      expect(await nbctl("lsp-get-addresses", port.id)).toBe(`${port.mac_address} 10.10.0.50\n`);
      expect(
        await nbctl("--bare", "--columns=tag_request,type", "list", "Logical_Switch_Port", `provnet-${vlan.id}`),
      ).toBe(`${vlan["provider:segmentation_id"]}\nlocalnet\n`);
    }
  });

  it("creates a security group with a rule, visible as a port group and an ACL", async () => {
    const sg = await osc(["security", "group", "create", "osc-sg"]);
    const rule = await osc([
      "security",
      "group",
      "rule",
      "create",
      "--protocol",
      "tcp",
      "--dst-port",
      "22",
      "--remote-ip",
      "0.0.0.0/0",
      sg.id,
    ]);
    expect(rule).toMatchObject({ protocol: "tcp", port_range_min: 22, port_range_max: 22, direction: "ingress" });
    if (withOvn) {
      const acls = await nbctl("acl-list", `pg_${sg.id.replaceAll("-", "_")}`);
      expect(acls).toContain("tcp.dst == 22");
      expect(acls).toContain("ip4.src == 0.0.0.0/0");
    }
  });

  it("routes: a router with an external gateway and an interface, a floating IP on the port", async () => {
    const pub = await osc([
      "network",
      "create",
      "--external",
      "--provider-network-type",
      "flat",
      "--provider-physical-network",
      "public",
      "osc-public",
    ]);
    await osc([
      "subnet",
      "create",
      "--network",
      pub.id,
      "--subnet-range",
      "172.30.0.0/24",
      "--no-dhcp",
      "osc-public-v4",
    ]);
    const router = await osc(["router", "create", "osc-router"]);
    await stratus.openstack(["router", "set", "--external-gateway", pub.id, router.id], { json: false });
    await stratus.openstack(["router", "add", "subnet", router.id, s4.id], { json: false });
    const fip = await osc(["floating", "ip", "create", pub.id]);
    await stratus.openstack(["floating", "ip", "set", "--port", port.id, fip.id], { json: false });
    const shown = await osc(["floating", "ip", "show", fip.id]);
    expect(shown).toMatchObject({ port_id: port.id, fixed_ip_address: "10.10.0.50" });
    if (withOvn) {
      const lr = await nbctl("show", `neutron-${router.id}`);
      expect(lr).toContain("10.10.0.1/24");
      const nat = await nbctl("lr-nat-list", `neutron-${router.id}`);
      expect(nat).toMatch(
        new RegExp(`dnat_and_snat\\s+${fip.floating_ip_address.replaceAll(".", "\\.")}\\s+10\\.10\\.0\\.50`),
      );
      expect(nat).toMatch(/snat\s+172\.30\.0\.\d+\s+10\.10\.0\.0\/24/);
    }
  });

  it.each([
    [
      "an overlapping CIDR on the same network",
      () => ["subnet", "create", "--network", net.id, "--subnet-range", "10.10.0.128/25", "dup"],
      /400|overlap/i,
    ],
    [
      "an address outside the subnet",
      () => ["port", "create", "--network", net.id, "--fixed-ip", `subnet=${s4.id},ip-address=10.99.0.5`, "bad"],
      /400|invalid/i,
    ],
    [
      "an address already allocated",
      () => ["port", "create", "--network", net.id, "--fixed-ip", `subnet=${s4.id},ip-address=10.10.0.50`, "dup"],
      /409|already allocated/i,
    ],
    [
      "an invalid MAC",
      () => ["port", "create", "--network", net.id, "--mac-address", "zz:16:3e:00:00:01", "bad"],
      /400|mac/i,
    ],
    [
      "an IPv6 prefix on an IPv4 rule",
      () => ["security", "group", "rule", "create", "--ethertype", "IPv4", "--remote-ip", "fd00::/64", "default"],
      /400|ethertype|conflict/i,
    ],
    [
      "a port range on ICMP's out-of-range type",
      () => ["security", "group", "rule", "create", "--protocol", "icmp", "--icmp-type", "300", "default"],
      /400|icmp|type/i,
    ],
  ])("refuses %s with a clear error and writes nothing to OVN", async (_what, args, pattern) => {
    const before = await lspCount(net.id);
    expect(await stratus.openstackFails(args())).toMatch(pattern);
    expect(await lspCount(net.id)).toBe(before);
  });

  // (only with OVN: the embedded default has nothing to sync with)
  (withOvn ? it : () => undefined)(
    "`stratus network sync` reports an OVN row deleted behind Neutron's back and repairs it",
    async () => {
      const sync = async (mode: string) => {
        const env = {
          ...process.env,
          ...Object.fromEntries(
            Object.entries(stratus.ports).map(([n, p]) => [`STRATUS_${n.toUpperCase()}_PORT`, String(p)]),
          ),
          STRATUS_ADMIN_PASSWORD: ADMIN_PASSWORD,
          STRATUS_NETWORK_OVN_NB: ovn?.nb.unix,
          STRATUS_LOG_LEVEL: "warn",
        };
        try {
          const { stdout } = await run(
            process.execPath,
            [
              "--conditions=@stratus/source",
              "--import",
              "tsx",
              CLI,
              "--data-dir",
              stratus.dataDir,
              "network",
              "sync",
              "--mode",
              mode,
            ],
            { env, timeout: 60_000 },
          );
          return { code: 0, stdout };
        } catch (err) {
          const e = err as { code?: number; stdout?: string; stderr?: string };
          return { code: e.code ?? -1, stdout: `${e.stdout ?? ""}${e.stderr ?? ""}` };
        }
      };
      await nbctl("lsp-del", port.id);
      const found = await sync("log");
      expect(found.stdout).toContain(`missing  port ${port.id}`);
      expect(found.code).toBe(2);
      const repaired = await sync("repair");
      expect(repaired.code).toBe(0);
      expect(await nbctl("lsp-get-addresses", port.id)).toBe(`${port.mac_address} 10.10.0.50\n`);
      const clean = await sync("log");
      expect(clean.stdout.split("\n").filter((l) => l.includes(net.id) || l.includes(port.id))).toEqual([]);
    },
  );

  it("restarts with its records (SQLite in the data dir), and OVN still matches them", async () => {
    await stratus.stop();
    stratus = await startStratus([], {
      dataDir: stratus.dataDir,
      ports: stratus.ports,
      serverEnv: {
        STRATUS_NETWORK_PHYSNETS: "physnet1,public",
        STRATUS_NETWORK_VLAN_RANGES: "physnet1:100:199",
        ...(ovn && { STRATUS_NETWORK_OVN_NB: ovn.nb.unix }),
      },
    });
    expect(await osc(["port", "show", port.id])).toMatchObject({ id: port.id, mac_address: port.mac_address });
    const again = await osc(["port", "create", "--network", net.id, "osc-after-restart"]);
    expect(JSON.stringify(again.fixed_ips)).not.toContain("10.10.0.50");
    if (withOvn) expect(await nbctl("lsp-get-addresses", port.id)).toBe(`${port.mac_address} 10.10.0.50\n`);
  });
});
