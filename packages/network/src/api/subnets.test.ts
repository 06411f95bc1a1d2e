import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
// biome-ignore lint/suspicious/noExplicitAny: test records
let net: any;
beforeEach(async () => {
  t = await neutronTestApp();
  net = await t.make("networks", "network", { name: "n" });
});
afterEach(async () => t.app.close());

const subnet = (attrs: Record<string, unknown>) =>
  t.call("POST", "/v2.0/subnets", { subnet: { network_id: net.id, ...attrs } });

describe("subnets", () => {
  it("creates an IPv4 subnet with Neutron's defaults and lists it on its network", async () => {
    const res = await subnet({ ip_version: 4, cidr: "10.1.2.77/24", name: "s" });
    expect(res.status).toBe(201);
    expect(res.body.subnet).toMatchObject({
      cidr: "10.1.2.0/24",
      gateway_ip: "10.1.2.1",
      allocation_pools: [{ start: "10.1.2.2", end: "10.1.2.254" }],
      enable_dhcp: true,
      dns_nameservers: [],
      host_routes: [],
      ipv6_ra_mode: null,
      ipv6_address_mode: null,
      revision_number: 0,
    });
    const n = (await t.call("GET", `/v2.0/networks/${net.id}`)).body.network;
    expect(n.subnets).toEqual([res.body.subnet.id]);
    expect(n.revision_number).toBe(1);
  });

  it("creates a subnet without gateway (gateway_ip null) whose pool covers every host address", async () => {
    const res = await subnet({ ip_version: 4, cidr: "192.168.0.0/29", gateway_ip: null });
    expect(res.body.subnet).toMatchObject({
      gateway_ip: null,
      allocation_pools: [{ start: "192.168.0.1", end: "192.168.0.6" }],
    });
  });

  it("creates a SLAAC IPv6 subnet, canonicalizing the CIDR and DNS servers", async () => {
    const res = await subnet({
      ip_version: 6,
      cidr: "FD00:AB::/64",
      ipv6_ra_mode: "slaac",
      ipv6_address_mode: "slaac",
      dns_nameservers: ["FD00::53"],
    });
    expect(res.status).toBe(201);
    expect(res.body.subnet).toMatchObject({
      cidr: "fd00:ab::/64",
      gateway_ip: "fd00:ab::1",
      dns_nameservers: ["fd00::53"],
    });
  });

  it.each([
    [{ ip_version: 4, cidr: "fd00::/64" }, 400, "InvalidInput"],
    [{ ip_version: 4, cidr: "10.0.0.0/33" }, 400, "HTTPBadRequest"],
    [{ ip_version: 5, cidr: "10.0.0.0/24" }, 400, "HTTPBadRequest"],
    [{ ip_version: 4 }, 400, "HTTPBadRequest"],
    [{ ip_version: 4, cidr: "10.0.0.0/24", gateway_ip: "10.0.0.255" }, 400, "InvalidInput"],
    [
      { ip_version: 4, cidr: "10.0.0.0/24", allocation_pools: [{ start: "10.0.0.1", end: "10.0.0.9" }] },
      409,
      "GatewayConflictWithAllocationPools",
    ],
    [
      { ip_version: 4, cidr: "10.0.0.0/24", allocation_pools: [{ start: "10.0.0.5", end: "10.0.1.9" }] },
      400,
      "OutOfBoundsAllocationPool",
    ],
    [
      {
        ip_version: 4,
        cidr: "10.0.0.0/24",
        allocation_pools: [
          { start: "10.0.0.5", end: "10.0.0.9" },
          { start: "10.0.0.9", end: "10.0.0.20" },
        ],
      },
      409,
      "OverlappingAllocationPools",
    ],
    [{ ip_version: 4, cidr: "10.0.0.0/24", dns_nameservers: ["1.1.1.1", "1.1.1.1"] }, 400, "InvalidInput"],
    [{ ip_version: 4, cidr: "10.0.0.0/24", ipv6_address_mode: "slaac" }, 400, "InvalidInput"],
    [
      { ip_version: 6, cidr: "fd00::/64", ipv6_ra_mode: "slaac", ipv6_address_mode: "dhcpv6-stateful" },
      400,
      "InvalidInput",
    ],
    [{ ip_version: 6, cidr: "fd00::/80", ipv6_address_mode: "slaac" }, 400, "InvalidInput"],
    [{ ip_version: 6, cidr: "fd00::/64", ipv6_address_mode: "slaac", enable_dhcp: false }, 400, "InvalidInput"],
    [
      { ip_version: 4, cidr: "10.0.0.0/24", host_routes: [{ destination: "fd00::/64", nexthop: "10.0.0.1" }] },
      400,
      "InvalidInput",
    ],
  ])("refuses %j with %i %s", async (attrs, status, type) => {
    const res = await subnet(attrs);
    expect(res.status).toBe(status);
    expect(res.body.NeutronError.type).toBe(type);
  });

  it("refuses a CIDR overlapping another subnet of the same network but allows it on another network", async () => {
    await subnet({ ip_version: 4, cidr: "10.0.0.0/16" });
    const res = await subnet({ ip_version: 4, cidr: "10.0.5.0/24" });
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toContain("overlaps with another subnet");
    const other = await t.make("networks", "network", {});
    expect(
      (await t.call("POST", "/v2.0/subnets", { subnet: { network_id: other.id, ip_version: 4, cidr: "10.0.5.0/24" } }))
        .status,
    ).toBe(201);
  });

  it("answers 404 NetworkNotFound for another project's network and 403 for a shared one", async () => {
    const theirs = await t.make("networks", "network", {}, "other");
    const res = await t.call("POST", "/v2.0/subnets", {
      subnet: { network_id: theirs.id, ip_version: 4, cidr: "10.0.0.0/24" },
    });
    expect(res.body.NeutronError.type).toBe("NetworkNotFound");
    const shared = await t.make("networks", "network", { shared: true }, "admin");
    const r2 = await t.call("POST", "/v2.0/subnets", {
      subnet: { network_id: shared.id, ip_version: 4, cidr: "10.0.0.0/24" },
    });
    expect(r2.status).toBe(403);
  });

  it("updates name, DNS, pools and gateway with the same checks, bumping the revision", async () => {
    const s = (await subnet({ ip_version: 4, cidr: "10.0.0.0/24" })).body.subnet;
    const res = await t.call("PUT", `/v2.0/subnets/${s.id}`, {
      subnet: { name: "x", dns_nameservers: ["8.8.8.8"], allocation_pools: [{ start: "10.0.0.10", end: "10.0.0.20" }] },
    });
    expect(res.body.subnet).toMatchObject({ name: "x", dns_nameservers: ["8.8.8.8"], revision_number: 1 });
    const clash = await t.call("PUT", `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: "10.0.0.15" } });
    expect(clash.body.NeutronError.type).toBe("GatewayConflictWithAllocationPools");
    expect((await t.call("PUT", `/v2.0/subnets/${s.id}`, { subnet: { cidr: "10.9.0.0/24" } })).status).toBe(400);
  });

  it("refuses to delete a subnet a port has an address from (409 SubnetInUse) and deletes it after", async () => {
    const s = (await subnet({ ip_version: 4, cidr: "10.0.0.0/24" })).body.subnet;
    const p = await t.make("ports", "port", { network_id: net.id });
    const busy = await t.call("DELETE", `/v2.0/subnets/${s.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.NeutronError.type).toBe("SubnetInUse");
    await t.call("DELETE", `/v2.0/ports/${p.id}`);
    expect((await t.call("DELETE", `/v2.0/subnets/${s.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/networks/${net.id}`)).body.network.subnets).toEqual([]);
  });

  it("releases the addresses of DHCP ports when their subnet is deleted", async () => {
    const s = (await subnet({ ip_version: 4, cidr: "10.0.0.0/24" })).body.subnet;
    const dhcp = await t.make("ports", "port", { network_id: net.id, device_owner: "network:dhcp" }, "admin");
    expect((await t.call("DELETE", `/v2.0/subnets/${s.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/ports/${dhcp.id}`, undefined, "admin")).body.port.fixed_ips).toEqual([]);
    expect(await t.store.listAllocations({ subnet_id: s.id })).toEqual([]);
  });
});

describe("subnet bodies", () => {
  it("names a missing required attribute as Neutron does", async () => {
    const res = await t.call("POST", "/v2.0/subnets", { subnet: { network_id: net.id, cidr: "10.0.0.0/24" } });
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toBe(
      "Failed to parse request. Required attribute 'ip_version' not specified",
    );
  });
});

describe("subnet gateway changes", () => {
  it("refuses a new gateway a port holds, and a change while a router interface holds the old one (409 GatewayIpInUse)", async () => {
    const s = await t.make("subnets", "subnet", {
      network_id: net.id,
      ip_version: 4,
      cidr: "10.0.0.0/24",
      allocation_pools: [{ start: "10.0.0.10", end: "10.0.0.20" }],
    });
    await t.make("ports", "port", { network_id: net.id, fixed_ips: [{ ip_address: "10.0.0.5" }] });
    const taken = await t.call("PUT", `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: "10.0.0.5" } });
    expect(taken.status).toBe(409);
    expect(taken.body.NeutronError.type).toBe("GatewayIpInUse");
    expect(
      (await t.call("PUT", `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: "10.0.0.6" } })).body.subnet.gateway_ip,
    ).toBe("10.0.0.6");
    const r = await t.make("routers", "router", {});
    await t.call("PUT", `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: s.id });
    const busy = await t.call("PUT", `/v2.0/subnets/${s.id}`, { subnet: { gateway_ip: "10.0.0.7" } });
    expect(busy.body.NeutronError.type).toBe("GatewayIpInUse");
  });
});
