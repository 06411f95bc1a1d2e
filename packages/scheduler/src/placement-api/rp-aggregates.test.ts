import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "2290d4af-9e6e-400b-9d65-1ee01376f71a";
const MISSING = "7260669a-e3d4-4867-aaa7-683e2ab6958c";
const A1 = "f4c1a8d2-3e5b-4c6d-8e7f-9a0b1c2d3e4f";
const A2 = "0a7a3c5e-1b1e-4a3c-9d0a-6f2c0a1b2c3d";
const AGGS = `/resource_providers/${RP}/aggregates`;

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  await t.call("POST", "/resource_providers", { name: "rp", uuid: RP });
});
afterEach(() => t.close());

const at = (microversion: string) => ({ microversion });

describe("/resource_providers/{uuid}/aggregates", () => {
  it("is not there at 1.0", async () => {
    expect((await t.call("GET", AGGS)).status).toBe(404);
  });

  it("before 1.19 takes a bare list, answers {aggregates} and keeps the generation", async () => {
    const res = await t.call("PUT", AGGS, [A1, A2], at("1.1"));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ aggregates: [A1, A2] });
    expect((await t.call("GET", `/resource_providers/${RP}`)).body.generation).toBe(0);
  });

  it("from 1.19 takes and answers the generation, and bumps it", async () => {
    const res = await t.call("PUT", AGGS, { aggregates: [A1], resource_provider_generation: 0 }, at("1.19"));
    expect(res.body).toEqual({ aggregates: [A1], resource_provider_generation: 1 });
    const got = await t.call("GET", AGGS, undefined, at("1.19"));
    expect(got.body).toEqual({ aggregates: [A1], resource_provider_generation: 1 });
  });

  it.each([
    [
      "a stale generation at 1.19",
      { aggregates: [], resource_provider_generation: 4 },
      "1.23",
      409,
      "placement.concurrent_update",
    ],
    ["an object before 1.19", { aggregates: [] }, "1.18", 400, undefined],
    ["a bare list at 1.19", [A1], "1.19", 400, undefined],
    ["a bad uuid", { aggregates: ["nope"], resource_provider_generation: 0 }, "1.23", 400, "placement.undefined_code"],
    ["duplicates", { aggregates: [A1, A1], resource_provider_generation: 0 }, "1.23", 400, "placement.undefined_code"],
  ])("PUT refuses %s", async (_what, body, microversion, status, code) => {
    const res = await t.call("PUT", AGGS, body, at(microversion));
    expect(res.status).toBe(status);
    if (code !== undefined) expect(res.body.errors[0].code).toBe(code);
  });

  it.each(["GET", "PUT"])("%s on an unknown provider answers 404", async (method) => {
    const res = await t.call(
      method,
      `/resource_providers/${MISSING}/aggregates`,
      method === "PUT" ? [] : undefined,
      at("1.1"),
    );
    expect(res.status).toBe(404);
  });
});

describe("usages", () => {
  beforeEach(async () => {
    await t.call("PUT", `/resource_providers/${RP}/inventories`, {
      resource_provider_generation: 0,
      inventories: { VCPU: { total: 8 }, DISK_GB: { total: 100 } },
    });
    const claim = (c: string, project: string, user: string, vcpu: number) =>
      t.store.write(
        (s) =>
          s.claim(c, {
            allocations: { [RP]: { VCPU: vcpu } },
            consumerGeneration: null,
            projectId: project,
            userId: user,
          }),
        { consumers: [c] },
      );
    await claim("c1", "p1", "u1", 2);
    await claim("c2", "p1", "u2", 3);
    await claim("c3", "p2", "u1", 1);
  });

  it("GET /resource_providers/{uuid}/usages lists every inventory class", async () => {
    const res = await t.call("GET", `/resource_providers/${RP}/usages`, undefined, at("1.15"));
    expect(res.body).toEqual({ resource_provider_generation: 4, usages: { VCPU: 6, DISK_GB: 0 } });
    expect(res.headers["cache-control"]).toBe("no-cache");
    expect((await t.call("GET", `/resource_providers/${MISSING}/usages`)).status).toBe(404);
  });

  it.each([
    ["a project", "project_id=p1", "1.9", { VCPU: 5 }],
    ["a project and user", "project_id=p1&user_id=u2", "1.9", { VCPU: 3 }],
    ["types from 1.38", "project_id=p1", "1.38", { unknown: { VCPU: 5, consumer_count: 2 } }],
    ["consumer_type=all", "project_id=p1&consumer_type=all", "1.38", { all: { VCPU: 5, consumer_count: 2 } }],
    ["a type nobody has", "project_id=p1&consumer_type=INSTANCE", "1.38", {}],
  ])("GET /usages sums %s", async (_what, qs, microversion, usages) => {
    const res = await t.call("GET", `/usages?${qs}`, undefined, at(microversion));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ usages });
  });

  it.each([
    ["before 1.9", "project_id=p1", "1.8", 404, ""],
    ["without project_id", "user_id=u1", "1.9", 400, "'project_id' is a required property"],
    ["consumer_type before 1.38", "project_id=p1&consumer_type=all", "1.37", 400, "Additional properties"],
    ["a malformed consumer_type", "project_id=p1&consumer_type=ALL-", "1.38", 400, "does not match"],
  ])("GET /usages refuses %s", async (_what, qs, microversion, status, detail) => {
    const res = await t.call("GET", `/usages?${qs}`, undefined, at(microversion));
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });
});
