import { StratusError } from "@stratus/core/errors";
import { afterEach, describe, expect, it } from "vitest";
import type { PlacementState } from "./state.js";
import type { PlacementStore } from "./store.js";

/** UUIDs that sort in creation order: `uuidOf(1, 7)`. */
export const uuidOf = (kind: number, i: number): string =>
  `${kind.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

const RP = uuidOf(1, 1);
const owner = { projectId: "p1", userId: "u1" };

/** The StratusError `promise` rejects with (fails the test when it resolves or throws something else). */
export async function rejection(promise: Promise<unknown>): Promise<StratusError> {
  try {
    await promise;
  } catch (err) {
    if (StratusError.is(err)) return err;
    throw err;
  }
  throw new Error("expected the write to fail");
}

/** Creates a provider with `vcpus` VCPU (no overcommit) through the store. */
export async function withCompute(store: PlacementStore, uuid: string, name: string, vcpus: number): Promise<void> {
  await store.write(
    (s) => {
      s.createProvider({ uuid, name });
      s.setInventories(uuid, 0, { VCPU: { total: vcpus }, MEMORY_MB: { total: 4096, allocation_ratio: 1.5 } });
    },
    { providers: [uuid] },
  );
}

/** Claims `vcpus` on `rp` for a new consumer through the store. */
export const claimNew = (store: PlacementStore, consumer: string, rp: string, vcpus: number) =>
  store.write(
    (s: PlacementState) =>
      s.claim(consumer, { allocations: { [rp]: { VCPU: vcpus } }, consumerGeneration: null, ...owner }),
    { consumers: [consumer] },
  );

/**
 * The behaviour every PlacementStore shows, in memory or durable. `makeStore` returns a store on
 * an empty state; the suite closes it after each test.
 */
export function runPlacementStoreContract(name: string, makeStore: () => Promise<PlacementStore>): void {
  describe(`PlacementStore contract (${name})`, () => {
    let store: PlacementStore | undefined;
    const open = async () => {
      store = await makeStore();
      return store;
    };
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it("a write returns what the mutation returns and its effect is visible in state at once", async () => {
      const s = await open();
      await withCompute(s, RP, "compute1", 8);
      const gen = await claimNew(s, uuidOf(2, 1), RP, 3);
      expect(gen).toBe(0);
      expect(s.state.usages(RP)).toEqual({ VCPU: 3, MEMORY_MB: 0 });
      expect(s.state.getProvider(RP).generation).toBe(2);
      expect(s.state.getAllocations(uuidOf(2, 1))?.allocations).toEqual({ [RP]: { VCPU: 3 } });
    });

    it("a mutation that throws rejects the write with its error and leaves the state exactly as it was", async () => {
      const s = await open();
      await withCompute(s, RP, "compute1", 8);
      await claimNew(s, uuidOf(2, 1), RP, 3);
      const before = JSON.stringify(s.state.snapshot());
      const err = await rejection(claimNew(s, uuidOf(2, 2), RP, 6));
      expect(err.message).toMatch(/^Unable to allocate inventory/);
      const stale = await rejection(s.write((st) => st.setTraits(RP, 0, ["HW_CPU_X86_AVX2"]), { providers: [RP] }));
      expect(stale.details.errorCode).toBe("placement.concurrent_update");
      expect(JSON.stringify(s.state.snapshot())).toBe(before);
      // The queue is not stuck behind a failed write.
      await expect(claimNew(s, uuidOf(2, 3), RP, 5)).resolves.toBe(0);
    });

    it("a mutation that throws something other than a StratusError reaches the caller unchanged", async () => {
      const s = await open();
      const bug = new TypeError("bug in a route");
      await expect(
        s.write(() => {
          throw bug;
        }, {}),
      ).rejects.toBe(bug);
    });

    it("60 claims in flight at once on room for 40 give exactly 40 successes, in call order, without over-commit", async () => {
      const s = await open();
      await withCompute(s, RP, "compute1", 40);
      const results = await Promise.allSettled(Array.from({ length: 60 }, (_, i) => claimNew(s, uuidOf(2, i), RP, 1)));
      const won = results.map((r) => r.status === "fulfilled");
      // Writes run one at a time in the order they were called: the first 40 win.
      expect(won).toEqual(Array.from({ length: 60 }, (_, i) => i < 40));
      expect(s.state.usages(RP).VCPU).toBe(40);
      expect(s.state.getProvider(RP).generation).toBe(1 + 40);
    });

    it("each write sees the effect of the writes called before it", async () => {
      const s = await open();
      await withCompute(s, RP, "compute1", 8);
      const seen = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          s.write(
            (st) => {
              const g = st.getProvider(RP).generation;
              st.setAggregates(RP, g, [uuidOf(9, i)]);
              return g;
            },
            { providers: [RP] },
          ),
        ),
      );
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 1 + i));
      expect(s.state.getAggregates(RP)).toEqual([uuidOf(9, 9)]);
    });

    it("custom resource classes and traits created through a write can be used by later writes", async () => {
      const s = await open();
      await s.write(
        (st) => {
          st.createResourceClass("CUSTOM_GPU");
          st.createTrait("CUSTOM_FAST");
        },
        { resourceClasses: ["CUSTOM_GPU"], traits: ["CUSTOM_FAST"] },
      );
      await s.write(
        (st) => {
          st.createProvider({ uuid: RP, name: "gpu1" });
          st.setInventories(RP, 0, { CUSTOM_GPU: { total: 2 } });
          st.setTraits(RP, 1, ["CUSTOM_FAST"]);
        },
        { providers: [RP] },
      );
      expect(s.state.getTraits(RP)).toEqual(["CUSTOM_FAST"]);
      expect(s.state.customResourceClasses()).toEqual(["CUSTOM_GPU"]);
    });
  });
}
