import { StratusError } from "@stratus/core/errors";
import { beforeEach, describe, expect, it } from "vitest";
import { PlacementState } from "./state.js";

const A = "aaaaaaaa-0000-0000-0000-000000000000";
const B = "bbbbbbbb-0000-0000-0000-000000000000";
const C = "cccccccc-0000-0000-0000-000000000000";
const D = "dddddddd-0000-0000-0000-000000000000";

let s: PlacementState;
beforeEach(() => {
  s = new PlacementState();
  s.createProvider({ uuid: A, name: "a" });
  s.createProvider({ uuid: B, name: "b", parentUuid: A });
  s.createProvider({ uuid: C, name: "c", parentUuid: B });
  s.createProvider({ uuid: D, name: "d" });
});

/** The thrown StratusError's code and Placement error code. */
function failure(fn: () => unknown): { code: string; errorCode: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    if (!StratusError.is(e)) throw e;
    return { code: e.code, errorCode: e.details["errorCode"], message: e.message };
  }
  throw new Error("did not throw");
}

describe("ProviderStore.updateProvider", () => {
  it("renames without bumping the generation and frees the old name", () => {
    expect(s.updateProvider(B, { name: "b2" }, false)).toMatchObject({ name: "b2", generation: 0 });
    s.createProvider({ uuid: "eeeeeeee-0000-0000-0000-000000000000", name: "b" });
  });

  it("lets a root gain a parent before 1.37, moving the root of the whole subtree", () => {
    s.updateProvider(A, { parentUuid: D }, false);
    expect([A, B, C].map((u) => s.getProvider(u).rootUuid)).toEqual([D, D, D]);
    expect(s.rootUuids().has(A)).toBe(false);
    expect(s.peek(D)?.children.has(A)).toBe(true);
  });

  it("un-parents with allowReparenting, making a new root of the subtree", () => {
    s.updateProvider(B, { parentUuid: null }, true);
    expect(s.getProvider(B)).toMatchObject({ parentUuid: null, rootUuid: B });
    expect(s.getProvider(C).rootUuid).toBe(B);
    expect(s.peek(A)?.children.size).toBe(0);
    expect(s.rootUuids().has(B)).toBe(true);
  });

  it.each([
    ["a taken name", B, { name: "d" }, true, "conflict", "placement.duplicate_name", "Conflicting resource provider d"],
    ["re-parenting without allowReparenting", B, { parentUuid: D }, false, "bad_request", undefined, "re-parenting"],
    ["un-parenting without allowReparenting", B, { parentUuid: null }, false, "bad_request", undefined, "un-parenting"],
    [
      "a missing parent",
      B,
      { parentUuid: "ffffffff-0000-0000-0000-000000000000" },
      true,
      "bad_request",
      undefined,
      "does not exist",
    ],
    ["a descendant as parent", A, { parentUuid: C }, true, "bad_request", undefined, "creating loop"],
    ["itself as parent", B, { parentUuid: B }, true, "bad_request", undefined, "creating loop"],
  ])("refuses %s and changes nothing", (_what, uuid, changes, allow, code, errorCode, message) => {
    const before = s.snapshot();
    const f = failure(() => s.updateProvider(uuid, changes, allow));
    expect(f.code).toBe(code);
    expect(f.errorCode).toBe(errorCode);
    expect(f.message).toContain(message);
    expect(s.snapshot()).toEqual(before);
  });

  it("lists a subtree parent first", () => {
    expect(s.subtreeOf(A)).toEqual([A, B, C]);
    expect(s.subtreeOf(D)).toEqual([D]);
  });
});

describe("custom resource classes and traits", () => {
  it.each([
    ["deleting a standard class", () => s.deleteResourceClass("VCPU"), "bad_request"],
    ["deleting an unknown class", () => s.deleteResourceClass("CUSTOM_NOPE"), "not_found"],
    ["renaming a standard class", () => s.renameResourceClass("VCPU", "CUSTOM_X"), "bad_request"],
    ["renaming an unknown class", () => s.renameResourceClass("CUSTOM_NOPE", "CUSTOM_X"), "not_found"],
    ["renaming onto an existing class", () => s.renameResourceClass("CUSTOM_GOLD", "VCPU"), "conflict"],
    ["deleting a standard trait", () => s.deleteTrait("HW_CPU_X86_AVX2"), "bad_request"],
    ["deleting an unknown trait", () => s.deleteTrait("CUSTOM_NOPE"), "not_found"],
  ])("refuses %s", (_what, fn, code) => {
    s.createResourceClass("CUSTOM_GOLD");
    expect(failure(fn).code).toBe(code);
  });

  it("refuses to delete or rename a class in inventory, then deletes it once unused", () => {
    s.createResourceClass("CUSTOM_GOLD");
    s.setInventories(D, 0, { CUSTOM_GOLD: { total: 1 } });
    expect(failure(() => s.deleteResourceClass("CUSTOM_GOLD")).code).toBe("conflict");
    expect(failure(() => s.renameResourceClass("CUSTOM_GOLD", "CUSTOM_SILVER")).code).toBe("conflict");
    s.setInventories(D, 1, {});
    s.renameResourceClass("CUSTOM_GOLD", "CUSTOM_SILVER");
    expect(s.customResourceClasses()).toEqual(["CUSTOM_SILVER"]);
    s.deleteResourceClass("CUSTOM_SILVER");
    expect(s.hasResourceClass("CUSTOM_SILVER")).toBe(false);
  });

  it("refuses to delete a trait a provider has, then deletes it once unused", () => {
    s.createTrait("CUSTOM_FAST");
    s.setTraits(D, 0, ["CUSTOM_FAST"]);
    expect(failure(() => s.deleteTrait("CUSTOM_FAST")).code).toBe("conflict");
    s.setTraits(D, 1, []);
    s.deleteTrait("CUSTOM_FAST");
    expect(s.hasTrait("CUSTOM_FAST")).toBe(false);
  });
});

describe("ProviderStore.setAggregates", () => {
  it.each([
    [true, 1],
    [false, 0],
  ])("with bumpGeneration %s leaves the generation at %i", (bump, generation) => {
    expect(s.setAggregates(D, 0, [A], bump)).toBe(generation);
    expect(s.getProvider(D).generation).toBe(generation);
    expect(s.providersInAggregate(A).has(D)).toBe(true);
  });
});

describe("ProviderStore.nodesWithClass", () => {
  /** Both class indexes name the same providers in the same order, and the records are the live ones. */
  function expectInStep(state: PlacementState): void {
    for (const rc of ["VCPU", "MEMORY_MB", "DISK_GB", "CUSTOM_FPGA"]) {
      const nodes = [...state.nodesWithClass(rc)];
      expect(
        nodes.map((n) => n.uuid),
        rc,
      ).toEqual([...state.providersWithClass(rc)]);
      for (const n of nodes) expect(state.peek(n.uuid), rc).toBe(n);
    }
  }

  it.each([
    ["inventories are set on several providers", () => {}],
    [
      "inventories are replaced (a class dropped, one added, the provider moved to the index's end)",
      (st: PlacementState) => st.setInventories(A, 1, { MEMORY_MB: { total: 8 }, CUSTOM_FPGA: { total: 1 } }),
    ],
    ["inventories are emptied", (st: PlacementState) => st.setInventories(D, 1, {})],
    ["a provider is deleted", (st: PlacementState) => st.deleteProvider(D)],
    [
      "a custom class is deleted once no inventory uses it",
      (st: PlacementState) => {
        st.setInventories(C, 1, {});
        st.deleteResourceClass("CUSTOM_FPGA");
      },
    ],
    ["the state is restored from a snapshot", (st: PlacementState) => st.restore(st.snapshot())],
  ])("stays in step with providersWithClass when %s", (_, write) => {
    s.createResourceClass("CUSTOM_FPGA");
    s.setInventories(A, 0, { VCPU: { total: 8 }, DISK_GB: { total: 100 } });
    s.setInventories(C, 0, { VCPU: { total: 4 }, CUSTOM_FPGA: { total: 2 } });
    s.setInventories(D, 0, { VCPU: { total: 16 }, MEMORY_MB: { total: 1024 } });
    write(s);
    expectInStep(s);
  });

  it("after a restore holds the new records, not the ones before it", () => {
    s.setInventories(D, 0, { VCPU: { total: 16 } });
    const before = [...s.nodesWithClass("VCPU")][0]!;
    s.restore(s.snapshot());
    const after = [...s.nodesWithClass("VCPU")][0]!;
    expect(after).not.toBe(before);
    expect(after).toBe(s.peek(D));
  });
});
