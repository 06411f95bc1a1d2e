import { seededRandom } from "@stratus/core/testing";
import { describe, expect, it } from "vitest";
import {
  allocationCandidates,
  allocationCandidatesBody,
  allocationCandidatesJson,
  type CandidateLimits,
} from "./candidates.js";
import { type CandidatesQuery, parseCandidatesQuery } from "./query.js";
import { PlacementState } from "./state.js";

const uuid = (prefix: number, i: number) =>
  `${prefix.toString(16).padStart(8, "0")}-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
const AGGS = [uuid(9, 1), uuid(9, 2)];
const TRAITS = ["CUSTOM_GOLD", "CUSTOM_PHYSNET_A", "HW_CPU_X86_AVX2"];
const CLASSES = ["VCPU", "MEMORY_MB", "DISK_GB", "SRIOV_NET_VF"];

/**
 * A cloud mixing lone roots (the fast path's case) with small trees, random inventories (unit
 * constraints, ratios, reserved), traits, aggregates and usages from claims.
 */
function randomCloud(random: () => number): PlacementState {
  const state = new PlacementState();
  state.createTrait("CUSTOM_GOLD");
  state.createTrait("CUSTOM_PHYSNET_A");
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  let n = 0;
  const add = (parentUuid: string | null): string => {
    const rp = uuid(1, n++);
    state.createProvider({ uuid: rp, name: `rp${n}`, parentUuid });
    const inventories: Record<string, { total: number; reserved?: number; step_size?: number; max_unit?: number }> = {};
    for (const rc of CLASSES) {
      if (random() < 0.45) continue;
      const total = 1 + Math.floor(random() * 16);
      inventories[rc] = {
        total,
        ...(random() < 0.2 ? { reserved: Math.floor(random() * total) } : {}),
        ...(random() < 0.15 ? { step_size: 2 } : {}),
        ...(random() < 0.15 ? { max_unit: 1 + Math.floor(random() * total) } : {}),
      };
    }
    let g = state.setInventories(rp, 0, inventories);
    if (random() < 0.4) g = state.setTraits(rp, g, [pick(TRAITS)]);
    if (random() < 0.4) state.setAggregates(rp, g, [pick(AGGS)]);
    const rc = Object.keys(inventories).find((c) => inventories[c]!.step_size === undefined);
    if (rc !== undefined && random() < 0.3) {
      state.claim(uuid(3, n), {
        allocations: { [rp]: { [rc]: 1 } },
        consumerGeneration: null,
        projectId: "p",
        userId: "u",
      });
    }
    return rp;
  };
  for (let t = 0; t < 40; t++) {
    const root = add(null);
    if (random() < 0.6) continue;
    for (let c = 1 + Math.floor(random() * 3); c > 0; c--) {
      const child = add(root);
      if (random() < 0.3) add(child);
    }
  }
  return state;
}

const QUERIES = [
  "resources=VCPU:1",
  "resources=VCPU:1,MEMORY_MB:2,DISK_GB:1",
  "resources=VCPU:2,MEMORY_MB:1&required=CUSTOM_GOLD",
  "resources=VCPU:1&required=!CUSTOM_GOLD",
  "resources=VCPU:1,DISK_GB:2&required=in:CUSTOM_GOLD,HW_CPU_X86_AVX2",
  `resources=VCPU:1&member_of=${AGGS[0]}`,
  `resources=MEMORY_MB:1&member_of=!${AGGS[1]}`,
  "resources=VCPU:1&root_required=CUSTOM_GOLD",
  "resources=VCPU:1&root_required=!HW_CPU_X86_AVX2",
  "resources=VCPU:1,SRIOV_NET_VF:1",
  "resources1=VCPU:1,MEMORY_MB:1",
  "resources_A=SRIOV_NET_VF:1&required_A=CUSTOM_PHYSNET_A",
  "resources_A=VCPU:1&same_subtree=_A",
  "resources=VCPU:1&resources_NET=SRIOV_NET_VF:1",
  "resources1=VCPU:1&resources2=VCPU:1&group_policy=isolate",
  "resources1=VCPU:1&resources2=VCPU:1&group_policy=none",
  "resources=DISK_GB:1&resources_A=VCPU:1&resources_B=VCPU:1&group_policy=none&same_subtree=_A,_B",
  "resources=VCPU:1&limit=7",
  "resources_X=DISK_GB:2&limit=3",
];

const LIMITS: CandidateLimits[] = [{}, { maxCandidatesPerTree: 1 }, { maxStepsPerTree: 2 }, { maxCandidates: 5 }];

describe("allocation candidates: fast paths against the general engine", () => {
  it.each(Array.from({ length: 12 }, (_, i) => i + 1))(
    "on random cloud %i, every query gives the same requests, summaries and key order with the lone-root fast path as without it, and the JSON writer gives JSON.stringify's text",
    (seed) => {
      const random = seededRandom(seed);
      const state = randomCloud(random);
      const inTree = uuid(1, Math.floor(random() * 10));
      let requests = 0;
      for (const text of [...QUERIES, `resources=VCPU:1&in_tree=${inTree}`]) {
        const query: CandidatesQuery = parseCandidatesQuery(text, state);
        for (const limits of LIMITS) {
          const fast = allocationCandidates(state, query, limits);
          const general = allocationCandidates(state, query, limits, "general");
          const expected = JSON.stringify(general);
          expect(JSON.stringify(fast), `${text} ${JSON.stringify(limits)}`).toBe(expected);
          expect(allocationCandidatesJson(state, query, limits), text).toBe(expected);
          expect(allocationCandidatesBody(state, query, limits).equals(Buffer.from(expected)), text).toBe(true);
          requests += general.allocation_requests.length;
        }
      }
      expect(requests).toBeGreaterThan(100);
    },
  );

  it("the JSON answer follows every write: a claim between two queries shows in the summaries", () => {
    const state = randomCloud(seededRandom(99));
    const query = parseCandidatesQuery("resources=VCPU:1", state);
    const before = allocationCandidatesJson(state, query);
    const first = allocationCandidates(state, query).allocation_requests[0]!;
    state.claim(uuid(4, 1), {
      allocations: Object.fromEntries(Object.entries(first.allocations).map(([rp, a]) => [rp, a.resources])),
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const after = allocationCandidatesJson(state, query);
    expect(after).not.toBe(before);
    expect(after).toBe(JSON.stringify(allocationCandidates(state, query)));
  });

  it("the JSON answer follows a move that keeps generations: re-parenting a root under another changes its summary", () => {
    const state = new PlacementState();
    for (const i of [1, 2]) {
      state.createProvider({ uuid: uuid(5, i), name: `cn${i}` });
      state.setInventories(uuid(5, i), 0, { VCPU: { total: 4 } });
    }
    const query = parseCandidatesQuery("resources=VCPU:1", state);
    expect(allocationCandidatesJson(state, query)).toContain('"parent_provider_uuid":null');
    state.updateProvider(uuid(5, 2), { parentUuid: uuid(5, 1) }, true);
    const after = allocationCandidatesJson(state, query);
    expect(after).toContain(`"parent_provider_uuid":"${uuid(5, 1)}"`);
    expect(after).toBe(JSON.stringify(allocationCandidates(state, query)));
  });
});

describe("allocation candidates: the byte writer outside plain ASCII", () => {
  it.each([
    ["a UUID with non-ASCII letters and a quote", 'prov-é-"ü"-1'],
    ["a UUID outside the Basic Multilingual Plane", "prov-😀-2"],
    ["a UUID that looks like an array index (objects reorder it)", "17"],
  ])("with %s, the body is the UTF-8 encoding of JSON.stringify's text", (_, odd) => {
    const state = new PlacementState();
    for (const uuid of ["00000000-0000-4000-8000-000000000001", odd]) {
      state.createProvider({ uuid, name: uuid });
      state.setInventories(uuid, 0, { VCPU: { total: 4 } });
    }
    for (const text of ["resources=VCPU:1", "resources1=VCPU:1&resources2=VCPU:1&group_policy=none"]) {
      const query = parseCandidatesQuery(text, state);
      const expected = Buffer.from(JSON.stringify(allocationCandidates(state, query)), "utf8");
      expect(allocationCandidatesBody(state, query).equals(expected), text).toBe(true);
    }
  });
});
