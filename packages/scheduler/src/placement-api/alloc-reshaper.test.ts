import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const ROOT = "11111111-1111-4111-8111-111111111111";
const NUMA = "22222222-2222-4222-8222-222222222222";
const VM = "33333333-3333-4333-8333-333333333333";
const MISSING = "99999999-9999-4999-8999-999999999999";
const owner = { project_id: "p1", user_id: "u1" };

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  const s = t.store.state;
  s.createProvider({ uuid: ROOT, name: "cn1" });
  s.createProvider({ uuid: NUMA, name: "cn1_numa0", parentUuid: ROOT });
  s.setInventories(ROOT, 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } });
  s.claim(VM, {
    allocations: { [ROOT]: { VCPU: 2, MEMORY_MB: 512 } },
    consumerGeneration: null,
    projectId: "p1",
    userId: "u1",
  });
});
afterEach(() => t.close());

/** Moves VCPU from the root (generation 2 after setup) to its NUMA child (0), with overrides. */
function body(over: { rootGen?: number; vmGen?: number | null; vcpu?: number; extra?: object; type?: string } = {}) {
  return {
    inventories: {
      [ROOT]: {
        resource_provider_generation: over.rootGen ?? 2,
        inventories: { MEMORY_MB: { total: 4096 } },
      },
      [NUMA]: {
        resource_provider_generation: 0,
        inventories: { VCPU: { total: 8, allocation_ratio: 1.0 } },
      },
    },
    allocations: {
      [VM]: {
        allocations: { [ROOT]: { resources: { MEMORY_MB: 512 } }, [NUMA]: { resources: { VCPU: over.vcpu ?? 2 } } },
        ...owner,
        consumer_generation: over.vmGen === undefined ? 0 : over.vmGen,
        ...(over.type === undefined ? {} : { consumer_type: over.type }),
      },
    },
    ...over.extra,
  };
}

describe("POST /reshaper", () => {
  it("is not found before 1.30", async () => {
    expect((await t.call("POST", "/reshaper", body(), { microversion: "1.29" })).status).toBe(404);
  });

  it("moves inventories and allocations in one step (204)", async () => {
    const res = await t.call("POST", "/reshaper", body(), { microversion: "1.30" });
    expect(res.status).toBe(204);
    const s = t.store.state;
    expect(Object.keys(s.getInventories(ROOT))).toEqual(["MEMORY_MB"]);
    expect(s.usages(NUMA)).toEqual({ VCPU: 2 });
    const get = await t.call("GET", `/allocations/${VM}`, undefined, { microversion: "1.38" });
    expect(get.body).toMatchObject({ consumer_generation: 1, consumer_type: "unknown" });
    expect(get.body.allocations[NUMA].resources).toEqual({ VCPU: 2 });
  });

  it("takes the consumer type from 1.38", async () => {
    expect((await t.call("POST", "/reshaper", body({ type: "INSTANCE" }), { microversion: "1.38" })).status).toBe(204);
    expect(t.store.state.getAllocations(VM)?.consumerType).toBe("INSTANCE");
  });

  it.each([
    [
      "a stale provider generation",
      "1.30",
      body({ rootGen: 0 }),
      409,
      "placement.concurrent_update",
      `resource provider generation conflict for provider ${ROOT}: actual: 2, given: 0`,
    ],
    [
      "a stale consumer generation",
      "1.30",
      body({ vmGen: null }),
      409,
      "placement.concurrent_update",
      "consumer generation conflict - expected 0 but got None",
    ],
    [
      "an allocation that does not fit",
      "1.30",
      body({ vcpu: 9 }),
      409,
      "placement.undefined_code",
      "Unable to allocate inventory: ",
    ],
    [
      "a missing consumer_type at 1.38",
      "1.38",
      body(),
      400,
      "placement.undefined_code",
      "JSON does not validate: 'consumer_type' is a required property",
    ],
    [
      "an unknown top-level property",
      "1.30",
      body({ extra: { foo: 1 } }),
      400,
      "placement.undefined_code",
      "Additional properties are not allowed ('foo' was unexpected)",
    ],
    [
      "no inventories",
      "1.30",
      { inventories: {}, allocations: {} },
      400,
      "placement.undefined_code",
      "JSON does not validate: {} should be non-empty",
    ],
    [
      "an unknown resource class",
      "1.30",
      {
        inventories: { [NUMA]: { resource_provider_generation: 0, inventories: { CUSTOM_NOPE: { total: 1 } } } },
        allocations: {},
      },
      400,
      "placement.undefined_code",
      "malformed reshaper data: No such resource class CUSTOM_NOPE.",
    ],
    [
      "an unknown provider",
      "1.30",
      { inventories: { [MISSING]: { resource_provider_generation: 0, inventories: {} } }, allocations: {} },
      400,
      "placement.resource_provider.not_found",
      `Resource provider ${MISSING} in inventories not found`,
    ],
    [
      "removing an inventory still in use",
      "1.30",
      {
        inventories: { [ROOT]: { resource_provider_generation: 2, inventories: { MEMORY_MB: { total: 4096 } } } },
        allocations: {},
      },
      409,
      "placement.inventory.inuse",
      `update conflict: Inventory for 'VCPU' on resource provider '${ROOT}' in use.`,
    ],
  ])("refuses %s and changes nothing", async (_name, microversion, payload, status, code, message) => {
    const before = t.store.state.snapshot();
    const res = await t.call("POST", "/reshaper", payload, { microversion });
    expect(res.status).toBe(status);
    expect(res.body.errors[0]).toMatchObject({ code, detail: expect.stringContaining(message) });
    expect(t.store.state.snapshot()).toEqual(before);
  });

  it("is for admins only", async () => {
    expect((await t.call("POST", "/reshaper", body(), { microversion: "1.30", token: "member" })).status).toBe(403);
  });
});
