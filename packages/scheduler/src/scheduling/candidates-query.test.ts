import { describe, expect, it } from "vitest";
import { allocationCandidates } from "../placement/candidates.js";
import { parseCandidatesQuery } from "../placement/query.js";
import { PlacementState } from "../placement/state.js";
import { buildRequestSpec } from "../selection/build-request-spec.js";
import { candidatesQueryFor } from "./candidates-query.js";
import { desiredTree } from "./desired-tree.js";
import { FakeComputeFleet } from "./fake-fleet.js";

const spec = (extraSpecs: Record<string, string>, image: { id?: string } = { id: "img" }) =>
  buildRequestSpec({
    flavor: { vcpus: 4, memoryMb: 2048, rootGb: 20, ephemeralGb: 5, swapMb: 1536, extraSpecs },
    image: { ...image, properties: {} },
    instanceUuids: ["9b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"],
  });

describe("candidatesQueryFor", () => {
  it.each([
    [
      "a plain flavor: VCPU, MEMORY_MB and root + ephemeral + swap disk",
      {},
      { resources: "VCPU:4,MEMORY_MB:2048,DISK_GB:27" },
    ],
    [
      "hw:cpu_policy=dedicated asks for PCPU",
      { "hw:cpu_policy": "dedicated" },
      { resources: "PCPU:4,MEMORY_MB:2048,DISK_GB:27" },
    ],
    [
      "dedicated with thread policy isolate forbids hyperthreading",
      { "hw:cpu_policy": "dedicated", "hw:cpu_thread_policy": "isolate" },
      { resources: "PCPU:4,MEMORY_MB:2048,DISK_GB:27", required: "!HW_CPU_HYPERTHREADING" },
    ],
    [
      "dedicated with thread policy require requires hyperthreading",
      { "hw:cpu_policy": "dedicated", "hw:cpu_thread_policy": "require" },
      { resources: "PCPU:4,MEMORY_MB:2048,DISK_GB:27", required: "HW_CPU_HYPERTHREADING" },
    ],
    [
      "shared CPUs ignore the thread policy",
      { "hw:cpu_thread_policy": "isolate" },
      { resources: "VCPU:4,MEMORY_MB:2048,DISK_GB:27" },
    ],
    [
      "resources extra specs override and add classes, zero removes one",
      { "resources:VCPU": "0", "resources:CUSTOM_FPGA": "1", "resources1:SRIOV_NET_VF": "2", group_policy: "none" },
      { resources: "MEMORY_MB:2048,DISK_GB:27,CUSTOM_FPGA:1", resources1: "SRIOV_NET_VF:2", group_policy: "none" },
    ],
    [
      "trait extra specs become required and forbidden traits",
      { "trait:HW_CPU_X86_AVX2": "required", "trait:CUSTOM_SLOW": "forbidden" },
      { resources: "VCPU:4,MEMORY_MB:2048,DISK_GB:27", required: "!CUSTOM_SLOW,HW_CPU_X86_AVX2" },
    ],
  ])("%s", (_name, extraSpecs, expected) => {
    expect(candidatesQueryFor(spec(extraSpecs))).toEqual({ ...expected, limit: "1000" });
  });

  it("leaves the root disk out for a boot from volume (no image id)", () => {
    expect(candidatesQueryFor(spec({}, {}), 50)).toEqual({ resources: "VCPU:4,MEMORY_MB:2048,DISK_GB:7", limit: "50" });
  });

  it.each([
    ["a negative amount", { "resources:VCPU": "-1" }],
    ["a trait value that is neither required nor forbidden", { "trait:HW_CPU_X86_AVX2": "yes" }],
  ])("refuses %s", (_name, extraSpecs) => {
    expect(() => candidatesQueryFor(spec(extraSpecs))).toThrow(/Invalid amount|must be 'required' or 'forbidden'/);
  });
});

describe("PCPU end to end", () => {
  it("a node reporting dedicated CPUs gets a PCPU inventory at ratio 1 that a pinned flavor's query finds", () => {
    const fleet = new FakeComputeFleet({ count: 2 });
    const [a, b] = fleet.reports();
    const pinned = { ...a!, pcpus: 8 };
    const root = desiredTree(pinned)[0]!;
    expect(root.inventories["PCPU"]).toEqual({ total: 8, reserved: 0, max_unit: 8, allocation_ratio: 1 });
    expect(desiredTree(b!)[0]!.inventories["PCPU"]).toBeUndefined();

    const state = new PlacementState();
    for (const r of [pinned, b!]) {
      const d = desiredTree(r)[0]!;
      state.createProvider({ uuid: d.uuid, name: d.name });
      state.setInventories(d.uuid, 0, d.inventories);
    }
    const query = candidatesQueryFor(spec({ "hw:cpu_policy": "dedicated" }));
    const found = allocationCandidates(state, parseCandidatesQuery(query, state));
    expect(found.allocation_requests.map((r) => Object.keys(r.allocations))).toEqual([[root.uuid]]);
  });
});
