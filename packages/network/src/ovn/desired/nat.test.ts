import { describe, expect, it } from "vitest";
import { aFloatingIp, aPort, aRouter, aSubnet, aSubnet6 } from "./fixtures.js";
import { desiredNats } from "./nat.js";

const withGateway = (enable_snat: boolean) =>
  aRouter({ external_gateway_info: { network_id: "ext-net", enable_snat, external_fixed_ips: [] } });
const attached = [aSubnet(), aSubnet({ id: "sub-b", cidr: "10.0.1.0/24" }), aSubnet6()];

describe("desiredNats", () => {
  it.each([
    [
      "SNAT is written per IPv4 attached subnet from the IPv4 gateway address",
      withGateway(true),
      ["172.24.4.5", "2001:db8::5"],
      [
        { logical_ip: "10.0.0.0/24", external_ip: "172.24.4.5" },
        { logical_ip: "10.0.1.0/24", external_ip: "172.24.4.5" },
      ],
    ],
    ["enable_snat false writes no SNAT", withGateway(false), ["172.24.4.5"], []],
    ["a router without gateway writes no SNAT", aRouter(), ["172.24.4.5"], []],
  ])("%s", (_name, router, gatewayIps, expected) => {
    const nats = desiredNats(router, attached, gatewayIps, []);
    expect(nats).toEqual(
      expected.map((e) => ({
        type: "snat",
        ...e,
        logical_port: null,
        external_mac: null,
        options: {},
        external_ids: {},
      })),
    );
  });

  it("writes an associated floating IP as a centralized dnat_and_snat with Neutron's external_ids", () => {
    const floatingPort = aPort({ id: "fport", device_owner: "network:floatingip", mac_address: "fa:16:3e:ff:00:01" });
    const nats = desiredNats(aRouter(), [], [], [aFloatingIp()], new Map([["fip-1", floatingPort]]));
    expect(nats).toEqual([
      {
        type: "dnat_and_snat",
        logical_ip: "10.0.0.5",
        external_ip: "172.24.4.10",
        logical_port: "port-1",
        external_mac: null,
        options: { stateless: "false" },
        external_ids: {
          "neutron:fip_id": "fip-1",
          "neutron:revision_number": "3",
          "neutron:fip_port_id": "port-1",
          "neutron:router_name": "neutron-r-1",
          "neutron:fip_network_id": "ext-net",
          "neutron:fip_external_mac": "fa:16:3e:ff:00:01",
        },
      },
    ]);
  });

  it.each([
    ["an unassociated floating IP", aFloatingIp({ port_id: null, fixed_ip_address: null, router_id: null })],
    ["a floating IP of another router", aFloatingIp({ router_id: "r-2" })],
    ["a port-forwarding floating IP without fixed address", aFloatingIp({ fixed_ip_address: null })],
  ])("writes no NAT for %s", (_name, fip) => {
    expect(desiredNats(aRouter(), [], [], [fip])).toEqual([]);
  });

  it("marks floating IP NAT stateless when the deployment asks for it", () => {
    expect(desiredNats(aRouter(), [], [], [aFloatingIp()], new Map(), { statelessNat: true })[0]?.options).toEqual({
      stateless: "true",
    });
  });
});
