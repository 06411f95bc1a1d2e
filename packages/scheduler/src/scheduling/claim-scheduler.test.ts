import { backendUnavailable, StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import { buildRequestSpec } from "../selection/build-request-spec.js";
import type { ServerGroupSpec } from "../selection/request-spec.js";
import type { InstancePlacement } from "./claim-types.js";
import { RacingPlacement, testbed, vm } from "./testing.js";

const owner = { projectId: "p1", userId: "u1" };
// Each node fits exactly one 4-vCPU instance (4 cores, no overcommit); RAM decides the order.
const oneSlot = { vcpus: 4, allocationRatios: { cpu: 1, ram: 1, disk: 1 } };
const ramOf = (i: number) => ({ memoryMb: 16384 * (i + 1) });
const spec = (n = 1, serverGroup?: ServerGroupSpec) =>
  buildRequestSpec({
    flavor: { vcpus: 4, memoryMb: 4096, rootGb: 10 },
    image: { id: "img", properties: {} },
    numInstances: n,
    instanceUuids: Array.from({ length: n }, (_, i) => vm(i + 1)),
    ...(serverGroup === undefined ? {} : { serverGroup }),
  });

async function noValidHost(run: () => Promise<unknown>): Promise<StratusError> {
  try {
    await run();
  } catch (error) {
    if (StratusError.is(error) && error.code === "no_valid_host") return error;
    throw error;
  }
  throw new Error("expected no_valid_host");
}

describe("createClaimScheduler().selectDestinations", () => {
  it("claims the best host's allocation request and keeps the next best hosts as alternates", async () => {
    const t = await testbed({ count: 4, shape: oneSlot, overrides: ramOf });
    const [placed] = await t.scheduler.selectDestinations(spec(), owner);
    expect(placed!.claimed.host.host).toBe("compute4");
    expect(placed!.alternates.map((a) => a.host.host)).toEqual(["compute3", "compute2"]);
    expect(t.store.state.getAllocations(vm(1))?.allocations).toEqual({
      [t.uuidOf("compute4")]: { VCPU: 4, MEMORY_MB: 4096, DISK_GB: 10 },
    });
    expect(placed!.attempt).toBe(1);
  });

  it("falls to the next host when another claim takes the room between selection and claim", async () => {
    let raced = false;
    const t = await testbed(
      { count: 3, shape: oneSlot, overrides: ramOf },
      {
        wrap: (inner) =>
          new RacingPlacement(inner, async (_consumer, allocations) => {
            if (raced) return;
            raced = true;
            await inner.claim("intruder", allocations, null, "p2", "u2"); // the same room, first
          }),
      },
    );
    const [placed] = await t.scheduler.selectDestinations(spec(), owner);
    expect(t.store.state.getAllocations("intruder")?.allocations).toHaveProperty(t.uuidOf("compute3"));
    expect(placed!.claimed.host.host).toBe("compute2");
    expect(placed!.alternates.map((a) => a.host.host)).toEqual(["compute1"]); // compute3 lost: not an alternate
  });

  it("throws NoValidHost with the filter trace and every lost claim when all hosts are taken under it", async () => {
    let n = 0;
    const t = await testbed(
      {
        count: 4,
        shape: oneSlot,
        overrides: (i) => ({
          ...ramOf(i),
          ...(i === 3 ? { service: { enabled: false, forcedDown: false, updatedAt: Date.now() } } : {}),
        }),
      },
      {
        wrap: (inner) =>
          new RacingPlacement(inner, async (_c, a) => void (await inner.claim(`intruder-${n++}`, a, null, "p2", "u2"))),
      },
    );
    const error = await noValidHost(() => t.scheduler.selectDestinations(spec(), owner));
    expect(error.details["claimFailures"]).toHaveLength(3);
    expect((error.details["claimFailures"] as { host: string }[]).map((f) => f.host)).toEqual([
      "compute3",
      "compute2",
      "compute1",
    ]);
    expect(error.message).toContain("Claims lost on 3 host(s)");
    expect(error.details["trace"]).toBeDefined();
    expect(t.store.state.getAllocations(vm(1))).toBeUndefined();
  });

  it("says Placement had no candidates when no node has the room at all", async () => {
    const t = await testbed({ count: 2, shape: { vcpus: 2, allocationRatios: { cpu: 1, ram: 1, disk: 1 } } });
    const error = await noValidHost(() => t.scheduler.selectDestinations(spec(), owner));
    expect(error.message).toMatch(/no allocation candidates for resources=VCPU:4,MEMORY_MB:4096,DISK_GB:10/);
  });

  it("places several instances with anti-affinity on distinct hosts and with affinity on one host", async () => {
    const t = await testbed({ count: 4, shape: { allocationRatios: { cpu: 1, ram: 1, disk: 1 } }, overrides: ramOf });
    const group = (policy: ServerGroupSpec["policy"]): ServerGroupSpec => ({ policy, hosts: [], members: [] });
    const anti = await t.scheduler.selectDestinations(spec(3, group("anti-affinity")), owner);
    expect(anti.map((p) => p.claimed.host.host)).toEqual(["compute4", "compute3", "compute2"]);
    // Alternates never name a host already claimed for the request.
    for (const p of anti) expect(p.alternates.map((a) => a.host.host)).toEqual(["compute1"]);
    for (const p of anti) await t.client.release(p.instanceUuid);
    const together = await t.scheduler.selectDestinations(spec(3, group("affinity")), owner);
    expect(new Set(together.map((p) => p.claimed.host.host))).toEqual(new Set(["compute4"]));
    expect(t.store.state.usages(t.uuidOf("compute4"))["VCPU"]).toBe(12);
  });

  it("releases the claims a multi-instance request made when a later instance finds no host", async () => {
    const t = await testbed({ count: 3, shape: oneSlot, overrides: ramOf });
    const group: ServerGroupSpec = { policy: "anti-affinity", hosts: [], members: [] };
    const error = await noValidHost(() => t.scheduler.selectDestinations(spec(4, group), owner));
    expect(error.details["instance"]).toBe(3);
    for (let i = 1; i <= 4; i++) expect(t.store.state.getAllocations(vm(i))).toBeUndefined();
    for (const h of ["compute1", "compute2", "compute3"]) expect(t.store.state.usages(t.uuidOf(h))["VCPU"]).toBe(0);
  });

  it("releases the claims made so far and keeps the error code when Placement fails another way", async () => {
    let claims = 0;
    const t = await testbed(
      { count: 3, overrides: ramOf },
      {
        wrap: (inner) =>
          new RacingPlacement(inner, () => {
            if (++claims === 2) throw backendUnavailable("placement is down");
          }),
      },
    );
    await expect(t.scheduler.selectDestinations(spec(2), owner)).rejects.toMatchObject({ code: "backend_unavailable" });
    expect(t.store.state.getAllocations(vm(1))).toBeUndefined();
  });

  it("refuses a request whose instance UUIDs do not match its count", async () => {
    const t = await testbed({ count: 1 });
    const bad = { ...spec(2), instanceUuids: [vm(1)] };
    await expect(t.scheduler.selectDestinations(bad, owner)).rejects.toMatchObject({ code: "bad_request" });
  });
});

describe("createClaimScheduler().reschedule", () => {
  it("releases the failed host's allocation and claims the first alternate", async () => {
    const t = await testbed({ count: 3, shape: oneSlot, overrides: ramOf });
    const [first] = await t.scheduler.selectDestinations(spec(), owner);
    const second = await t.scheduler.reschedule(first!);
    expect(second.claimed.host.host).toBe("compute2");
    expect(second.attempt).toBe(2);
    expect(second.alternates.map((a) => a.host.host)).toEqual(["compute1"]);
    expect(t.store.state.usages(t.uuidOf("compute3"))["VCPU"]).toBe(0);
    expect(Object.keys(t.store.state.getAllocations(vm(1))!.allocations)).toEqual([t.uuidOf("compute2")]);
  });

  it("skips an alternate that filled up meanwhile", async () => {
    const t = await testbed({ count: 3, shape: oneSlot, overrides: ramOf });
    const [first] = await t.scheduler.selectDestinations(spec(), owner);
    const alt = first!.alternates[0]!;
    await t.client.claim("other", alt.allocations, null, "p2", "u2");
    const second = await t.scheduler.reschedule(first!);
    expect(second.claimed.host.host).toBe("compute1");
    expect(second.alternates).toEqual([]);
  });

  it.each([
    [3, 3],
    [2, 2],
    [1, 1],
  ])(
    "with maxAttempts %i, build failure number %i ends in NoValidHost and nothing stays allocated",
    async (maxAttempts, builds) => {
      const t = await testbed({ count: 6, shape: oneSlot, overrides: ramOf }, { maxAttempts });
      let [placed]: (InstancePlacement | undefined)[] = await t.scheduler.selectDestinations(spec(), owner);
      expect(placed!.alternates).toHaveLength(maxAttempts - 1);
      for (let build = 1; build < builds; build++) placed = await t.scheduler.reschedule(placed!);
      expect(placed!.attempt).toBe(maxAttempts);
      const error = await noValidHost(() => t.scheduler.reschedule(placed!));
      expect(error.message).toBe(`Exhausted all hosts available for retrying build failures for instance ${vm(1)}.`);
      expect(t.store.state.getAllocations(vm(1))).toBeUndefined();
    },
  );
});
