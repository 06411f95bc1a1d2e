import { conflict } from "@stratus/core/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MechanismDriver, ResourceChange } from "../domain/driver.js";
import { type NeutronTestApp, neutronTestApp } from "./testing.js";

let t: NeutronTestApp;
const seen: ResourceChange[] = [];
let failApply: ((c: ResourceChange) => boolean) | null = null;
let refuse: ((c: ResourceChange) => boolean) | null = null;

const driver: MechanismDriver = {
  name: "recorder",
  async validate(change) {
    if (refuse?.(change)) throw conflict("the backend cannot do that", { details: { type: "BackendRefused" } });
  },
  async apply(change) {
    if (failApply?.(change)) throw new Error("connection refused");
    seen.push(change);
  },
};

beforeEach(async () => {
  seen.length = 0;
  failApply = null;
  refuse = null;
  t = await neutronTestApp({}, driver);
});
afterEach(async () => t.app.close());

const trace = () => seen.map((c) => `${c.kind}:${c.op}`);

describe("the mechanism driver port", () => {
  it("sees every committed change of a tenant network's life, in order, with the store already showing it", async () => {
    const ext = await t.make("networks", "network", { "router:external": true }, "admin");
    await t.make("subnets", "subnet", { network_id: ext.id, ip_version: 4, cidr: "203.0.113.0/24" }, "admin");
    const net = await t.make("networks", "network", {});
    const sub = await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
    const r = await t.make("routers", "router", { external_gateway_info: { network_id: ext.id } });
    await t.call("PUT", `/v2.0/routers/${r.id}/add_router_interface`, { subnet_id: sub.id });
    const p = await t.make("ports", "port", { network_id: net.id });
    await t.make("floatingips", "floatingip", { floating_network_id: ext.id, port_id: p.id });
    expect(trace()).toEqual([
      "network:create",
      "subnet:create",
      "network:create",
      "subnet:create",
      "port:create", // router gateway port
      "router:create",
      "port:create", // router interface port
      "router:update",
      "security_group:create", // the member's default group
      "port:create",
      "port:create", // floating IP port
      "floatingip:create",
    ]);
    const portChange = seen[9];
    expect(portChange?.kind === "port" && portChange.current.fixed_ips[0]?.ip_address).toBe("10.0.0.2");
  });

  it("writes nothing when the driver refuses a change (its error reaches the client)", async () => {
    const net = await t.make("networks", "network", {});
    await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
    refuse = (c) => c.kind === "port";
    const res = await t.call("POST", "/v2.0/ports", { port: { network_id: net.id } });
    expect(res.status).toBe(409);
    expect(res.body.NeutronError.type).toBe("BackendRefused");
    expect((await t.call("GET", "/v2.0/ports")).body.ports).toEqual([]);
    expect(await t.store.listAllocations({})).toEqual([]);
  });

  it("undoes a port create the backend failed (503) and gives its address to the next port", async () => {
    const net = await t.make("networks", "network", {});
    await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
    await t.make("security-groups", "security_group", { name: "warm-up" });
    failApply = (c) => c.kind === "port";
    const res = await t.call("POST", "/v2.0/ports", { port: { network_id: net.id } });
    expect(res.status).toBe(503);
    expect(res.body.NeutronError).toMatchObject({ type: "ServiceUnavailable" });
    expect(res.body.NeutronError.message).toContain("recorder mechanism driver failed to create port");
    expect((await t.call("GET", "/v2.0/ports")).body.ports).toEqual([]);
    failApply = null;
    const p = await t.make("ports", "port", { network_id: net.id });
    expect(p.fixed_ips[0].ip_address).toBe("10.0.0.2");
  });

  it("keeps an update the backend failed (503) with a message saying it will be resynced", async () => {
    const net = await t.make("networks", "network", { name: "a" });
    failApply = (c) => c.op === "update";
    const res = await t.call("PUT", `/v2.0/networks/${net.id}`, { network: { name: "b" } });
    expect(res.status).toBe(503);
    expect(res.body.NeutronError.message).toContain("kept");
    expect((await t.call("GET", `/v2.0/networks/${net.id}`)).body.network.name).toBe("b");
  });

  it("passes deletes with the last state: ports and subnets before their network", async () => {
    const net = await t.make("networks", "network", {});
    const sub = await t.make("subnets", "subnet", { network_id: net.id, ip_version: 4, cidr: "10.0.0.0/24" });
    await t.make("ports", "port", { network_id: net.id, device_owner: "network:distributed" }, "admin");
    seen.length = 0;
    expect((await t.call("DELETE", `/v2.0/networks/${net.id}`)).status).toBe(204);
    expect(trace()).toEqual(["port:delete", "subnet:delete", "network:delete"]);
    expect(seen[1]?.current.id).toBe(sub.id);
  });
});

describe("createNetworkApi without an authenticator", () => {
  it("answers 401 on /v2.0 routes and still serves the version document", async () => {
    const { createNetworkApi } = await import("./app.js");
    const { app } = createNetworkApi();
    await app.ready();
    expect((await app.inject({ method: "GET", url: "/v2.0/networks" })).statusCode).toBe(401);
    expect((await app.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
    await app.close();
  });
});
