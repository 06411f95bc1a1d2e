import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
// biome-ignore lint/suspicious/noExplicitAny: test records
let net: any;
// biome-ignore lint/suspicious/noExplicitAny: test records
let v4: any;
beforeEach(async () => {
  t = await neutronTestApp();
  net = await t.make("networks", "network", { name: "n" });
  v4 = await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
});
afterEach(async () => t.app.close());

const port = (attrs: Record<string, unknown> = {}, token: "member" | "admin" | "other" = "member") =>
  t.call("POST", "/v2.0/ports", { port: { network_id: net.id, ...attrs } }, token);

describe("ports", () => {
  it("creates a port with one address from the IPv4 subnet, a fa:16:3e MAC, the default group and an unbound binding", async () => {
    const res = await port({ name: "p" });
    expect(res.status).toBe(201);
    const p = res.body.port;
    expect(p.fixed_ips).toEqual([{ subnet_id: v4.id, ip_address: "10.0.0.2" }]);
    expect(p.mac_address).toMatch(/^fa:16:3e(:[0-9a-f]{2}){3}$/);
    expect(p).toMatchObject({
      status: "DOWN",
      admin_state_up: true,
      port_security_enabled: true,
      "binding:vnic_type": "normal",
    });
    expect(p).not.toHaveProperty("binding:vif_type");
    const groups = (await t.call("GET", "/v2.0/security-groups")).body.security_groups;
    expect(groups.map((g: { name: string }) => g.name)).toEqual(["default"]);
    expect(p.security_groups).toEqual([groups[0].id]);
    const asAdmin = (await t.call("GET", `/v2.0/ports/${p.id}`, undefined, "admin")).body.port;
    expect(asAdmin).toMatchObject({ "binding:vif_type": "unbound", "binding:host_id": "", "binding:vif_details": {} });
  });

  it("binds a port to a host (admin): vif_type ovs; non-admins may not set binding:host_id", async () => {
    const res = await port({ "binding:host_id": "compute-1" }, "admin");
    expect(res.body.port).toMatchObject({
      "binding:vif_type": "ovs",
      "binding:host_id": "compute-1",
      status: "ACTIVE",
    });
    expect((await port({ "binding:host_id": "compute-1" })).status).toBe(403);
    const unbound = await t.call(
      "PUT",
      `/v2.0/ports/${res.body.port.id}`,
      { port: { "binding:host_id": "" } },
      "admin",
    );
    expect(unbound.body.port["binding:vif_type"]).toBe("unbound");
  });

  it("takes a given address, and answers 409 IpAddressAlreadyAllocated for it a second time", async () => {
    const a = await port({ fixed_ips: [{ ip_address: "10.0.0.50" }] });
    expect(a.body.port.fixed_ips).toEqual([{ subnet_id: v4.id, ip_address: "10.0.0.50" }]);
    const b = await port({ fixed_ips: [{ subnet_id: v4.id, ip_address: "10.0.0.50" }] });
    expect(b.status).toBe(409);
    expect(b.body.NeutronError).toEqual({
      type: "IpAddressAlreadyAllocated",
      message: `IP address 10.0.0.50 already allocated in subnet ${v4.id}`,
      detail: "",
    });
  });

  it.each([
    [[{ subnet_id: "SUBNET", ip_address: "10.0.1.5" }], 400, "InvalidIpForSubnet"],
    [[{ subnet_id: "SUBNET", ip_address: "10.0.0.255" }], 400, "InvalidIpForSubnet"],
    [[{ ip_address: "192.168.9.9" }], 400, "InvalidIpForNetwork"],
    [[{ subnet_id: "00000000-0000-0000-0000-000000000000" }], 400, "InvalidInput"],
    [[{ ip_address: "not-an-ip" }], 400, "HTTPBadRequest"],
    [[{}], 400, "HTTPBadRequest"],
  ])("refuses fixed_ips %j with %i %s", async (ips, status, type) => {
    const fixed = ips.map((f) => (f.subnet_id === "SUBNET" ? { ...f, subnet_id: v4.id } : f));
    const res = await port({ fixed_ips: fixed });
    expect(res.status).toBe(status);
    expect(res.body.NeutronError.type).toBe(type);
  });

  it("gives 200 concurrent creates 200 distinct addresses, fills the pool, then answers 409 IpAddressGenerationFailure", async () => {
    const first = await Promise.all(Array.from({ length: 200 }, () => port()));
    expect(first.every((r) => r.status === 201)).toBe(true);
    const ips = new Set(first.map((r) => r.body.port.fixed_ips[0].ip_address));
    expect(ips.size).toBe(200);
    const rest = await Promise.all(Array.from({ length: 53 }, () => port()));
    expect(rest.every((r) => r.status === 201)).toBe(true);
    for (const r of rest) ips.add(r.body.port.fixed_ips[0].ip_address);
    expect(ips.size).toBe(253);
    expect(ips.has("10.0.0.1")).toBe(false);
    const full = await port();
    expect(full.status).toBe(409);
    expect(full.body.NeutronError.type).toBe("IpAddressGenerationFailure");
    // a delete returns the address
    await t.call("DELETE", `/v2.0/ports/${first[7]?.body.port.id}`);
    const again = await port();
    expect(again.body.port.fixed_ips[0].ip_address).toBe(first[7]?.body.port.fixed_ips[0].ip_address);
  });

  it("re-allocates on a fixed_ips update, keeping unchanged addresses and releasing dropped ones", async () => {
    const p = (await port({ fixed_ips: [{ ip_address: "10.0.0.10" }] })).body.port;
    const res = await t.call("PUT", `/v2.0/ports/${p.id}`, {
      port: { fixed_ips: [{ ip_address: "10.0.0.10" }, { ip_address: "10.0.0.11" }] },
    });
    expect(res.body.port.fixed_ips.map((f: { ip_address: string }) => f.ip_address)).toEqual([
      "10.0.0.10",
      "10.0.0.11",
    ]);
    expect(res.body.port.revision_number).toBe(1);
    await t.call("PUT", `/v2.0/ports/${p.id}`, { port: { fixed_ips: [{ ip_address: "10.0.0.11" }] } });
    expect((await port({ fixed_ips: [{ ip_address: "10.0.0.10" }] })).status).toBe(201);
    const taken = await t.call("PUT", `/v2.0/ports/${p.id}`, { port: { fixed_ips: [{ ip_address: "10.0.0.10" }] } });
    expect(taken.status).toBe(409);
    expect((await t.call("GET", `/v2.0/ports/${p.id}`)).body.port.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: "10.0.0.11" },
    ]);
  });

  it("adds an EUI-64 address on a SLAAC subnet and one address from a stateful IPv6 subnet", async () => {
    const slaac = await t.make("subnets", "subnet", {
      network_id: net.id,
      ip_version: 6,
      cidr: "fd00:1::/64",
      ipv6_ra_mode: "slaac",
      ipv6_address_mode: "slaac",
    });
    const stateful = await t.make("subnets", "subnet", { network_id: net.id, ip_version: 6, cidr: "fd00:2::/64" });
    const p = (await port({ mac_address: "fa:16:3e:12:34:56" })).body.port;
    expect(p.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: "10.0.0.2" },
      { subnet_id: stateful.id, ip_address: "fd00:2::2" },
      { subnet_id: slaac.id, ip_address: "fd00:1::f816:3eff:fe12:3456" },
    ]);
    const direct = await port({ fixed_ips: [{ subnet_id: slaac.id, ip_address: "fd00:1::5" }] });
    expect(direct.status).toBe(400);
  });

  it("validates a given MAC (400) and refuses one in use on the network (409 MacAddressInUse), lower-casing it", async () => {
    expect((await port({ mac_address: "01:00:5e:00:00:01" })).status).toBe(400);
    expect((await port({ mac_address: "zz:16:3e:00:00:01" })).status).toBe(400);
    const a = await port({ mac_address: "FA:16:3E:AA:BB:CC" });
    expect(a.body.port.mac_address).toBe("fa:16:3e:aa:bb:cc");
    const b = await port({ mac_address: "fa:16:3e:aa:bb:cc" });
    expect(b.status).toBe(409);
    expect(b.body.NeutronError.type).toBe("MacAddressInUse");
  });

  it("applies Neutron's port-security rules to security groups and address pairs", async () => {
    const off = await port({ port_security_enabled: false });
    expect(off.body.port.security_groups).toEqual([]);
    const sg = await t.make("security-groups", "security_group", { name: "web" });
    const both = await port({ port_security_enabled: false, security_groups: [sg.id] });
    expect(both.status).toBe(400);
    expect(both.body.NeutronError.type).toBe("PortSecurityAndIPRequiredForSecurityGroups");
    const pairs = await port({ port_security_enabled: false, allowed_address_pairs: [{ ip_address: "10.0.0.200" }] });
    expect(pairs.status).toBe(409);
    expect(pairs.body.NeutronError.type).toBe("AddressPairAndPortSecurityRequired");
    const withSg = (await port({ security_groups: [sg.id], allowed_address_pairs: [{ ip_address: "10.0.0.0/28" }] }))
      .body.port;
    expect(withSg.allowed_address_pairs).toEqual([{ ip_address: "10.0.0.0/28", mac_address: withSg.mac_address }]);
    const disable = await t.call("PUT", `/v2.0/ports/${withSg.id}`, { port: { port_security_enabled: false } });
    expect(disable.status).toBe(409);
    expect(disable.body.NeutronError.type).toBe("PortSecurityPortHasSecurityGroup");
    const unknownSg = await port({ security_groups: ["00000000-0000-0000-0000-000000000000"] });
    expect(unknownSg.body.NeutronError.type).toBe("SecurityGroupNotFound");
  });

  it("inherits port_security_enabled from the network", async () => {
    const open = await t.make("networks", "network", { port_security_enabled: false });
    const p = await t.make("ports", "port", { network_id: open.id });
    expect(p).toMatchObject({ port_security_enabled: false, security_groups: [], fixed_ips: [] });
  });

  it("filters ports by fixed_ips, device_id and mac", async () => {
    await port({ device_id: "vm-1", fixed_ips: [{ ip_address: "10.0.0.30" }] });
    await port({ device_id: "vm-2" });
    const byIp = await t.call("GET", "/v2.0/ports?fixed_ips=ip_address%3D10.0.0.30");
    expect(byIp.body.ports.map((p: { device_id: string }) => p.device_id)).toEqual(["vm-1"]);
    const byDevice = await t.call("GET", "/v2.0/ports?device_id=vm-2&fields=device_id");
    expect(byDevice.body.ports).toEqual([{ device_id: "vm-2" }]);
  });

  it("lets a network owner see ports others made on its shared network, but not another project", async () => {
    const shared = await t.make("networks", "network", { shared: true }, "admin");
    await t.make("subnets", "subnet", { network_id: shared.id, ip_version: 4, cidr: "10.5.0.0/24" }, "admin");
    const theirs = (await port({ network_id: shared.id }, "other")).body.port;
    expect((await t.call("GET", `/v2.0/ports/${theirs.id}`)).status).toBe(404);
    expect((await t.call("GET", `/v2.0/ports/${theirs.id}`, undefined, "admin")).status).toBe(200);
    const onMine = (await port({}, "other")).status;
    expect(onMine).toBe(404);
  });
});

describe("ports and a new SLAAC subnet", () => {
  it("gives existing ports (not router ports) their EUI-64 address when a SLAAC subnet is added", async () => {
    const p = (await port({ mac_address: "fa:16:3e:00:00:01" })).body.port;
    const r = await t.make("routers", "router", {});
    await t.call("PUT", `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: v4.id });
    const slaac = await t.make("subnets", "subnet", {
      network_id: net.id,
      ip_version: 6,
      cidr: "fd00:9::/64",
      ipv6_ra_mode: "slaac",
      ipv6_address_mode: "slaac",
    });
    const after = (await t.call("GET", `/v2.0/ports/${p.id}`)).body.port;
    expect(after.fixed_ips).toContainEqual({ subnet_id: slaac.id, ip_address: "fd00:9::f816:3eff:fe00:1" });
    expect(after.revision_number).toBe(1);
    const routerPorts = (await t.call("GET", `/v2.0/ports?device_owner=network:router_interface`)).body.ports;
    expect(routerPorts[0].fixed_ips).toHaveLength(1);
    // and deleting the SLAAC subnet takes the address back without SubnetInUse
    expect((await t.call("DELETE", `/v2.0/subnets/${slaac.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/ports/${p.id}`)).body.port.fixed_ips).toEqual([
      { subnet_id: v4.id, ip_address: "10.0.0.2" },
    ]);
  });
});
