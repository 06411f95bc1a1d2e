import { describe, expect, it } from "vitest";
import type { Subnet } from "../../domain/model.js";
import { aNetwork, aPort, aSubnet, aSubnet6 } from "./fixtures.js";
import { desiredSwitchPort } from "./switch-port.js";

const net = aNetwork();
const subnets = (...list: Subnet[]) => new Map(list.map((s) => [s.id, s]));
const v4 = subnets(aSubnet());
const dual = subnets(aSubnet(), aSubnet6());
const MAC = "fa:16:3e:00:00:01";

describe("desiredSwitchPort", () => {
  it("writes a secured VM port with its addresses, port security, DHCP reference, groups and Neutron's external_ids", () => {
    expect(desiredSwitchPort(aPort(), net, v4)).toEqual({
      switchName: "neutron-net-1",
      row: {
        name: "port-1",
        type: "",
        addresses: [`${MAC} 10.0.0.5`],
        port_security: [`${MAC} 10.0.0.5`],
        enabled: true,
        options: {},
        external_ids: {
          "neutron:port_name": "vm1-eth0",
          "neutron:device_id": "vm-1",
          "neutron:project_id": "proj-1",
          "neutron:cidrs": "10.0.0.5/24",
          "neutron:device_owner": "compute:nova",
          "neutron:subnet_pool_addr_scope4": "",
          "neutron:subnet_pool_addr_scope6": "",
          "neutron:network_name": "neutron-net-1",
          "neutron:security_group_ids": "sg-1",
          "neutron:revision_number": "3",
          "neutron:vnic_type": "normal",
          "neutron:port_capabilities": "",
          "neutron:mtu": "",
        },
      },
      dhcpv4Options: { subnetId: "sub-4" },
      dhcpv6Options: null,
      portGroups: ["neutron_pg_drop", "pg_sg_1"],
    });
  });

  it.each([
    [
      "a dual-stack port lists both addresses in one entry and both CIDRs",
      aPort({
        fixed_ips: [
          { subnet_id: "sub-4", ip_address: "10.0.0.5" },
          { subnet_id: "sub-6", ip_address: "fd00::5" },
        ],
      }),
      [`${MAC} 10.0.0.5 fd00::5`],
      [`${MAC} 10.0.0.5 fd00::5`],
    ],
    [
      "an address pair with the port's own MAC extends the port's entry",
      aPort({ allowed_address_pairs: [{ ip_address: "10.0.0.100", mac_address: MAC }] }),
      [`${MAC} 10.0.0.5`],
      [`${MAC} 10.0.0.5 10.0.0.100`],
    ],
    [
      "an address pair with a MAC of its own adds that MAC to addresses and VRRPv3 and plain entries to port security",
      aPort({ allowed_address_pairs: [{ ip_address: "10.0.0.100", mac_address: "00:00:5e:00:01:01" }] }),
      [`${MAC} 10.0.0.5`, "00:00:5e:00:01:01"],
      [`${MAC} 10.0.0.5`, `VRRPv3 ${MAC} 00:00:5e:00:01:01 10.0.0.100`, "00:00:5e:00:01:01 10.0.0.100"],
    ],
    [
      "port security off adds unknown to the addresses and clears port security",
      aPort({ port_security_enabled: false, security_groups: [] }),
      [`${MAC} 10.0.0.5`, "unknown"],
      [],
    ],
    [
      "port security off on a subnet without DHCP leaves only unknown, as Neutron does",
      aPort({ port_security_enabled: false, fixed_ips: [{ subnet_id: "sub-x", ip_address: "10.1.0.5" }] }),
      ["unknown"],
      [],
    ],
  ])("%s", (_name, port, addresses, portSecurity) => {
    const out = desiredSwitchPort(
      port,
      net,
      subnets(aSubnet(), aSubnet6(), aSubnet({ id: "sub-x", enable_dhcp: false })),
    );
    expect(out?.row.addresses).toEqual(addresses);
    expect(out?.row.port_security).toEqual(portSecurity);
  });

  it("leaves VRRPv3 entries out when the deployment's ovn-northd cannot parse them", () => {
    const port = aPort({ allowed_address_pairs: [{ ip_address: "10.0.0.100", mac_address: "00:00:5e:00:01:01" }] });
    expect(desiredSwitchPort(port, net, v4, { vrrpv3PortSecurity: false })?.row.port_security).toEqual([
      `${MAC} 10.0.0.5`,
      "00:00:5e:00:01:01 10.0.0.100",
    ]);
  });

  it.each([
    ["a router interface port peers with lrp-<port id>", "network:router_interface", { "router-port": "lrp-port-1" }],
    [
      "a router gateway port also announces the router's NAT addresses",
      "network:router_gateway",
      { "router-port": "lrp-port-1", "nat-addresses": "router", "exclude-lb-vips-from-garp": "true" },
    ],
  ])("%s, typed router with addresses router and no security", (_name, owner, options) => {
    const out = desiredSwitchPort(aPort({ device_owner: owner, device_id: "r-1", security_groups: [] }), net, v4);
    expect(out?.row).toMatchObject({ type: "router", addresses: ["router"], port_security: [], options });
    expect(out?.row.external_ids["neutron:security_group_ids"]).toBe("");
    expect(out?.dhcpv4Options).toBeNull();
    expect(out?.portGroups).toEqual([]);
  });

  it("makes a network:distributed (metadata) port a localport with the network MTU and no unknown address", () => {
    const out = desiredSwitchPort(aPort({ device_owner: "network:distributed", security_groups: [] }), net, v4);
    expect(out?.row).toMatchObject({ type: "localport", addresses: [`${MAC} 10.0.0.5`], port_security: [] });
    expect(out?.row.external_ids["neutron:mtu"]).toBe("1442");
  });

  it.each([
    [
      "a bound port asks for its host's chassis",
      { "binding:host_id": "compute-1" },
      { "requested-chassis": "compute-1" },
    ],
    [
      "a live-migrating port asks for both chassis and waits for a RARP on the destination",
      { "binding:host_id": "compute-1", "binding:profile": { migrating_to: "compute-2" } },
      { "requested-chassis": "compute-1,compute-2", "activation-strategy": "rarp" },
    ],
    [
      "a direct (SR-IOV) port is an external port without requested-chassis",
      { "binding:host_id": "compute-1", "binding:vnic_type": "direct" },
      {},
    ],
  ])("%s", (_name, over, options) => {
    expect(desiredSwitchPort(aPort(over), net, v4)?.row.options).toEqual(options);
  });

  it("records binding profile capabilities joined by semicolons and keeps a switchdev port ordinary", () => {
    const port = aPort({ "binding:vnic_type": "direct", "binding:profile": { capabilities: ["switchdev", "x"] } });
    const row = desiredSwitchPort(port, net, v4)?.row;
    expect(row?.type).toBe("");
    expect(row?.external_ids["neutron:port_capabilities"]).toBe("switchdev;x");
  });

  it.each([
    [
      "prefers a stateful IPv6 subnet over a stateless one listed first",
      [
        aSubnet6({ id: "sub-sl", cidr: "fd01::/64", ipv6_address_mode: "dhcpv6-stateless" }),
        aSubnet6({ id: "sub-sf", cidr: "fd02::/64" }),
      ],
      { subnetId: "sub-sf" },
    ],
    [
      "falls back to a stateless IPv6 subnet",
      [aSubnet6({ id: "sub-sl", cidr: "fd01::/64", ipv6_address_mode: "dhcpv6-stateless" })],
      { subnetId: "sub-sl" },
    ],
    ["gives a SLAAC-only port no DHCPv6 options", [aSubnet6({ id: "sub-sl", ipv6_address_mode: "slaac" })], null],
  ])("%s", (_name, list, ref) => {
    const port = aPort({ fixed_ips: list.map((s, i) => ({ subnet_id: s.id, ip_address: `fd0${i + 1}::5` })) });
    expect(desiredSwitchPort(port, net, subnets(...list))?.dhcpv6Options).toEqual(ref);
  });

  it("drops the DHCPv4 reference when the port disables DHCP with an extra option", () => {
    const port = aPort({ extra_dhcp_opts: [{ opt_name: "dhcp_disabled", opt_value: "True", ip_version: 4 }] });
    const out = desiredSwitchPort(port, net, dual);
    expect(out?.dhcpv4Options).toBeNull();
  });

  it("mirrors admin_state_up into enabled", () => {
    expect(desiredSwitchPort(aPort({ admin_state_up: false }), net, v4)?.row.enabled).toBe(false);
  });

  it("keeps floating IP ports out of OVN", () => {
    expect(desiredSwitchPort(aPort({ device_owner: "network:floatingip" }), net, v4)).toBeNull();
  });
});
