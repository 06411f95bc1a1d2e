import { describe, expect, it } from "vitest";
import { type AllocationCandidates, allocationCandidates } from "./candidates.js";
import type { InventoryInput } from "./model.js";
import { parseCandidatesQuery } from "./query.js";
import { PlacementState } from "./state.js";

const ids = new Map<string, string>();
const id = (name: string): string => {
  let u = ids.get(name);
  if (u === undefined) {
    u = `00000000-0000-4000-8000-${(ids.size + 1).toString(16).padStart(12, "0")}`;
    ids.set(name, u);
  }
  return u;
};
const nameOf = (uuid: string) => [...ids].find(([, u]) => u === uuid)?.[0] ?? uuid;
const AGG_A = "aaaaaaaa-0000-4000-8000-00000000000a";
const AGG_B = "aaaaaaaa-0000-4000-8000-00000000000b";

interface Spec {
  parent?: string;
  inventories: Record<string, InventoryInput>;
  traits?: string[];
  aggregates?: string[];
}

function build(specs: Record<string, Spec>): PlacementState {
  const s = new PlacementState();
  s.createTrait("CUSTOM_GOLD");
  s.createTrait("CUSTOM_PHYSNET_A");
  s.createTrait("CUSTOM_PHYSNET_B");
  for (const [name, spec] of Object.entries(specs)) {
    s.createProvider({ uuid: id(name), name, parentUuid: spec.parent === undefined ? null : id(spec.parent) });
    let g = s.setInventories(id(name), 0, spec.inventories);
    if (spec.traits) g = s.setTraits(id(name), g, spec.traits);
    if (spec.aggregates) s.setAggregates(id(name), g, spec.aggregates);
  }
  return s;
}

const flat = () =>
  build({
    host1: {
      inventories: { VCPU: { total: 4 }, MEMORY_MB: { total: 2048 } },
      traits: ["HW_CPU_X86_AVX2"],
      aggregates: [AGG_A],
    },
    host2: {
      inventories: { VCPU: { total: 4 }, MEMORY_MB: { total: 2048 } },
      traits: ["HW_CPU_X86_SSE", "CUSTOM_GOLD"],
      aggregates: [AGG_B],
    },
    host3: { inventories: { VCPU: { total: 1 }, MEMORY_MB: { total: 512 } }, traits: [] },
  });

// A compute root with two NUMA cells, each with an SR-IOV PF and a PCI device below it.
const nested = () =>
  build({
    cn1: { inventories: { DISK_GB: { total: 100 } }, traits: ["CUSTOM_GOLD"] },
    numa0: { parent: "cn1", inventories: { VCPU: { total: 4 }, MEMORY_MB: { total: 4096 } } },
    numa1: { parent: "cn1", inventories: { VCPU: { total: 4 }, MEMORY_MB: { total: 4096 } } },
    pf0: { parent: "numa0", inventories: { SRIOV_NET_VF: { total: 4 } }, traits: ["CUSTOM_PHYSNET_A"] },
    pf1: { parent: "numa1", inventories: { SRIOV_NET_VF: { total: 4 } }, traits: ["CUSTOM_PHYSNET_B"] },
    pci0: { parent: "numa0", inventories: { PCI_DEVICE: { total: 1 } } },
    pci1: { parent: "numa1", inventories: { PCI_DEVICE: { total: 1 } } },
    cn2: { inventories: { DISK_GB: { total: 100 } } },
    cn2numa0: { parent: "cn2", inventories: { VCPU: { total: 2 }, MEMORY_MB: { total: 1024 } } },
  });

/** Each allocation request as "group:provider" picks, e.g. "_NIC1:pf0 _NIC2:pf1", sorted. */
function picks(result: AllocationCandidates): string[] {
  return result.allocation_requests
    .map((r) =>
      Object.entries(r.mappings)
        .flatMap(([suffix, rps]) => rps.map((rp) => `${suffix || "-"}:${nameOf(rp)}`))
        .sort()
        .join(" "),
    )
    .sort();
}

function run(state: PlacementState, query: string): AllocationCandidates {
  return allocationCandidates(state, parseCandidatesQuery(query, state));
}

describe("allocationCandidates", () => {
  it.each([
    [
      "a flat request is served by every single provider with room",
      flat,
      "resources=VCPU:1,MEMORY_MB:512",
      ["-:host1", "-:host2", "-:host3"],
    ],
    ["a provider without enough free capacity is left out", flat, "resources=VCPU:2", ["-:host1", "-:host2"]],
    ["a required trait keeps only providers having it", flat, "resources=VCPU:1&required=HW_CPU_X86_AVX2", ["-:host1"]],
    [
      "a forbidden trait removes providers having it",
      flat,
      "resources=VCPU:1&required=!CUSTOM_GOLD",
      ["-:host1", "-:host3"],
    ],
    [
      "an any-of trait list keeps providers having either trait",
      flat,
      "resources=VCPU:1&required=in:HW_CPU_X86_AVX2,CUSTOM_GOLD",
      ["-:host1", "-:host2"],
    ],
    ["member_of keeps providers in the aggregate", flat, `resources=VCPU:1&member_of=${AGG_B}`, ["-:host2"]],
    [
      "member_of in: keeps providers in any of the aggregates",
      flat,
      `resources=VCPU:1&member_of=in:${AGG_A},${AGG_B}`,
      ["-:host1", "-:host2"],
    ],
    [
      "a negative member_of removes providers in the aggregate",
      flat,
      `resources=VCPU:1&member_of=!${AGG_A}`,
      ["-:host2", "-:host3"],
    ],
    ["in_tree keeps only that provider's tree", flat, `resources=VCPU:1&in_tree=${id("host3")}`, ["-:host3"]],
    ["a suffixed in_tree keeps only that tree", flat, `resources1=VCPU:1&in_tree1=${id("host2")}`, ["1:host2"]],
    [
      "in_tree and a suffixed in_tree naming two trees leave nothing",
      flat,
      `resources=VCPU:1&in_tree=${id("host3")}&resources1=VCPU:1&in_tree1=${id("host2")}&group_policy=none`,
      [],
    ],
    [
      "root_required keeps only trees whose root has the trait",
      flat,
      "resources=VCPU:1&root_required=CUSTOM_GOLD",
      ["-:host2"],
    ],
    [
      "root_required with ! removes trees whose root has the trait",
      flat,
      "resources=VCPU:1&root_required=!CUSTOM_GOLD",
      ["-:host1", "-:host3"],
    ],
    ["a class no provider has gives no candidates", flat, "resources=VGPU:1", []],
    [
      "the unsuffixed group may take each class from a different provider of a tree",
      nested,
      `resources=VCPU:1,DISK_GB:10&in_tree=${id("cn1")}`,
      ["-:cn1 -:numa0", "-:cn1 -:numa1"],
    ],
    [
      "a nested tree answers VCPU from either NUMA cell and the other tree from its one cell",
      nested,
      "resources=VCPU:2",
      ["-:cn2numa0", "-:numa0", "-:numa1"],
    ],
    [
      "granular NIC groups with isolate take two different PFs, once (mirror permutations are not repeated)",
      nested,
      "resources_NIC1=SRIOV_NET_VF:1&resources_NIC2=SRIOV_NET_VF:1&group_policy=isolate",
      ["_NIC1:pf0 _NIC2:pf1"],
    ],
    [
      "granular NIC groups with none may share a PF",
      nested,
      "resources_NIC1=SRIOV_NET_VF:1&resources_NIC2=SRIOV_NET_VF:1&group_policy=none",
      ["_NIC1:pf0 _NIC2:pf0", "_NIC1:pf0 _NIC2:pf1", "_NIC1:pf1 _NIC2:pf1"],
    ],
    [
      "a granular group's required trait picks the PF on that physnet",
      nested,
      "resources_NIC=SRIOV_NET_VF:1&required_NIC=CUSTOM_PHYSNET_B",
      ["_NIC:pf1"],
    ],
    [
      "a granular group takes all its resources from one provider",
      nested,
      "resources_CPU=VCPU:1,MEMORY_MB:4096&resources_NIC=SRIOV_NET_VF:1&group_policy=none",
      ["_CPU:numa0 _NIC:pf0", "_CPU:numa0 _NIC:pf1", "_CPU:numa1 _NIC:pf0", "_CPU:numa1 _NIC:pf1"],
    ],
    [
      "same_subtree keeps the CPU and NIC under one NUMA cell",
      nested,
      "resources_CPU=VCPU:1&resources_NIC=SRIOV_NET_VF:1&group_policy=none&same_subtree=_CPU,_NIC",
      ["_CPU:numa0 _NIC:pf0", "_CPU:numa1 _NIC:pf1"],
    ],
    [
      "amounts of two groups on one provider are summed against its capacity",
      nested,
      `resources_A=VCPU:3&resources_B=VCPU:3&group_policy=none&in_tree=${id("cn1")}`,
      ["_A:numa0 _B:numa1"],
    ],
    [
      "unsuffixed and granular groups combine with root_required",
      nested,
      "resources=DISK_GB:10&resources_PCI=PCI_DEVICE:1&root_required=CUSTOM_GOLD",
      ["-:cn1 _PCI:pci0", "-:cn1 _PCI:pci1"],
    ],
  ])("%s", (_name, make, query, expected) => {
    expect(picks(run(make(), query))).toEqual(expected);
  });

  it("summaries cover every provider of the trees in the answer, with capacity, usage, traits and parents", () => {
    const state = nested();
    state.claim(id("vm"), {
      allocations: { [id("numa0")]: { VCPU: 1 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const result = run(state, `resources=VCPU:1&in_tree=${id("pf0")}`);
    expect(Object.keys(result.provider_summaries).map(nameOf).sort()).toEqual([
      "cn1",
      "numa0",
      "numa1",
      "pci0",
      "pci1",
      "pf0",
      "pf1",
    ]);
    expect(result.provider_summaries[id("numa0")]).toEqual({
      resources: { VCPU: { capacity: 4, used: 1 }, MEMORY_MB: { capacity: 4096, used: 0 } },
      traits: [],
      parent_provider_uuid: id("cn1"),
      root_provider_uuid: id("cn1"),
    });
    expect(result.allocation_requests[0]).toEqual({
      allocations: { [id("numa0")]: { resources: { VCPU: 1 } } },
      mappings: { "": [id("numa0")] },
    });
  });

  it.each([
    ["limit=1 returns one allocation request", "resources=VCPU:1&limit=1", 1],
    ["limit=2 returns two allocation requests", "resources=VCPU:1&limit=2", 2],
    ["a limit larger than the answer changes nothing", "resources=VCPU:1&limit=50", 3],
  ])("%s", (_name, query, count) => {
    expect(run(flat(), query).allocation_requests).toHaveLength(count);
  });

  it("eight identical granular groups over eight PFs with isolate give one candidate per tree within a few steps", () => {
    const specs: Record<string, Spec> = { host: { inventories: { VCPU: { total: 8 } } } };
    for (let p = 0; p < 8; p++) specs[`vf${p}`] = { parent: "host", inventories: { SRIOV_NET_VF: { total: 8 } } };
    const state = build(specs);
    const groups = Array.from({ length: 8 }, (_, g) => `resources_G${g}=SRIOV_NET_VF:1`).join("&");
    const query = parseCandidatesQuery(`resources=VCPU:1&${groups}&group_policy=isolate`, state);
    // Without symmetry breaking and lookahead this tree alone has 8! = 40,320 permutations.
    const result = allocationCandidates(state, query, { maxStepsPerTree: 20 });
    expect(result.allocation_requests).toHaveLength(1);
    expect(Object.keys(result.allocation_requests[0]!.allocations)).toHaveLength(9);
  });

  it("the per-tree caps stop enumeration in a tree", () => {
    const state = nested();
    const query = parseCandidatesQuery("resources=VCPU:1,MEMORY_MB:1", state);
    expect(allocationCandidates(state, query).allocation_requests).toHaveLength(5);
    expect(allocationCandidates(state, query, { maxCandidatesPerTree: 1 }).allocation_requests).toHaveLength(2);
    expect(allocationCandidates(state, query, { maxStepsPerTree: 1 }).allocation_requests.length).toBeLessThan(5);
  });
});
