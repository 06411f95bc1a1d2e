import { StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import { PlacementState } from "./state.js";

const RP = "11111111-1111-4111-8111-111111111111";
const VM = "22222222-2222-4222-8222-222222222222";
const VM2 = "33333333-3333-4333-8333-333333333333";
const owner = { projectId: "p1", userId: "u1" };

function cloud(): PlacementState {
  const s = new PlacementState();
  s.createProvider({ uuid: RP, name: "compute1" });
  s.setInventories(RP, 0, {
    VCPU: { total: 8, reserved: 2, allocation_ratio: 2, max_unit: 12 },
    MEMORY_MB: { total: 4096, step_size: 256, min_unit: 256, max_unit: 2048 },
  });
  return s;
}

function failure(fn: () => unknown): { code: string; errorCode: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    if (!StratusError.is(e)) throw e;
    return { code: e.code, errorCode: e.details["errorCode"], message: e.message };
  }
  throw new Error("expected a failure");
}

describe("PlacementState", () => {
  it.each([
    [
      "an allocation above capacity ((8 - 2) * 2 = 12 VCPU, 1 used) is refused with Placement's wording",
      { VCPU: 12 },
      "would exceed the capacity",
    ],
    [
      "an allocation above max_unit is refused as an inventory constraint violation",
      { MEMORY_MB: 2304 },
      "violate inventory constraints",
    ],
    [
      "an allocation that is not a multiple of step_size is refused",
      { MEMORY_MB: 300 },
      "violate inventory constraints",
    ],
    ["an allocation below min_unit is refused", { MEMORY_MB: 0.5 * 256 }, "violate inventory constraints"],
    ["an allocation of a class the provider has no inventory of is refused", { DISK_GB: 1 }, "Inventory for 'DISK_GB'"],
  ])("%s", (_name, resources, wording) => {
    const s = cloud();
    s.claim(VM2, { allocations: { [RP]: { VCPU: 1 } }, consumerGeneration: null, ...owner });
    const f = failure(() => s.claim(VM, { allocations: { [RP]: resources }, consumerGeneration: null, ...owner }));
    expect(f).toMatchObject({ code: "conflict", errorCode: "placement.undefined_code" });
    expect(f.message).toMatch(/^Unable to allocate inventory: /);
    expect(f.message).toContain(wording);
    expect(s.usages(RP)).toEqual({ VCPU: 1, MEMORY_MB: 0 });
  });

  it.each([
    ["a negative amount is a bad request", -1],
    ["a zero amount is a bad request", 0],
    ["a fractional amount is a bad request", 1.5],
  ])("%s", (_name, amount) => {
    const f = failure(() =>
      cloud().claim(VM, { allocations: { [RP]: { VCPU: amount } }, consumerGeneration: null, ...owner }),
    );
    expect(f.code).toBe("bad_request");
  });

  it("claims, replaces and deletes a consumer's allocations, bumping generations and usages", () => {
    const s = cloud();
    expect(s.claim(VM, { allocations: { [RP]: { VCPU: 12 } }, consumerGeneration: null, ...owner })).toBe(0);
    expect(s.usages(RP)).toEqual({ VCPU: 12, MEMORY_MB: 0 });
    // Replacing counts the consumer's own allocation as freed, so 12 -> 10 fits at full capacity.
    expect(s.claim(VM, { allocations: { [RP]: { VCPU: 10, MEMORY_MB: 512 } }, consumerGeneration: 0, ...owner })).toBe(
      1,
    );
    expect(s.projectUsages("p1")).toEqual({ VCPU: 10, MEMORY_MB: 512 });
    expect(s.getProvider(RP).generation).toBe(3);
    expect(s.deleteAllocations(VM)).toBe(true);
    expect(s.usages(RP)).toEqual({ VCPU: 0, MEMORY_MB: 0 });
  });

  it.each([
    ["a new consumer claimed with a generation", 0],
    ["an existing consumer claimed as new (null generation)", null],
    ["an existing consumer claimed with a stale generation", 5],
  ])("%s gets placement.concurrent_update", (name, generation) => {
    const s = cloud();
    if (!name.startsWith("a new"))
      s.claim(VM, { allocations: { [RP]: { VCPU: 1 } }, consumerGeneration: null, ...owner });
    const f = failure(() =>
      s.claim(VM, { allocations: { [RP]: { VCPU: 2 } }, consumerGeneration: generation, ...owner }),
    );
    expect(f).toMatchObject({ code: "conflict", errorCode: "placement.concurrent_update" });
    expect(f.message).toContain("consumer generation conflict");
  });

  it("applies POST /allocations for several consumers all or nothing", () => {
    const s = cloud();
    const f = failure(() =>
      s.claimMany({
        [VM]: { allocations: { [RP]: { VCPU: 6 } }, consumerGeneration: null, ...owner },
        [VM2]: { allocations: { [RP]: { VCPU: 7 } }, consumerGeneration: null, ...owner },
      }),
    );
    expect(f.message).toContain("exceed the capacity");
    expect(s.getAllocations(VM)).toBeUndefined();
    expect(s.usages(RP)["VCPU"]).toBe(0);
    expect(
      s.claimMany({
        [VM]: { allocations: { [RP]: { VCPU: 6 } }, consumerGeneration: null, ...owner },
        [VM2]: { allocations: { [RP]: { VCPU: 6 } }, consumerGeneration: null, ...owner },
      }),
    ).toEqual({ [VM]: 0, [VM2]: 0 });
  });

  it.each([
    [
      "setting inventories with a stale provider generation",
      (s: PlacementState) => s.setInventories(RP, 0, { VCPU: { total: 1 } }),
    ],
    ["setting traits with a stale provider generation", (s: PlacementState) => s.setTraits(RP, 7, ["HW_CPU_X86_AVX2"])],
    ["setting aggregates with a stale provider generation", (s: PlacementState) => s.setAggregates(RP, 0, [VM])],
  ])("%s is a placement.concurrent_update conflict", (_name, write) => {
    const f = failure(() => write(cloud()));
    expect(f).toMatchObject({ code: "conflict", errorCode: "placement.concurrent_update" });
  });

  it.each([
    [
      "an unknown resource class in an inventory",
      (s: PlacementState) => s.setInventories(RP, 1, { CUSTOM_NOPE: { total: 1 } }),
      "bad_request",
    ],
    ["an unknown trait", (s: PlacementState) => s.setTraits(RP, 1, ["CUSTOM_NOPE"]), "bad_request"],
    ["a malformed custom resource class name", (s: PlacementState) => s.createResourceClass("custom_x"), "bad_request"],
    [
      "removing an inventory that has allocations",
      (s: PlacementState) => {
        s.claim(VM, { allocations: { [RP]: { VCPU: 1 } }, consumerGeneration: null, ...owner });
        s.setInventories(RP, 2, { MEMORY_MB: { total: 1 } });
      },
      "conflict",
    ],
    [
      "deleting a provider that has allocations",
      (s: PlacementState) => {
        s.claim(VM, { allocations: { [RP]: { VCPU: 1 } }, consumerGeneration: null, ...owner });
        s.deleteProvider(RP);
      },
      "conflict",
    ],
    [
      "a provider with a name already taken",
      (s: PlacementState) => s.createProvider({ uuid: VM, name: "compute1" }),
      "conflict",
    ],
    ["reading a provider that does not exist", (s: PlacementState) => s.getProvider(VM), "not_found"],
  ])("%s is refused", (_name, write, code) => {
    expect(failure(() => write(cloud())).code).toBe(code);
  });
});
