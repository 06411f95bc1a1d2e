/**
 * @stratus/scheduler's Placement core: two compute hosts with inventories, allocation candidates
 * for a flavor, and 30 instances racing for room for 24: generations make sure exactly 24 claims
 * win and no host is over-committed.
 */
import { StratusError } from "@stratus/core";
import { allocationCandidates, PlacementState, parseCandidatesQuery } from "@stratus/scheduler";

const state = new PlacementState();
const hosts = ["3f9a1c1e-0000-4000-8000-000000000001", "3f9a1c1e-0000-4000-8000-000000000002"];
for (const [i, uuid] of hosts.entries()) {
  state.createProvider({ uuid, name: `compute${i + 1}` });
  // 4 cores at 3x overcommit = 12 instances of 1 VCPU per host; memory is not the limit
  state.setInventories(uuid, 0, { VCPU: { total: 4, allocation_ratio: 3 }, MEMORY_MB: { total: 65536 } });
}

const query = parseCandidatesQuery("resources=VCPU:1,MEMORY_MB:512", state);
console.log(`candidates for VCPU:1,MEMORY_MB:512: ${allocationCandidates(state, query).allocation_requests.length}`);

let won = 0;
let lost = 0;
for (let i = 0; i < 30; i++) {
  const instance = `0b5e7a2c-0000-4000-8000-${String(i).padStart(12, "0")}`;
  const pick = allocationCandidates(state, query).allocation_requests[i % 2];
  if (pick === undefined) {
    lost++;
    continue;
  }
  const allocations = Object.fromEntries(Object.entries(pick.allocations).map(([rp, a]) => [rp, a.resources]));
  try {
    state.claim(instance, { allocations, consumerGeneration: null, projectId: "p1", userId: "u1" });
    won++;
  } catch (err) {
    if (!StratusError.is(err)) throw err;
    lost++;
  }
}
const used = hosts.map((h) => state.usages(h)["VCPU"] ?? 0);
console.log(`claims won: ${won}, refused: ${lost}, VCPU used per host: ${used.join(", ")} (capacity 12 each)`);
if (won !== 24 || used.some((u) => u > 12)) process.exit(1);
console.log("ok");
