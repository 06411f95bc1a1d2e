import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
// biome-ignore lint/suspicious/noExplicitAny: test records
let ext: any, extSubnet: any, net: any, sub: any;
beforeEach(async () => {
  t = await neutronTestApp();
  ext = await t.make("networks", "network", { name: "public", "router:external": true }, "admin");
  extSubnet = await t.make("subnets", "subnet", { network_id: ext.id, ip_version: 4, cidr: "203.0.113.0/24" }, "admin");
  net = await t.make("networks", "network", { name: "private" });
  sub = await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
});
afterEach(async () => t.app.close());

const iface = (routerId: string, action: "add" | "remove", body: Record<string, unknown>) =>
  t.call("PUT", `/v2.0/routers/${routerId}/${action}_router_interface`, body);

describe("routers", () => {
  it("creates a router with a gateway: a gateway port with an external address, SNAT on by default", async () => {
    const r = await t.make("routers", "router", { name: "r", external_gateway_info: { network_id: ext.id } });
    expect(r.external_gateway_info).toEqual({
      network_id: ext.id,
      enable_snat: true,
      external_fixed_ips: [{ subnet_id: extSubnet.id, ip_address: "203.0.113.2" }],
    });
    const gw = (await t.call("GET", `/v2.0/ports?device_id=${r.id}`, undefined, "admin")).body.ports;
    expect(gw).toHaveLength(1);
    expect(gw[0].device_owner).toBe("network:router_gateway");
    expect((await t.call("DELETE", `/v2.0/ports/${gw[0].id}`, undefined, "admin")).body.NeutronError.type).toBe(
      "ServicePortInUse",
    );
  });

  it("refuses a gateway on a network that is not external (400) and a member setting enable_snat (403)", async () => {
    const bad = await t.call("POST", "/v2.0/routers", { router: { external_gateway_info: { network_id: net.id } } });
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError).toMatchObject({
      type: "BadRequest",
      message: `Bad router request: Network ${net.id} is not an external network.`,
    });
    const snat = await t.call("POST", "/v2.0/routers", {
      router: { external_gateway_info: { network_id: ext.id, enable_snat: false } },
    });
    expect(snat.status).toBe(403);
    expect((await t.call("GET", "/v2.0/routers")).body.routers).toEqual([]);
  });

  it("adds a subnet interface holding the gateway IP, refuses it twice, and refuses deletion while it exists", async () => {
    const r = await t.make("routers", "router", { name: "r" });
    const add = await iface(r.id, "add", { subnet_id: sub.id });
    expect(add.status).toBe(200);
    expect(add.body).toMatchObject({
      id: r.id,
      subnet_id: sub.id,
      subnet_ids: [sub.id],
      network_id: net.id,
      project_id: "p-member",
    });
    const port = (await t.call("GET", `/v2.0/ports/${add.body.port_id}`)).body.port;
    expect(port).toMatchObject({
      device_owner: "network:router_interface",
      device_id: r.id,
      fixed_ips: [{ subnet_id: sub.id, ip_address: "10.0.0.1" }],
    });
    expect((await iface(r.id, "add", { subnet_id: sub.id })).body.NeutronError.message).toContain(
      "already has a port on subnet",
    );
    const busy = await t.call("DELETE", `/v2.0/routers/${r.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.NeutronError.type).toBe("RouterInUse");
    expect((await t.call("DELETE", `/v2.0/subnets/${sub.id}`)).body.NeutronError.type).toBe("SubnetInUse");
    const rm = await iface(r.id, "remove", { subnet_id: sub.id });
    expect(rm.body.port_id).toBe(add.body.port_id);
    expect((await t.call("GET", `/v2.0/ports/${add.body.port_id}`)).status).toBe(404);
    expect((await t.call("GET", `/v2.0/routers/${r.id}`)).body.router.revision_number).toBe(2);
    expect((await t.call("DELETE", `/v2.0/routers/${r.id}`)).status).toBe(204);
  });

  it("adds an interface by port, and answers Neutron's errors for bad interface requests", async () => {
    const r = await t.make("routers", "router", {});
    const p = await t.make("ports", "port", { network_id: net.id, fixed_ips: [{ ip_address: "10.0.0.9" }] });
    const add = await iface(r.id, "add", { port_id: p.id });
    expect(add.body.port_id).toBe(p.id);
    expect((await t.call("GET", `/v2.0/ports/${p.id}`)).body.port.device_owner).toBe("network:router_interface");
    expect((await iface(r.id, "add", {})).status).toBe(400);
    expect((await iface(r.id, "add", { subnet_id: sub.id, port_id: p.id })).status).toBe(400);
    const noGw = await t.make("subnets", "subnet", {
      network_id: net.id,
      ip_version: 4,
      cidr: "10.1.0.0/24",
      gateway_ip: null,
    });
    expect((await iface(r.id, "add", { subnet_id: noGw.id })).body.NeutronError.message).toContain(
      "must have a gateway IP",
    );
    const missing = await iface(r.id, "remove", { subnet_id: noGw.id });
    expect(missing.status).toBe(404);
    expect(missing.body.NeutronError.type).toBe("RouterInterfaceNotFoundForSubnet");
    expect((await iface(r.id, "remove", { port_id: p.id })).status).toBe(200);
  });

  it("sets static routes whose next hop is on an attached subnet, refusing others (400 InvalidRoutes)", async () => {
    const r = await t.make("routers", "router", {});
    await iface(r.id, "add", { subnet_id: sub.id });
    const ok = await t.call("PUT", `/v2.0/routers/${r.id}`, {
      router: { routes: [{ destination: "192.168.5.9/24", nexthop: "10.0.0.50" }] },
    });
    expect(ok.body.router.routes).toEqual([{ destination: "192.168.5.0/24", nexthop: "10.0.0.50" }]);
    const bad = await t.call("PUT", `/v2.0/routers/${r.id}`, {
      router: { routes: [{ destination: "192.168.6.0/24", nexthop: "172.16.0.1" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError.type).toBe("InvalidRoutes");
    const inUse = await iface(r.id, "remove", { subnet_id: sub.id });
    expect(inUse.status).toBe(409);
  });

  it("changes and clears the gateway, releasing the old gateway address", async () => {
    const r = await t.make("routers", "router", { external_gateway_info: { network_id: ext.id } });
    const cleared = await t.call("PUT", `/v2.0/routers/${r.id}`, { router: { external_gateway_info: null } });
    expect(cleared.body.router.external_gateway_info).toBeNull();
    expect((await t.call("GET", `/v2.0/ports?device_id=${r.id}`, undefined, "admin")).body.ports).toEqual([]);
    const again = await t.call("PUT", `/v2.0/routers/${r.id}`, {
      router: { external_gateway_info: { network_id: ext.id } },
    });
    expect(again.body.router.external_gateway_info.external_fixed_ips[0].ip_address).toBe("203.0.113.2");
    const admin = await t.call(
      "PUT",
      `/v2.0/routers/${r.id}`,
      { router: { external_gateway_info: { network_id: ext.id, enable_snat: false } } },
      "admin",
    );
    expect(admin.body.router.external_gateway_info.enable_snat).toBe(false);
  });
});

describe("floating IPs", () => {
  // biome-ignore lint/suspicious/noExplicitAny: test records
  let router: any, vmPort: any;
  beforeEach(async () => {
    router = await t.make("routers", "router", { external_gateway_info: { network_id: ext.id } });
    vmPort = await t.make("ports", "port", { network_id: net.id, device_id: "vm-1", device_owner: "compute:nova" });
  });

  it("allocates an external address held by a network:floatingip port, DOWN until associated", async () => {
    const f = await t.make("floatingips", "floatingip", { floating_network_id: ext.id });
    expect(f).toMatchObject({
      floating_ip_address: "203.0.113.3",
      port_id: null,
      router_id: null,
      fixed_ip_address: null,
      status: "DOWN",
    });
    const holder = (await t.call("GET", `/v2.0/ports?device_id=${f.id}`, undefined, "admin")).body.ports[0];
    expect(holder.device_owner).toBe("network:floatingip");
    expect((await t.call("DELETE", `/v2.0/floatingips/${f.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/ports?device_id=${f.id}`, undefined, "admin")).body.ports).toEqual([]);
  });

  it("refuses a floating IP on a network that is not external, and a member choosing the address", async () => {
    const res = await t.call("POST", "/v2.0/floatingips", { floatingip: { floating_network_id: net.id } });
    expect(res.status).toBe(400);
    const addr = await t.call("POST", "/v2.0/floatingips", {
      floatingip: { floating_network_id: ext.id, floating_ip_address: "203.0.113.77" },
    });
    expect(addr.status).toBe(403);
  });

  it("answers 404 ExternalGatewayForFloatingIPNotFound until the port's subnet is attached to the router", async () => {
    const f = await t.make("floatingips", "floatingip", { floating_network_id: ext.id });
    const res = await t.call("PUT", `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: vmPort.id } });
    expect(res.status).toBe(404);
    expect(res.body.NeutronError.type).toBe("ExternalGatewayForFloatingIPNotFound");
    await iface(router.id, "add", { subnet_id: sub.id });
    const ok = await t.call("PUT", `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: vmPort.id } });
    expect(ok.body.floatingip).toMatchObject({
      port_id: vmPort.id,
      fixed_ip_address: "10.0.0.2",
      router_id: router.id,
      status: "ACTIVE",
      revision_number: 1,
    });
    expect((await iface(router.id, "remove", { subnet_id: sub.id })).status).toBe(409);
    const gw = await t.call("PUT", `/v2.0/routers/${router.id}`, { router: { external_gateway_info: null } });
    expect(gw.body.NeutronError.type).toBe("RouterExternalGatewayInUseByFloatingIp");
    const off = await t.call("PUT", `/v2.0/floatingips/${f.id}`, { floatingip: { port_id: null } });
    expect(off.body.floatingip).toMatchObject({ port_id: null, router_id: null, fixed_ip_address: null });
  });

  it("associates at create time, refuses a fixed IP the port lacks, and is disassociated when the port goes", async () => {
    await iface(router.id, "add", { subnet_id: sub.id });
    const wrong = await t.call("POST", "/v2.0/floatingips", {
      floatingip: { floating_network_id: ext.id, port_id: vmPort.id, fixed_ip_address: "10.0.0.99" },
    });
    expect(wrong.status).toBe(400);
    const f = await t.make("floatingips", "floatingip", { floating_network_id: ext.id, port_id: vmPort.id });
    expect(f.router_id).toBe(router.id);
    const second = await t.call("POST", "/v2.0/floatingips", {
      floatingip: { floating_network_id: ext.id, port_id: vmPort.id },
    });
    expect(second.status).toBe(409);
    expect(second.body.NeutronError.type).toBe("FloatingIPPortAlreadyAssociated");
    await t.call("DELETE", `/v2.0/ports/${vmPort.id}`);
    expect((await t.call("GET", `/v2.0/floatingips/${f.id}`)).body.floatingip).toMatchObject({
      port_id: null,
      router_id: null,
    });
  });

  it("keeps external networks with floating IPs from being deleted (409 NetworkInUse)", async () => {
    await t.make("floatingips", "floatingip", { floating_network_id: ext.id });
    expect((await t.call("DELETE", `/v2.0/networks/${ext.id}`, undefined, "admin")).body.NeutronError.type).toBe(
      "NetworkInUse",
    );
  });
});
