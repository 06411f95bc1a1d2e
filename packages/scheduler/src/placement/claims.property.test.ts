import { StratusError } from "@stratus/core/errors";
import { seededRandom } from "@stratus/core/testing";
import { describe, expect, it } from "vitest";
import { allocationCandidates } from "./candidates.js";
import { capacityOf } from "./model.js";
import { parseCandidatesQuery } from "./query.js";
import { PlacementState } from "./state.js";

const uuid = (prefix: number, i: number) =>
  `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;

function assertNoOvercommit(state: PlacementState, only?: readonly string[]): void {
  for (const rp of only ?? state.listProviders().map((p) => p.uuid)) {
    const inv = state.getInventories(rp);
    for (const [rc, used] of Object.entries(state.usages(rp))) {
      if (used > capacityOf(inv[rc]!)) throw new Error(`${rp} ${rc} over-committed: ${used}`);
    }
  }
}

const isConflict = (e: unknown) => StratusError.is(e) && e.code === "conflict";

describe("claims under concurrency", () => {
  it.each([1, 2, 3])(
    "with room for exactly 900 instances, 1,000 concurrent claims in random order (seed %i) give exactly 900 successes and never over-commit",
    async (seed) => {
      const random = seededRandom(seed);
      const state = new PlacementState();
      for (let i = 0; i < 100; i++) {
        const rp = uuid(1, i);
        state.createProvider({ uuid: rp, name: `compute${i}` });
        // (16 - 4) * 0.75 = 9 one-VCPU slots per provider.
        state.setInventories(rp, 0, {
          VCPU: { total: 16, reserved: 4, allocation_ratio: 0.75 },
          MEMORY_MB: { total: 65536 },
        });
      }
      const query = parseCandidatesQuery("resources=VCPU:1,MEMORY_MB:512", state);
      const yieldRandomly = async () => {
        for (let n = Math.floor(random() * 4); n > 0; n--) await new Promise((r) => setImmediate(r));
      };
      let conflicts = 0;
      const attempt = async (i: number): Promise<boolean> => {
        const consumer = uuid(2, i);
        for (let tries = 0; tries < 100; tries++) {
          await yieldRandomly();
          const read = allocationCandidates(state, query).allocation_requests;
          if (read.length === 0) return false;
          const generation = state.getAllocations(consumer)?.generation ?? null;
          const pick = read[Math.floor(random() * read.length)]!;
          await yieldRandomly();
          try {
            state.claim(consumer, {
              allocations: Object.fromEntries(Object.entries(pick.allocations).map(([rp, a]) => [rp, a.resources])),
              consumerGeneration: generation,
              projectId: "p",
              userId: "u",
            });
            assertNoOvercommit(state, Object.keys(pick.allocations));
            return true;
          } catch (e) {
            if (!isConflict(e)) throw e;
            conflicts++;
          }
        }
        return false;
      };
      const order = Array.from({ length: 1000 }, (_, i) => i).sort(() => random() - 0.5);
      const results = await Promise.all(order.map(attempt));
      expect(results.filter(Boolean).length).toBe(900);
      expect(conflicts).toBeGreaterThan(0);
      assertNoOvercommit(state);
      expect(state.projectUsages("p")).toEqual({ VCPU: 900, MEMORY_MB: 900 * 512 });
    },
  );

  it("two writers of one consumer that read the same generation: one wins, the other gets placement.concurrent_update", () => {
    const state = new PlacementState();
    state.createProvider({ uuid: uuid(1, 1), name: "c1" });
    state.setInventories(uuid(1, 1), 0, { VCPU: { total: 8 } });
    const vm = uuid(2, 1);
    state.claim(vm, {
      allocations: { [uuid(1, 1)]: { VCPU: 1 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const read = state.getAllocations(vm)!.generation;
    state.claim(vm, {
      allocations: { [uuid(1, 1)]: { VCPU: 2 } },
      consumerGeneration: read,
      projectId: "p",
      userId: "u",
    });
    expect(() =>
      state.claim(vm, {
        allocations: { [uuid(1, 1)]: { VCPU: 4 } },
        consumerGeneration: read,
        projectId: "p",
        userId: "u",
      }),
    ).toThrow(/consumer generation conflict/);
    expect(state.usages(uuid(1, 1))).toEqual({ VCPU: 2 });
  });

  it.each(Array.from({ length: 40 }, (_, i) => i + 100))(
    "random inventories, claims, replacements and deletions with stale generations (seed %i) never over-commit and keep usages equal to the allocations",
    (seed) => {
      const random = seededRandom(seed);
      const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
      const state = new PlacementState();
      const rps = Array.from({ length: int(1, 6) }, (_, i) => uuid(1, i));
      rps.forEach((rp, i) => {
        state.createProvider({ uuid: rp, name: `rp${i}` });
        const total = int(1, 32);
        state.setInventories(rp, 0, {
          VCPU: {
            total,
            reserved: int(0, total),
            allocation_ratio: [0.5, 1, 1.5, 4][int(0, 3)]!,
            step_size: int(1, 2),
            max_unit: int(1, 64),
          },
          DISK_GB: { total: int(10, 200), min_unit: int(1, 5) },
        });
      });
      const consumers = Array.from({ length: 12 }, (_, i) => uuid(2, i));
      for (let step = 0; step < 300; step++) {
        const consumer = consumers[int(0, consumers.length - 1)]!;
        const current = state.getAllocations(consumer)?.generation ?? null;
        const stale = random() < 0.15;
        const allocations: Record<string, Record<string, number>> = {};
        if (random() > 0.1) {
          for (const rp of rps)
            if (random() < 0.5)
              allocations[rp] = { VCPU: int(1, 8), ...(random() < 0.5 ? { DISK_GB: int(1, 40) } : {}) };
        }
        const before = rps.map((rp) => state.usages(rp));
        try {
          state.claim(consumer, {
            allocations,
            consumerGeneration: stale ? (current ?? -1) + 1 : current,
            projectId: "p",
            userId: "u",
          });
          expect(stale).toBe(false);
        } catch (e) {
          if (!isConflict(e)) throw e;
          expect(rps.map((rp) => state.usages(rp))).toEqual(before);
        }
        assertNoOvercommit(state);
      }
      const summed: Record<string, Record<string, number>> = Object.fromEntries(
        rps.map((rp) => [rp, { VCPU: 0, DISK_GB: 0 }]),
      );
      for (const c of consumers) {
        for (const [rp, res] of Object.entries(state.getAllocations(c)?.allocations ?? {})) {
          for (const [rc, n] of Object.entries(res)) summed[rp]![rc]! += n;
        }
      }
      for (const rp of rps) expect(state.usages(rp)).toEqual(summed[rp]);
    },
  );
});
