import { describe, expect, it } from "vitest";
import type { Subnet } from "../../domain/model.js";
import { aNetwork, aPort, aRouter, aSubnet, aSubnet6 } from "./fixtures.js";
import { desiredRouter, desiredRouterPort } from "./router.js";

const subnets = (...list: Subnet[]) => new Map(list.map((s) => [s.id, s]));
const net = aNetwork();
const ext = aNetwork({
  id: "ext-net",
  "router:external": true,
  "provider:network_type": "flat",
  "provider:physical_network": "extnet",
  mtu: 1500,
});
const extSubnet = aSubnet({ id: "ext-sub", network_id: "ext-net", cidr: "172.24.4.0/24", gateway_ip: "172.24.4.1" });

describe("desiredRouter", () => {
  it("names the router neutron-<id>, enables it by admin state and sets Neutron's router options", () => {
    expect(desiredRouter(aRouter({ availability_zone_hints: ["az1"] }))).toEqual({
      name: "neutron-r-1",
      enabled: true,
      options: {
        always_learn_from_arp_request: "false",
        dynamic_neigh_routers: "true",
        mac_binding_age_threshold: "300",
      },
      external_ids: {
        "neutron:router_name": "edge",
        "neutron:revision_number": "3",
        "neutron:availability_zone_hints": "az1",
      },
    });
  });

  it.each([
    ["a router that is administratively down is disabled", aRouter({ admin_state_up: false }), {}, "enabled", false],
  ])("%s", (_name, router, settings, key, value) => {
    expect(desiredRouter(router, settings)).toHaveProperty(key, value);
  });

  it("takes the MAC binding age threshold from the deployment", () => {
    expect(desiredRouter(aRouter(), { macBindingAgeThreshold: 0 }).options.mac_binding_age_threshold).toBe("0");
  });
});

describe("desiredRouterPort", () => {
  const iface = aPort({
    id: "rp-1",
    device_owner: "network:router_interface",
    device_id: "r-1",
    mac_address: "fa:16:3e:00:00:aa",
    fixed_ips: [{ subnet_id: "sub-4", ip_address: "10.0.0.1" }],
  });

  it("writes an interface port as lrp-<port id> with its MAC, ip/prefixlen networks and Neutron's external_ids", () => {
    expect(desiredRouterPort(iface, subnets(aSubnet()), "r-1", false, { network: net })).toEqual({
      name: "lrp-rp-1",
      mac: "fa:16:3e:00:00:aa",
      networks: ["10.0.0.1/24"],
      options: {},
      ipv6_ra_configs: {},
      external_ids: {
        "neutron:revision_number": "3",
        "neutron:subnet_ids": "sub-4",
        "neutron:network_name": "neutron-net-1",
        "neutron:is_ext_gw": "False",
        "neutron:router_name": "neutron-r-1",
      },
    });
  });

  it.each([
    ["dhcpv6-stateful", "dhcpv6_stateful"],
    ["dhcpv6-stateless", "dhcpv6_stateless"],
    ["slaac", "slaac"],
  ] as const)("announces a %s IPv6 subnet with address_mode %s, periodic RAs and the network MTU", (mode, ovnMode) => {
    const port = aPort({ ...iface, fixed_ips: [...iface.fixed_ips, { subnet_id: "sub-6", ip_address: "fd00::1" }] });
    const lrp = desiredRouterPort(port, subnets(aSubnet(), aSubnet6({ ipv6_address_mode: mode })), "r-1", false, {
      network: net,
    });
    expect(lrp.networks).toEqual(["10.0.0.1/24", "fd00::1/64"]);
    expect(lrp.ipv6_ra_configs).toEqual({ address_mode: ovnMode, send_periodic: "true", mtu: "1442" });
    expect(lrp.external_ids["neutron:subnet_ids"]).toBe("sub-4 sub-6");
  });

  it("marks the gateway port, keeps routing on the gateway chassis for a flat network and sets the gateway MTU", () => {
    const gw = aPort({
      id: "gw-1",
      network_id: "ext-net",
      device_owner: "network:router_gateway",
      fixed_ips: [{ subnet_id: "ext-sub", ip_address: "172.24.4.5" }],
    });
    const lrp = desiredRouterPort(gw, subnets(extSubnet), "r-1", true, { network: ext, gatewayMtu: 1442 });
    expect(lrp.networks).toEqual(["172.24.4.5/24"]);
    expect(lrp.options).toEqual({ "reside-on-redirect-chassis": "true", gateway_mtu: "1442" });
    expect(lrp.external_ids).toMatchObject({ "neutron:is_ext_gw": "True", "neutron:network_name": "neutron-ext-net" });
  });

  it("does not send periodic RAs through a gateway port on an external network", () => {
    const sub6 = aSubnet6({ id: "ext-sub6", network_id: "ext-net", ipv6_address_mode: "slaac" });
    const gw = aPort({
      device_owner: "network:router_gateway",
      fixed_ips: [{ subnet_id: "ext-sub6", ip_address: "fd00::9" }],
    });
    expect(desiredRouterPort(gw, subnets(sub6), "r-1", true, { network: ext }).ipv6_ra_configs.send_periodic).toBe(
      "false",
    );
  });
});
