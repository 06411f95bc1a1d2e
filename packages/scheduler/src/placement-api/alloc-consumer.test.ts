import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INCOMPLETE_CONSUMER_ID } from "./alloc-wire.js";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "11111111-1111-4111-8111-111111111111";
const RP2 = "44444444-4444-4444-8444-444444444444";
const VM = "22222222-2222-4222-8222-222222222222";
const VM2 = "33333333-3333-4333-8333-333333333333";
const MISSING = "99999999-9999-4999-8999-999999999999";
const owner = { project_id: "p1", user_id: "u1" };

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  const s = t.store.state;
  s.createProvider({ uuid: RP, name: "cn1" });
  s.setInventories(RP, 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } });
  s.createProvider({ uuid: RP2, name: "cn2" });
  s.setInventories(RP2, 0, { VCPU: { total: 4 } });
});
afterEach(() => t.close());

const dict = (resources: Record<string, number>, rp = RP) => ({ [rp]: { resources } });

describe("PUT /allocations/{consumer_uuid} refusals", () => {
  it.each([
    [
      "1.8 without project_id",
      "1.8",
      { allocations: [{ resource_provider: { uuid: RP }, resources: { VCPU: 1 } }] },
      400,
      "JSON does not validate: 'project_id' is a required property",
    ],
    ["1.0 with an empty list", "1.0", { allocations: [] }, 400, "JSON does not validate: [] should be non-empty"],
    [
      "1.12 in the list form",
      "1.12",
      { allocations: [{ resource_provider: { uuid: RP }, resources: { VCPU: 1 } }], ...owner },
      400,
      "JSON does not validate: [{'resource_provider': {'uuid': '11111111-1111-4111-8111-111111111111'}, 'resources': {'VCPU': 1}}] is not of type 'object'",
    ],
    [
      "1.12 with empty allocations",
      "1.12",
      { allocations: {}, ...owner },
      400,
      "JSON does not validate: {} should be non-empty",
    ],
    [
      "1.28 without consumer_generation",
      "1.28",
      { allocations: dict({ VCPU: 1 }), ...owner },
      400,
      "JSON does not validate: 'consumer_generation' is a required property",
    ],
    [
      "1.38 without consumer_type",
      "1.38",
      { allocations: dict({ VCPU: 1 }), ...owner, consumer_generation: null },
      400,
      "JSON does not validate: 'consumer_type' is a required property",
    ],
    [
      "an unknown property",
      "1.12",
      { allocations: dict({ VCPU: 1 }), ...owner, foo: 1 },
      400,
      "JSON does not validate: Additional properties are not allowed ('foo' was unexpected)",
    ],
    [
      "a zero amount",
      "1.12",
      { allocations: dict({ VCPU: 0 }), ...owner },
      400,
      "JSON does not validate: 0 is less than the minimum of 1",
    ],
    [
      "a fractional amount",
      "1.12",
      { allocations: dict({ VCPU: 1.5 }), ...owner },
      400,
      "JSON does not validate: 1.5 is not of type 'integer'",
    ],
    [
      "a lowercase resource class",
      "1.12",
      { allocations: dict({ vcpu: 1 }), ...owner },
      400,
      "JSON does not validate: 'vcpu' does not match any of the regexes: '^[A-Z0-9_]+$'",
    ],
    [
      "a provider key that is not a UUID",
      "1.12",
      { allocations: { nope: { resources: { VCPU: 1 } } }, ...owner },
      400,
      "JSON does not validate: 'nope' does not match any of the regexes: '^[0-9a-fA-F-]{36}$'",
    ],
    [
      "empty resources",
      "1.12",
      { allocations: dict({}), ...owner },
      400,
      "JSON does not validate: {} should be non-empty",
    ],
    [
      "an unknown provider",
      "1.12",
      { allocations: dict({ VCPU: 1 }, MISSING), ...owner },
      400,
      `Allocation for resource provider '${MISSING}' that does not exist.`,
    ],
    [
      "an unknown resource class",
      "1.12",
      { allocations: dict({ CUSTOM_NOPE: 1 }), ...owner },
      400,
      `Unable to allocate inventory for consumer ${VM}: No such resource class CUSTOM_NOPE.`,
    ],
    [
      "a class the provider has no inventory of",
      "1.12",
      { allocations: dict({ DISK_GB: 1 }), ...owner },
      409,
      `Unable to allocate inventory: Inventory for 'DISK_GB' on resource provider '${RP}' invalid.`,
    ],
    [
      "more than the capacity",
      "1.12",
      { allocations: dict({ VCPU: 9 }), ...owner },
      409,
      `Unable to allocate inventory: Unable to create allocation for 'VCPU' on resource provider '${RP}'. The requested amount would`,
    ],
  ])("refuses %s", async (_name, microversion, body, status, message) => {
    const res = await t.call("PUT", `/allocations/${VM}`, body, { microversion });
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(message);
    expect(t.store.state.getAllocations(VM)).toBeUndefined();
  });

  it("refuses a malformed consumer UUID and a member (403)", async () => {
    const bad = await t.call(
      "PUT",
      "/allocations/not-a-uuid",
      { allocations: dict({ VCPU: 1 }), ...owner },
      { microversion: "1.12" },
    );
    expect([bad.status, bad.body.errors[0].detail]).toEqual([
      400,
      expect.stringContaining("Malformed consumer_uuid: not-a-uuid"),
    ]);
    const member = await t.call(
      "PUT",
      `/allocations/${VM}`,
      { allocations: dict({ VCPU: 1 }), ...owner },
      { microversion: "1.12", token: "member" },
    );
    expect(member.status).toBe(403);
    expect(member.body.errors[0].detail).toContain(
      "Policy does not allow placement:allocations:update to be performed.",
    );
  });

  it.each([
    ["no Content-Type", undefined, "The media type None is not supported, use application/json"],
    ["text/plain", "text/plain", "The media type text/plain is not supported, use application/json"],
  ])("refuses a body with %s (415)", async (_name, type, message) => {
    const res = await t.call("PUT", `/allocations/${VM}`, type === undefined ? undefined : "{}", {
      microversion: "1.28",
      ...(type === undefined ? {} : { headers: { "content-type": type } }),
    });
    expect(res.status).toBe(415);
    expect(res.body.errors[0].detail).toContain(message);
  });

  it("reports Placement's error codes from 1.23 on", async () => {
    const over = await t.call(
      "PUT",
      `/allocations/${VM}`,
      { allocations: dict({ VCPU: 9 }), ...owner, consumer_generation: null },
      { microversion: "1.28" },
    );
    expect(over.body.errors[0]).toMatchObject({ status: 409, title: "Conflict", code: "placement.undefined_code" });
    const old = await t.call(
      "PUT",
      `/allocations/${VM}`,
      { allocations: dict({ VCPU: 9 }), ...owner },
      { microversion: "1.22" },
    );
    expect(old.body.errors[0]).not.toHaveProperty("code");
  });
});

describe("allocations per consumer across microversions", () => {
  it("writes the list form at 1.0 for the incomplete consumer and reads the dict form without owner", async () => {
    const put = await t.call("PUT", `/allocations/${VM}`, {
      allocations: [{ resource_provider: { uuid: RP }, resources: { VCPU: 2 } }],
    });
    expect(put.status).toBe(204);
    expect(t.store.state.getAllocations(VM)).toMatchObject({
      projectId: INCOMPLETE_CONSUMER_ID,
      userId: INCOMPLETE_CONSUMER_ID,
    });
    const get = await t.call("GET", `/allocations/${VM}`);
    expect(get.body).toEqual({ allocations: { [RP]: { resources: { VCPU: 2 }, generation: 2 } } });
    expect(get.headers["cache-control"]).toBeUndefined();
  });

  it("shows the owner from 1.12, cache headers from 1.15, and replaces allocations without a generation before 1.28", async () => {
    expect(
      (
        await t.call(
          "PUT",
          `/allocations/${VM}`,
          { allocations: dict({ VCPU: 2 }), ...owner },
          { microversion: "1.12" },
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await t.call(
          "PUT",
          `/allocations/${VM}`,
          { allocations: dict({ VCPU: 3 }), ...owner },
          { microversion: "1.12" },
        )
      ).status,
    ).toBe(204);
    const get = await t.call("GET", `/allocations/${VM}`, undefined, { microversion: "1.15" });
    expect(get.body).toEqual({ allocations: { [RP]: { resources: { VCPU: 3 }, generation: 3 } }, ...owner });
    expect(get.headers["cache-control"]).toBe("no-cache");
    expect(new Date(String(get.headers["last-modified"])).getTime()).not.toBeNaN();
  });

  it("guards writes with the consumer generation from 1.28 and deletes with empty allocations", async () => {
    const put = (gen: number | null, resources: Record<string, number>) =>
      t.call(
        "PUT",
        `/allocations/${VM}`,
        { allocations: Object.keys(resources).length ? dict(resources) : {}, ...owner, consumer_generation: gen },
        { microversion: "1.28" },
      );
    expect((await put(null, { VCPU: 1 })).status).toBe(204);
    const stale = await put(null, { VCPU: 2 });
    expect(stale.status).toBe(409);
    expect(stale.body.errors[0]).toMatchObject({ code: "placement.concurrent_update" });
    expect(stale.body.errors[0].detail).toContain("consumer generation conflict - expected 0 but got None");
    expect((await put(0, { VCPU: 2 })).status).toBe(204);
    const get = await t.call("GET", `/allocations/${VM}`, undefined, { microversion: "1.28" });
    expect(get.body).toMatchObject({ consumer_generation: 1, allocations: { [RP]: { resources: { VCPU: 2 } } } });
    expect(get.body).not.toHaveProperty("consumer_type");
    expect((await put(1, {})).status).toBe(204);
    expect((await t.call("GET", `/allocations/${VM}`, undefined, { microversion: "1.28" })).body).toEqual({
      allocations: {},
    });
  });

  it("stores the consumer type from 1.38 and shows 'unknown' for consumers written before", async () => {
    const body = { allocations: dict({ VCPU: 1 }), ...owner, consumer_generation: null, mappings: { "": [RP] } };
    expect((await t.call("PUT", `/allocations/${VM}`, body, { microversion: "1.34" })).status).toBe(204);
    expect(
      (await t.call("PUT", `/allocations/${VM2}`, { ...body, consumer_type: "INSTANCE" }, { microversion: "1.38" }))
        .status,
    ).toBe(204);
    const typeOf = async (c: string) =>
      (await t.call("GET", `/allocations/${c}`, undefined, { microversion: "1.38" })).body.consumer_type;
    expect([await typeOf(VM), await typeOf(VM2)]).toEqual(["unknown", "INSTANCE"]);
  });

  it("DELETE removes a consumer's allocations (204) and answers 404 for one without", async () => {
    await t.call("PUT", `/allocations/${VM}`, { allocations: dict({ VCPU: 1 }), ...owner }, { microversion: "1.12" });
    expect((await t.call("DELETE", `/allocations/${VM}`)).status).toBe(204);
    const again = await t.call("DELETE", `/allocations/${VM}`, undefined, { microversion: "1.23" });
    expect(again.status).toBe(404);
    expect(again.body.errors[0]).toMatchObject({
      code: "placement.undefined_code",
      detail: expect.stringContaining(`No allocations for consumer '${VM}'`),
    });
    expect(t.store.state.usages(RP)).toEqual({ VCPU: 0, MEMORY_MB: 0 });
  });
});

describe("POST /allocations and provider allocations", () => {
  it("is not found before 1.13", async () => {
    expect(
      (
        await t.call(
          "POST",
          "/allocations",
          { [VM]: { allocations: dict({ VCPU: 1 }), ...owner } },
          { microversion: "1.12" },
        )
      ).status,
    ).toBe(404);
  });

  it("writes several consumers at once and lists them per provider", async () => {
    const res = await t.call(
      "POST",
      "/allocations",
      {
        [VM]: { allocations: dict({ VCPU: 2 }), ...owner, consumer_generation: null },
        [VM2]: {
          allocations: { ...dict({ VCPU: 1 }), ...dict({ VCPU: 4 }, RP2) },
          ...owner,
          consumer_generation: null,
        },
      },
      { microversion: "1.28" },
    );
    expect(res.status).toBe(204);
    const list = await t.call("GET", `/resource_providers/${RP}/allocations`, undefined, { microversion: "1.28" });
    expect(list.body).toEqual({
      allocations: {
        [VM]: { resources: { VCPU: 2 }, consumer_generation: 0 },
        [VM2]: { resources: { VCPU: 1 }, consumer_generation: 0 },
      },
      resource_provider_generation: 2,
    });
    const old = await t.call("GET", `/resource_providers/${RP2}/allocations`);
    expect(old.body).toEqual({ allocations: { [VM2]: { resources: { VCPU: 4 } } }, resource_provider_generation: 2 });
  });

  it.each([
    [
      "one consumer over capacity",
      {
        [VM]: { allocations: dict({ VCPU: 2 }), ...owner, consumer_generation: null },
        [VM2]: { allocations: dict({ VCPU: 5 }, RP2), ...owner, consumer_generation: null },
      },
      409,
      "Unable to allocate inventory: Unable to create allocation for 'VCPU'",
    ],
    [
      "an unknown resource class",
      { [VM]: { allocations: dict({ CUSTOM_X: 2 }), ...owner, consumer_generation: null } },
      400,
      "Unable to allocate inventory No such resource class CUSTOM_X.",
    ],
    ["no consumers", {}, 400, "JSON does not validate: {} should be non-empty"],
    [
      "a stale consumer generation",
      { [VM]: { allocations: dict({ VCPU: 2 }), ...owner, consumer_generation: 4 } },
      409,
      "consumer generation conflict - expected null but got 4",
    ],
  ])("writes nothing when %s", async (_name, body, status, message) => {
    const res = await t.call("POST", "/allocations", body, { microversion: "1.28" });
    expect([res.status, res.body.errors[0].detail]).toEqual([status, expect.stringContaining(message)]);
    expect([t.store.state.getAllocations(VM), t.store.state.getAllocations(VM2)]).toEqual([undefined, undefined]);
  });

  it("answers 404 for the allocations of an unknown provider", async () => {
    const res = await t.call("GET", `/resource_providers/${MISSING}/allocations`);
    expect(res.status).toBe(404);
    expect(res.body.errors[0].detail).toContain(
      `Resource provider '${MISSING}' not found: No resource provider with uuid ${MISSING} found`,
    );
  });
});

describe("concurrency", () => {
  it("lets exactly 900 of 1,000 concurrent claims in where there is room for 900, and never overcommits", async () => {
    const s = t.store.state;
    const rps = Array.from({ length: 9 }, (_, i) => `aaaaaaaa-0000-4000-8000-${String(i).padStart(12, "0")}`);
    rps.forEach((rp, i) => {
      s.createProvider({ uuid: rp, name: `big${i}` });
      s.setInventories(rp, 0, { VCPU: { total: 100 } });
    });
    const consumers = Array.from({ length: 1000 }, (_, i) => `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const results = await Promise.all(
      consumers.map((c, i) =>
        t.call(
          "PUT",
          `/allocations/${c}`,
          { allocations: dict({ VCPU: 1 }, rps[i % 9]), ...owner, consumer_generation: null },
          { microversion: "1.28" },
        ),
      ),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((x) => x === 204)).toHaveLength(900);
    expect(statuses.filter((x) => x === 409)).toHaveLength(100);
    for (const rp of rps) expect(s.usages(rp)).toEqual({ VCPU: 100 });
  });
});
