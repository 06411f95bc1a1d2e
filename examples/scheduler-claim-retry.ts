/**
 * @stratus/scheduler's claim and retry: four fake compute nodes report to Placement, a request is
 * placed on the best host, another scheduler wins a race for that host so the claim falls to the
 * next one, the build fails there and the instance is rescheduled onto an alternate. Finally 12
 * requests race for room for 8 instances: exactly 8 are claimed, 4 get NoValidHost.
 */
import { StratusError } from "@stratus/core";
import {
  buildRequestSpec,
  createClaimScheduler,
  createSelector,
  FakeComputeFleet,
  MemoryPlacementStore,
  type PlacementClient,
  PlacementState,
  ReportedHostStates,
  StorePlacementClient,
} from "@stratus/scheduler";

const store = new MemoryPlacementStore(new PlacementState());
const hostStates = new ReportedHostStates(store);
// Four nodes of 4 cores (no overcommit): each holds two 2-vCPU instances. More RAM = preferred.
const fleet = new FakeComputeFleet({
  count: 4,
  shape: { vcpus: 4, allocationRatios: { cpu: 1, ram: 1, disk: 1 } },
  overrides: (i) => ({ memoryMb: 16384 * (i + 1) }),
});
await fleet.reportTo(hostStates);
console.log(
  `providers in Placement: ${store.state
    .listProviders()
    .map((p) => p.name)
    .join(", ")}`,
);

const local = new StorePlacementClient(store);
// Another scheduler fills the first host we try, just before our claim: a lost race.
let raceOnce = true;
const racing: PlacementClient = {
  getAllocationCandidates: (q) => local.getAllocationCandidates(q),
  release: (c) => local.release(c),
  async claim(consumer, allocations, generation, project, user) {
    if (raceOnce) {
      raceOnce = false;
      await local.claim("rival-1", allocations, null, "p2", "u2");
      await local.claim("rival-2", allocations, null, "p2", "u2");
    }
    return local.claim(consumer, allocations, generation, project, user);
  },
};
const scheduler = createClaimScheduler({
  placement: racing,
  hostStates,
  selector: createSelector({ weighers: ["RAMWeigher"], maxAttempts: 3 }),
});
const flavor = { vcpus: 2, memoryMb: 2048 };
const owner = { projectId: "p1", userId: "u1" };
const vm = (n: number) => `0b5e7a2c-0000-4000-8000-${String(n).padStart(12, "0")}`;

const [placed] = await scheduler.selectDestinations(buildRequestSpec({ flavor, instanceUuids: [vm(1)] }), owner);
console.log(
  `lost the race for compute4, claimed on ${placed!.claimed.host.host}; alternates: ${placed!.alternates.map((a) => a.host.host).join(", ")}`,
);
const again = await scheduler.reschedule(placed!);
console.log(
  `build failed on ${placed!.claimed.host.host}: rescheduled to ${again.claimed.host.host} (attempt ${again.attempt})`,
);
const firstOk = placed!.claimed.host.host === "compute3" && again.claimed.host.host === "compute2";

// Release everything: 8 slots (two per node) for 12 racing requests.
for (const c of ["rival-1", "rival-2", vm(1)]) await local.release(c);
const outcomes = await Promise.allSettled(
  Array.from({ length: 12 }, (_, i) =>
    scheduler.selectDestinations(buildRequestSpec({ flavor, instanceUuids: [vm(100 + i)] }), owner),
  ),
);
const won = outcomes.filter((o) => o.status === "fulfilled").length;
const noHost = outcomes.filter(
  (o) => o.status === "rejected" && StratusError.is(o.reason) && o.reason.code === "no_valid_host",
).length;
const used = fleet.reports().map((r) => store.state.usages(r.nodeUuid)["VCPU"] ?? 0);
console.log(
  `12 racing requests: ${won} claimed, ${noHost} NoValidHost; VCPU used per node: ${used.join(", ")} (4 each)`,
);
if (!firstOk || won !== 8 || noHost !== 4 || used.some((u) => u > 4)) process.exit(1);
console.log("ok");
