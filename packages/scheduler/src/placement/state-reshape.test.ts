import { StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import type { ClaimRequest, ReshapeInventories } from "./model.js";
import { PlacementState } from "./state.js";

const ROOT = "11111111-1111-4111-8111-111111111111";
const CHILD = "22222222-2222-4222-8222-222222222222";
const VM = "33333333-3333-4333-8333-333333333333";
const owner = { projectId: "p1", userId: "u1" };

/** A host with VCPU and memory on its root, a child without inventory, and one VM using 2 VCPU. */
function cloud(): PlacementState {
  const s = new PlacementState();
  s.createProvider({ uuid: ROOT, name: "compute1" });
  s.createProvider({ uuid: CHILD, name: "compute1_numa0", parentUuid: ROOT });
  s.setInventories(ROOT, 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } });
  s.claim(VM, { allocations: { [ROOT]: { VCPU: 2, MEMORY_MB: 512 } }, consumerGeneration: null, ...owner });
  return s;
}

/** Moves VCPU from the root to the child, optionally with changes. */
function moveVcpu(
  s: PlacementState,
  over: { rootGen?: number; childVcpu?: number; vmVcpu?: number; vmGen?: number | null; keepRootVcpu?: boolean } = {},
): Record<string, number | null> {
  const inventories: Record<string, ReshapeInventories> = {
    [ROOT]: {
      generation: over.rootGen ?? s.getProvider(ROOT).generation,
      inventories: over.keepRootVcpu
        ? { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } }
        : { MEMORY_MB: { total: 4096 } },
    },
    [CHILD]: { generation: s.getProvider(CHILD).generation, inventories: { VCPU: { total: over.childVcpu ?? 8 } } },
  };
  const vm: ClaimRequest = {
    allocations: { [ROOT]: { MEMORY_MB: 512 }, [CHILD]: { VCPU: over.vmVcpu ?? 2 } },
    consumerGeneration: over.vmGen === undefined ? s.getAllocations(VM)!.generation : over.vmGen,
    ...owner,
  };
  return s.reshape(inventories, { [VM]: vm });
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

describe("PlacementState.reshape", () => {
  it("moves an allocation onto an inventory created in the same step and removes the old inventory", () => {
    const s = cloud();
    expect(moveVcpu(s)).toEqual({ [VM]: 1 });
    expect(s.getInventories(ROOT)).not.toHaveProperty("VCPU");
    expect(s.usages(ROOT)).toEqual({ MEMORY_MB: 512 });
    expect(s.usages(CHILD)).toEqual({ VCPU: 2 });
    expect(s.getAllocations(VM)?.allocations).toEqual({ [ROOT]: { MEMORY_MB: 512 }, [CHILD]: { VCPU: 2 } });
  });

  it.each([
    ["a stale provider generation is a concurrent update", { rootGen: 0 }, "conflict", "placement.concurrent_update"],
    ["a stale consumer generation is a concurrent update", { vmGen: 7 }, "conflict", "placement.concurrent_update"],
    [
      "an allocation above the new inventory's capacity does not fit",
      { childVcpu: 1 },
      "conflict",
      "placement.undefined_code",
    ],
    [
      "an allocation above the new inventory's capacity does not fit even when moving",
      { vmVcpu: 9 },
      "conflict",
      "placement.undefined_code",
    ],
  ])("%s, and nothing changes", (_name, over, code, errorCode) => {
    const s = cloud();
    const before = s.snapshot();
    expect(failure(() => moveVcpu(s, over))).toMatchObject({ code, errorCode });
    expect(s.snapshot()).toEqual(before);
    expect(s.usages(ROOT)).toEqual({ VCPU: 2, MEMORY_MB: 512 });
  });

  it("refuses to remove an inventory that would keep allocations (placement.inventory.inuse), changing nothing", () => {
    const s = cloud();
    const before = s.snapshot();
    const f = failure(() =>
      s.reshape(
        { [ROOT]: { generation: s.getProvider(ROOT).generation, inventories: { MEMORY_MB: { total: 4096 } } } },
        {},
      ),
    );
    expect(f).toMatchObject({ code: "conflict", errorCode: "placement.inventory.inuse" });
    expect(f.message).toBe(`update conflict: Inventory for 'VCPU' on resource provider '${ROOT}' in use.`);
    expect(s.snapshot()).toEqual(before);
  });

  it.each([
    ["an unknown resource class", { CUSTOM_NOPE: { total: 1 } }, "bad_request", "No such resource class CUSTOM_NOPE."],
    [
      "reserved above total",
      { VCPU: { total: 4, reserved: 5 } },
      "conflict",
      "The reserved value is greater than total.",
    ],
    ["min_unit above max_unit", { VCPU: { total: 4, min_unit: 3, max_unit: 2 } }, "bad_request", "min_unit"],
  ])("refuses an inventory with %s before changing anything", (_name, inventories, code, wording) => {
    const s = cloud();
    const before = s.snapshot();
    const f = failure(() =>
      s.reshape(
        { [CHILD]: { generation: 0, inventories } },
        {
          [VM]: { allocations: {}, consumerGeneration: 0, ...owner },
        },
      ),
    );
    expect(f.code).toBe(code);
    expect(f.message).toContain(wording);
    expect(s.snapshot()).toEqual(before);
  });

  it("throws notFound for an unknown provider in the inventories", () => {
    const s = cloud();
    expect(
      failure(() => s.reshape({ "44444444-4444-4444-8444-444444444444": { generation: 0, inventories: {} } }, {})),
    ).toMatchObject({ code: "not_found" });
  });
});

describe("consumer types", () => {
  it("keeps the consumer type when a later claim does not name one (microversions before 1.38)", () => {
    const s = cloud();
    s.claim(VM, { allocations: { [ROOT]: { VCPU: 1 } }, consumerGeneration: 0, ...owner, consumerType: "INSTANCE" });
    s.claim(VM, { allocations: { [ROOT]: { VCPU: 2 } }, consumerGeneration: 1, ...owner });
    expect(s.getAllocations(VM)).toMatchObject({ generation: 2, consumerType: "INSTANCE" });
  });

  it("leaves the type unset for consumers created without one", () => {
    expect(cloud().getAllocations(VM)).not.toHaveProperty("consumerType");
  });

  it.each([
    ["a new consumer given a generation", null, 3, "consumer generation conflict - expected null but got 3"],
    ["an existing consumer given null", 0, null, "consumer generation conflict - expected 0 but got None"],
    ["an existing consumer given a stale generation", 0, 5, "consumer generation conflict - expected 0 but got 5"],
  ])("words a generation conflict for %s as Placement does", (_name, existing, given, message) => {
    const s = new PlacementState();
    s.createProvider({ uuid: ROOT, name: "c" });
    s.setInventories(ROOT, 0, { VCPU: { total: 8 } });
    const other = "55555555-5555-4555-8555-555555555555";
    if (existing !== null) s.claim(other, { allocations: { [ROOT]: { VCPU: 1 } }, consumerGeneration: null, ...owner });
    const f = failure(() =>
      s.claim(other, { allocations: { [ROOT]: { VCPU: 1 } }, consumerGeneration: given, ...owner }),
    );
    expect(f).toMatchObject({ code: "conflict", errorCode: "placement.concurrent_update", message });
  });
});
