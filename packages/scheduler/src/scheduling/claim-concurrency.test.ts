import { StratusError } from "@stratus/core/errors";
import { seededRandom } from "@stratus/core/testing";
import { describe, expect, it } from "vitest";
import { capacityOf } from "../placement/model.js";
import { buildRequestSpec } from "../selection/build-request-spec.js";
import { RacingPlacement, testbed, vm } from "./testing.js";

describe("selectDestinations under concurrency", () => {
  it.each([7])(
    "1,000 concurrent one-instance requests on room for exactly 900: 900 claimed, 100 NoValidHost, none over capacity (seed %i)",
    async (seed) => {
      const random = seededRandom(seed);
      // 100 nodes x 9 vCPUs, no overcommit: VCPU is the only limit (9 one-vCPU instances a node).
      const t = await testbed(
        { count: 100, shape: { vcpus: 9, allocationRatios: { cpu: 1, ram: 1.5, disk: 1 } } },
        {
          // Interleave the requests: each claim waits a random number of turns of the event loop.
          wrap: (inner) =>
            new RacingPlacement(inner, async () => {
              for (let i = Math.floor(random() * 4); i > 0; i--) await new Promise((r) => setImmediate(r));
            }),
        },
      );
      const outcomes = await Promise.allSettled(
        Array.from({ length: 1000 }, (_, i) =>
          t.scheduler.selectDestinations(
            buildRequestSpec({ flavor: { vcpus: 1, memoryMb: 512 }, instanceUuids: [vm(i + 1)] }),
            { projectId: "p1", userId: "u1" },
          ),
        ),
      );
      const won = outcomes.filter((o) => o.status === "fulfilled");
      const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      expect(won).toHaveLength(900);
      expect(lost).toHaveLength(100);
      for (const e of lost) expect(StratusError.is(e) && e.code === "no_valid_host").toBe(true);
      let total = 0;
      for (const p of t.store.state.listProviders()) {
        const usages = t.store.state.usages(p.uuid);
        for (const [rc, inv] of Object.entries(t.store.state.getInventories(p.uuid))) {
          expect(usages[rc] ?? 0).toBeLessThanOrEqual(capacityOf(inv));
        }
        total += usages["VCPU"] ?? 0;
      }
      expect(total).toBe(900);
    },
    30_000,
  );
});
