/** Behaviours Tempest's network tests found missing, pinned here so they stay fixed. */
import { describe, expect, it } from "vitest";
import { neutronTestApp } from "./testing.js";

describe("Neutron behaviours Tempest checks", () => {
  it("filters booleans by value: router:external=True lists only external networks", async () => {
    const api = await neutronTestApp();
    await api.make("networks", "network", { name: "ext", "router:external": true }, "admin");
    await api.make("networks", "network", { name: "internal" }, "admin");
    for (const [q, names] of [
      ["router:external=True", ["ext"]],
      ["router:external=false", ["internal"]],
      ["router:external=1", ["ext"]],
      ["router:external=maybe", []],
    ] as const) {
      const res = await api.call("GET", `/v2.0/networks?${q}`, undefined, "admin");
      expect(
        res.body.networks.map((n: { name: string }) => n.name),
        q,
      ).toEqual(names);
    }
  });

  it("takes external_gateway_info {} as no gateway", async () => {
    const api = await neutronTestApp();
    const r = await api.make("routers", "router", { name: "r", external_gateway_info: {} });
    expect(r.external_gateway_info).toBeNull();
  });

  it("answers 404 for a remote group that does not exist, UUID or not", async () => {
    const api = await neutronTestApp();
    const sg = await api.make("security-groups", "security_group", { name: "g" });
    for (const remote of ["bad_group_id", "9b1f1c2e-1111-4222-8333-444455556666"]) {
      const res = await api.call("POST", "/v2.0/security-group-rules", {
        security_group_rule: {
          security_group_id: sg.id,
          direction: "ingress",
          protocol: "tcp",
          remote_group_id: remote,
        },
      });
      expect(res.status, remote).toBe(404);
      expect(res.body.NeutronError.type).toBe("SecurityGroupNotFound");
    }
  });

  it("refuses a TCP port_range_max without a port_range_min", async () => {
    const api = await neutronTestApp();
    const sg = await api.make("security-groups", "security_group", { name: "g" });
    const res = await api.call("POST", "/v2.0/security-group-rules", {
      security_group_rule: { security_group_id: sg.id, direction: "ingress", protocol: "tcp", port_range_max: 6 },
    });
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toContain("port_range_min must be <= port_range_max");
  });

  it("refuses renaming a group to default with 409, so default still names only the project's default group", async () => {
    const api = await neutronTestApp();
    const sg = await api.make("security-groups", "security_group", { name: "g" });
    const res = await api.call("PUT", `/v2.0/security-groups/${sg.id}`, { security_group: { name: "default" } });
    expect(res.status).toBe(409);
    expect((await api.call("DELETE", `/v2.0/security-groups/${sg.id}`)).status).toBe(204);
  });
});

describe("more Neutron behaviours Tempest checks", () => {
  it("hides the subnets of a non-shared external network from other projects, not the network", async () => {
    const api = await neutronTestApp();
    const ext = await api.make("networks", "network", { name: "public", "router:external": true }, "admin");
    await api.make("subnets", "subnet", { network_id: ext.id, cidr: "172.24.4.0/24", ip_version: 4 }, "admin");
    expect((await api.call("GET", `/v2.0/networks/${ext.id}`)).status).toBe(200);
    expect((await api.call("GET", `/v2.0/subnets?network_id=${ext.id}`)).body.subnets).toEqual([]);
  });

  it("clears extra routes with routes: null", async () => {
    const api = await neutronTestApp();
    const r = await api.make("routers", "router", { name: "r" });
    const res = await api.call("PUT", `/v2.0/routers/${r.id}`, { router: { routes: null } });
    expect(res.status).toBe(200);
    expect(res.body.router.routes).toEqual([]);
  });
});
