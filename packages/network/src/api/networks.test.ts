import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MechanismDriver, ResourceChange } from "../domain/driver.js";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
beforeEach(async () => {
  t = await neutronTestApp({ physnets: ["physnet1", "physnet2"] });
});
afterEach(async () => t.app.close());

describe("networks", () => {
  it("creates a network with Neutron's defaults and standard attributes, hiding provider attributes from non-admins", async () => {
    const n = await t.make("networks", "network", { name: "net1" });
    expect(n).toMatchObject({
      name: "net1",
      admin_state_up: true,
      shared: false,
      "router:external": false,
      mtu: 1442,
      status: "ACTIVE",
      subnets: [],
      project_id: "p-member",
      tenant_id: "p-member",
      revision_number: 0,
      description: "",
      tags: [],
      port_security_enabled: true,
    });
    expect(n.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(n).not.toHaveProperty("provider:network_type");
    const asAdmin = (await t.call("GET", `/v2.0/networks/${n.id}`, undefined, "admin")).body.network;
    expect(asAdmin["provider:network_type"]).toBe("geneve");
    expect(asAdmin["provider:segmentation_id"]).toBe(1);
  });

  it("allocates distinct VNIs and answers 409 TunnelIdInUse for an explicit one already taken", async () => {
    const a = await t.make("networks", "network", { "provider:network_type": "geneve" }, "admin");
    const b = await t.make("networks", "network", {}, "admin");
    expect(a["provider:segmentation_id"]).not.toBe(b["provider:segmentation_id"]);
    const dup = await t.call(
      "POST",
      "/v2.0/networks",
      {
        network: { "provider:network_type": "geneve", "provider:segmentation_id": a["provider:segmentation_id"] },
      },
      "admin",
    );
    expect(dup.status).toBe(409);
    expect(dup.body.NeutronError.type).toBe("TunnelIdInUse");
  });

  it("creates vlan networks from the physnet's range with MTU 1500 and exhausts the range with 503 NoNetworkAvailable", async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const n = await t.make(
        "networks",
        "network",
        { "provider:network_type": "vlan", "provider:physical_network": "physnet1" },
        "admin",
      );
      expect(n.mtu).toBe(1500);
      ids.push(n["provider:segmentation_id"]);
    }
    expect(ids).toEqual([100, 101, 102]);
    const full = await t.call("POST", "/v2.0/networks", { network: { "provider:network_type": "vlan" } }, "admin");
    expect(full.status).toBe(503);
    expect(full.body.NeutronError.type).toBe("NoNetworkAvailable");
  });

  it.each([
    [
      { "provider:network_type": "vlan", "provider:physical_network": "physnet9", "provider:segmentation_id": 5 },
      400,
      "InvalidInput",
    ],
    [
      { "provider:network_type": "vlan", "provider:physical_network": "physnet1", "provider:segmentation_id": 4095 },
      400,
      "InvalidInput",
    ],
    [{ "provider:network_type": "flat" }, 400, "InvalidInput"],
    [
      { "provider:network_type": "flat", "provider:physical_network": "physnet2", "provider:segmentation_id": 3 },
      400,
      "InvalidInput",
    ],
    [{ "provider:network_type": "gre" }, 400, "InvalidInput"],
  ])("refuses the provider attributes %j with %i %s", async (attrs, status, type) => {
    const res = await t.call("POST", "/v2.0/networks", { network: attrs }, "admin");
    expect(res.status).toBe(status);
    expect(res.body.NeutronError.type).toBe(type);
  });

  it("claims a vlan and a flat physnet once: a second claim is 409 VlanIdInUse / FlatNetworkInUse, a delete frees it", async () => {
    const vlan = {
      "provider:network_type": "vlan",
      "provider:physical_network": "physnet2",
      "provider:segmentation_id": 7,
    };
    const first = await t.make("networks", "network", vlan, "admin");
    expect((await t.call("POST", "/v2.0/networks", { network: vlan }, "admin")).body.NeutronError.type).toBe(
      "VlanIdInUse",
    );
    const flat = { "provider:network_type": "flat", "provider:physical_network": "physnet1" };
    await t.make("networks", "network", flat, "admin");
    expect((await t.call("POST", "/v2.0/networks", { network: flat }, "admin")).body.NeutronError.type).toBe(
      "FlatNetworkInUse",
    );
    expect((await t.call("DELETE", `/v2.0/networks/${first.id}`, undefined, "admin")).status).toBe(204);
    expect((await t.call("POST", "/v2.0/networks", { network: vlan }, "admin")).status).toBe(201);
  });

  it.each([[{ "provider:network_type": "vlan" }], [{ shared: true }], [{ "router:external": true }]])(
    "answers 403 PolicyNotAuthorized to a member asking for %j",
    async (attrs) => {
      const res = await t.call("POST", "/v2.0/networks", { network: attrs });
      expect(res.status).toBe(403);
      expect(res.body.NeutronError.type).toBe("PolicyNotAuthorized");
    },
  );

  it("refuses another project's project_id from a member (400) and accepts it from an admin", async () => {
    const res = await t.call("POST", "/v2.0/networks", { network: { project_id: "p-other" } });
    expect(res.status).toBe(400);
    expect(res.body.NeutronError.message).toContain("requires admin or advsvc privileges");
    const n = await t.make("networks", "network", { tenant_id: "p-other" }, "admin");
    expect(n.project_id).toBe("p-other");
  });

  it("shows a project its own and shared networks, hides others' with 404, admins see all", async () => {
    const mine = await t.make("networks", "network", { name: "mine" });
    const theirs = await t.make("networks", "network", { name: "theirs" }, "other");
    await t.make("networks", "network", { name: "shared", shared: true, project_id: "p-admin" }, "admin");
    const names = (await t.call("GET", "/v2.0/networks")).body.networks.map((n: { name: string }) => n.name).sort();
    expect(names).toEqual(["mine", "shared"]);
    expect((await t.call("GET", `/v2.0/networks/${theirs.id}`)).body.NeutronError.type).toBe("NetworkNotFound");
    expect((await t.call("GET", "/v2.0/networks", undefined, "admin")).body.networks).toHaveLength(3);
    expect((await t.call("DELETE", `/v2.0/networks/${mine.id}`, undefined, "other")).status).toBe(404);
  });

  it("updates bump revision_number and updated_at; MTU above the segment's is 400", async () => {
    const n = await t.make("networks", "network", { name: "a" });
    const res = await t.call("PUT", `/v2.0/networks/${n.id}`, { network: { name: "b", description: "d" } });
    expect(res.body.network).toMatchObject({ name: "b", description: "d", revision_number: 1 });
    const again = await t.call("PUT", `/v2.0/networks/${n.id}`, { network: { admin_state_up: false } });
    expect(again.body.network.revision_number).toBe(2);
    expect((await t.call("PUT", `/v2.0/networks/${n.id}`, { network: { mtu: 9000 } })).status).toBe(400);
  });

  it("refuses to delete a network with a user port (409 NetworkInUse), then deletes it with its subnets", async () => {
    const n = await t.make("networks", "network", {});
    const s = await t.make("subnets", "subnet", { network_id: n.id, ip_version: 4, cidr: "10.0.0.0/24" });
    const p = await t.make("ports", "port", { network_id: n.id });
    const busy = await t.call("DELETE", `/v2.0/networks/${n.id}`);
    expect(busy.status).toBe(409);
    expect(busy.body.NeutronError.type).toBe("NetworkInUse");
    expect((await t.call("DELETE", `/v2.0/ports/${p.id}`)).status).toBe(204);
    expect((await t.call("DELETE", `/v2.0/networks/${n.id}`)).status).toBe(204);
    expect((await t.call("GET", `/v2.0/subnets/${s.id}`)).status).toBe(404);
    expect((await t.call("DELETE", `/v2.0/networks/${n.id}`)).status).toBe(404);
  });

  it("creates in bulk, all or nothing", async () => {
    const res = await t.call("POST", "/v2.0/networks", { networks: [{ name: "x" }, { name: "y" }] });
    expect(res.status).toBe(201);
    expect(res.body.networks.map((n: { name: string }) => n.name)).toEqual(["x", "y"]);
    const bad = await t.call("POST", "/v2.0/networks", { networks: [{ name: "z" }, { shared: "nope" }] });
    expect(bad.status).toBe(400);
    expect((await t.call("GET", "/v2.0/networks?name=z")).body.networks).toEqual([]);
  });
});

describe("networks and the mechanism driver", () => {
  it("validates before writing, applies after committing, and undoes a create the driver failed (503)", async () => {
    const seen: ResourceChange[] = [];
    let fail = false;
    const driver: MechanismDriver = {
      name: "recorder",
      async validate(change) {
        if (change.kind === "network" && change.current.name === "refused") throw new Error("no");
      },
      async apply(change, view) {
        if (fail) throw new Error("backend down");
        expect(await view.getNetwork(change.current.id)).toBeDefined();
        seen.push(change);
      },
    };
    const app = await neutronTestApp({}, driver);
    try {
      const n = await app.make("networks", "network", { name: "ok" });
      expect(seen.map((c) => `${c.kind}:${c.op}`)).toEqual(["network:create"]);
      expect((await app.call("POST", "/v2.0/networks", { network: { name: "refused" } })).status).toBe(500);
      fail = true;
      const down = await app.call("POST", "/v2.0/networks", { network: { name: "lost" } });
      expect(down.status).toBe(503);
      expect(down.body.NeutronError.message).toContain("undone");
      expect((await app.call("GET", "/v2.0/networks?name=lost")).body.networks).toEqual([]);
      fail = false;
      await app.call("PUT", `/v2.0/networks/${n.id}`, { network: { name: "renamed" } });
      expect(seen.at(-1)).toMatchObject({ op: "update", previous: { name: "ok" }, current: { name: "renamed" } });
    } finally {
      await app.app.close();
    }
  });
});
