import { describe, expect, it } from "vitest";
import { aRouter, aSubnet, aSubnet6 } from "./fixtures.js";
import { desiredStaticRoutes } from "./static-routes.js";

const gateway = { network_id: "ext-net", enable_snat: true, external_fixed_ips: [] };
const ext4 = aSubnet({ id: "ext-sub", cidr: "172.24.4.0/24", gateway_ip: "172.24.4.1" });
const ext6 = aSubnet6({ id: "ext-sub6", cidr: "2001:db8::/64", gateway_ip: "2001:db8::1" });

describe("desiredStaticRoutes", () => {
  it.each([
    [
      "a gateway on an IPv4 subnet gives the default route through the subnet's gateway",
      aRouter({ external_gateway_info: gateway }),
      [ext4],
      [
        {
          ip_prefix: "0.0.0.0/0",
          nexthop: "172.24.4.1",
          external_ids: {
            "neutron:is_ext_gw": "true",
            "neutron:subnet_id": "ext-sub",
            "neutron:is_static_route": "true",
          },
        },
      ],
    ],
    [
      "a dual-stack gateway gives an IPv4 and an IPv6 default route",
      aRouter({ external_gateway_info: gateway }),
      [ext4, ext6],
      [
        expect.objectContaining({ ip_prefix: "0.0.0.0/0", nexthop: "172.24.4.1" }),
        expect.objectContaining({ ip_prefix: "::/0", nexthop: "2001:db8::1" }),
      ],
    ],
    [
      "an external subnet without gateway IP gives no default route",
      aRouter({ external_gateway_info: gateway }),
      [aSubnet({ gateway_ip: null })],
      [],
    ],
    ["a router without gateway has no default route", aRouter(), [ext4], []],
    [
      "extra routes follow, marked as static routes",
      aRouter({ routes: [{ destination: "192.168.10.0/24", nexthop: "10.0.0.20" }] }),
      [],
      [
        {
          ip_prefix: "192.168.10.0/24",
          nexthop: "10.0.0.20",
          external_ids: { "neutron:is_static_route": "true" },
        },
      ],
    ],
  ])("%s", (_name, router, subnets, routes) => {
    expect(desiredStaticRoutes(router, subnets)).toEqual(routes);
  });
});
