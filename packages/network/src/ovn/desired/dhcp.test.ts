import { describe, expect, it } from "vitest";
import { desiredDhcpOptions } from "./dhcp.js";
import { aNetwork, aSubnet, aSubnet6 } from "./fixtures.js";

const MAC = "fa:16:3e:aa:bb:cc";
const net = aNetwork();

describe("desiredDhcpOptions", () => {
  it("serves an IPv4 subnet from its gateway with Neutron's lease time, the MTU and the server MAC", () => {
    expect(desiredDhcpOptions(aSubnet(), net, MAC)).toEqual({
      cidr: "10.0.0.0/24",
      options: {
        server_id: "10.0.0.1",
        lease_time: "43200",
        mtu: "1442",
        server_mac: MAC,
        router: "10.0.0.1",
      },
      external_ids: { subnet_id: "sub-4", "neutron:network_id": "net-1", "neutron:revision_number": "3" },
    });
  });

  it.each([
    [
      "DNS servers of the subnet become an OVN set",
      aSubnet({ dns_nameservers: ["8.8.8.8", "1.1.1.1"] }),
      {},
      { dns_server: "{8.8.8.8, 1.1.1.1}" },
    ],
    [
      "the deployment's IPv4 DNS servers fill in when the subnet names none",
      aSubnet(),
      { dnsServers: ["9.9.9.9", "2620:fe::fe"] },
      { dns_server: "{9.9.9.9}" },
    ],
    [
      "host routes become classless static routes with the default route through the gateway last",
      aSubnet({ host_routes: [{ destination: "192.168.0.0/16", nexthop: "10.0.0.254" }] }),
      {},
      { classless_static_route: "{192.168.0.0/16,10.0.0.254, 0.0.0.0/0,10.0.0.1}" },
    ],
    [
      "a metadata port adds the 169.254.169.254 route first",
      aSubnet(),
      { metadataPortIp: "10.0.0.2" },
      { classless_static_route: "{169.254.169.254/32,10.0.0.2, 0.0.0.0/0,10.0.0.1}" },
    ],
    [
      "a dns_domain other than openstacklocal is quoted as domain_name",
      aSubnet(),
      { dnsDomain: "example.org." },
      {
        domain_name: '"example.org."',
      },
    ],
    ["a configured lease time replaces 43200", aSubnet(), { leaseTime: 600 }, { lease_time: "600" }],
  ])("%s", (_name, subnet, settings, expected) => {
    expect(desiredDhcpOptions(subnet, net, MAC, settings)?.options).toMatchObject(expected);
  });

  it.each([
    ["no host routes leave classless_static_route out", aSubnet(), "classless_static_route"],
    [
      "a lone 0.0.0.0 DNS server switches DNS announcement off",
      aSubnet({ dns_nameservers: ["0.0.0.0"] }),
      "dns_server",
    ],
    ["the openstacklocal domain is not announced", aSubnet(), "domain_name"],
  ])("%s", (_name, subnet, absent) => {
    expect(desiredDhcpOptions(subnet, net, MAC, { dnsDomain: "openstacklocal" })?.options).not.toHaveProperty(absent);
  });

  it("serves a subnet without gateway from the metadata port, with no router option", () => {
    const options = desiredDhcpOptions(aSubnet({ gateway_ip: null }), net, MAC, {
      metadataPortIp: "10.0.0.2",
    })?.options;
    expect(options?.server_id).toBe("10.0.0.2");
    expect(options).not.toHaveProperty("router");
  });

  it("writes a row with no options for a subnet with neither gateway nor metadata port, as Neutron does", () => {
    expect(desiredDhcpOptions(aSubnet({ gateway_ip: null }), net, MAC)?.options).toEqual({});
  });

  it.each([
    ["dhcpv6-stateful subnet is served with the MAC as server id", aSubnet6(), { server_id: MAC }],
    [
      "dhcpv6-stateless subnet says so",
      aSubnet6({ ipv6_address_mode: "dhcpv6-stateless", ipv6_ra_mode: "dhcpv6-stateless" }),
      { server_id: MAC, dhcpv6_stateless: "true" },
    ],
    [
      "IPv6 DNS servers become an OVN set",
      aSubnet6({ dns_nameservers: ["2001:db8::53"] }),
      { server_id: MAC, dns_server: "{2001:db8::53}" },
    ],
  ])("an IPv6 %s", (_name, subnet, options) => {
    expect(desiredDhcpOptions(subnet, net, MAC)).toEqual({
      cidr: "fd00::/64",
      options,
      external_ids: { subnet_id: "sub-6", "neutron:network_id": "net-1", "neutron:revision_number": "3" },
    });
  });

  it.each([
    ["a subnet with DHCP disabled", aSubnet({ enable_dhcp: false })],
    ["an IPv6 SLAAC subnet", aSubnet6({ ipv6_address_mode: "slaac", ipv6_ra_mode: "slaac" })],
  ])("gives %s no DHCP_Options row", (_name, subnet) => {
    expect(desiredDhcpOptions(subnet, net, MAC)).toBeNull();
  });
});
