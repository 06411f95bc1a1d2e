import { describe, expect, it } from "vitest";
import { PlacementState } from "../placement/state.js";
import { MemoryPlacementStore, type PlacementStore } from "../placement/store.js";
import { pciProviderUuid } from "./desired-tree.js";
import { FakeComputeFleet } from "./fake-fleet.js";
import type { PciDeviceReport } from "./hypervisor-report.js";
import { syncProviderTree } from "./provider-tree-sync.js";

const vf = (pf: string, n: number, physnet = "physnet-a"): PciDeviceReport => ({
  address: `${pf.slice(0, -1)}${n + 1}`,
  vendorId: "8086",
  productId: "154c",
  devType: "type-VF",
  parentAddress: pf,
  physicalNetwork: physnet,
  numaNode: 0,
  allocated: false,
});
const gpu: PciDeviceReport = {
  address: "0000:3b:00.0",
  vendorId: "10de",
  productId: "1eb8",
  devType: "type-PCI",
  numaNode: 1,
  allocated: false,
};
const PF = "0000:81:00.0";
const sriov = [0, 1, 2, 3].map((n) => vf(PF, n));

function fresh() {
  const store = new MemoryPlacementStore(new PlacementState());
  const fleet = new FakeComputeFleet({ count: 1 });
  return { store, fleet, state: store.state, root: fleet.report("compute1").nodeUuid };
}

describe("syncProviderTree: reports become providers", () => {
  it.each([
    {
      name: "reserved amounts and allocation ratios from the report, reserved disk rounded up to GiB",
      patch: { vcpus: 32, memoryMb: 131072, localGb: 500, reserved: { vcpus: 2, memoryMb: 4096, diskMb: 1536 } },
      inventories: {
        VCPU: { total: 32, reserved: 2, min_unit: 1, max_unit: 32, step_size: 1, allocation_ratio: 4 },
        MEMORY_MB: {
          total: 131072,
          reserved: 4096,
          min_unit: 1,
          max_unit: 131072,
          step_size: 1,
          allocation_ratio: 1.5,
        },
        DISK_GB: { total: 500, reserved: 2, min_unit: 1, max_unit: 500, step_size: 1, allocation_ratio: 1 },
      },
    },
    {
      name: "no DISK_GB inventory for a node without local disk",
      patch: { localGb: 0 },
      inventories: {
        VCPU: { total: 16, reserved: 0, min_unit: 1, max_unit: 16, step_size: 1, allocation_ratio: 4 },
        MEMORY_MB: { total: 65536, reserved: 512, min_unit: 1, max_unit: 65536, step_size: 1, allocation_ratio: 1.5 },
      },
    },
  ])("the root provider has VCPU, MEMORY_MB and DISK_GB: $name", async ({ patch, inventories }) => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.change("compute1", patch));
    expect(state.getProvider(root)).toMatchObject({ name: "compute1", parentUuid: null });
    expect(state.getInventories(root)).toEqual(inventories);
  });

  it.each([
    { enabled: true, traits: ["COMPUTE_NET_VIF_MODEL_VIRTIO", "HW_CPU_X86_AVX2", "HW_CPU_X86_SSE42"] },
    {
      enabled: false,
      traits: ["COMPUTE_NET_VIF_MODEL_VIRTIO", "COMPUTE_STATUS_DISABLED", "HW_CPU_X86_AVX2", "HW_CPU_X86_SSE42"],
    },
  ])(
    "root traits are the reported CPU and capability traits (service enabled: $enabled)",
    async ({ enabled, traits }) => {
      const { store, fleet, state, root } = fresh();
      await syncProviderTree(
        store,
        fleet.change("compute1", { service: { enabled, forcedDown: false, updatedAt: 0 } }),
      );
      expect(state.getTraits(root)).toEqual(traits);
    },
  );

  it.each([
    {
      name: "a PF with four VFs on physnet-a: SRIOV_NET_VF 4 and Neutron's physnet trait",
      devices: sriov,
      address: PF,
      inventories: { SRIOV_NET_VF: 4 },
      traits: ["COMPUTE_MANAGED_PCI_DEVICE", "CUSTOM_PCI_8086_154C", "CUSTOM_PHYSNET_PHYSNET_A"],
    },
    {
      name: "a whole GPU: PCI_DEVICE 1 and its model trait",
      devices: [gpu],
      address: gpu.address,
      inventories: { PCI_DEVICE: 1 },
      traits: ["COMPUTE_MANAGED_PCI_DEVICE", "CUSTOM_PCI_10DE_1EB8"],
    },
  ])("PCI devices become child providers named <node>_<address>: $name", async (row) => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.change("compute1", { pciDevices: row.devices, aggregates: [] }));
    const child = pciProviderUuid(root, row.address);
    expect(state.getProvider(child)).toMatchObject({
      name: `compute1_${row.address}`,
      parentUuid: root,
      rootUuid: root,
    });
    const totals = Object.fromEntries(Object.entries(state.getInventories(child)).map(([rc, i]) => [rc, i.total]));
    expect(totals).toEqual(row.inventories);
    expect(state.getTraits(child)).toEqual(row.traits);
  });

  it("mirrors the node's aggregates on the root provider", async () => {
    const { store, fleet, state, root } = fresh();
    const agg = { uuid: "a9e4a3c2-0000-4000-8000-000000000001", name: "ssd", metadata: { ssd: "true" } };
    await syncProviderTree(store, fleet.change("compute1", { aggregates: [agg] }));
    expect(state.getAggregates(root)).toEqual([agg.uuid]);
  });
});

describe("syncProviderTree: updates", () => {
  it("writes nothing when the report did not change (generations stay)", async () => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.report("compute1"));
    const generation = state.getProvider(root).generation;
    const again = await syncProviderTree(store, fleet.report("compute1"));
    expect(again.written).toEqual([]);
    expect(state.getProvider(root).generation).toBe(generation);
  });

  it("a new report changes inventories in place", async () => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.report("compute1"));
    const result = await syncProviderTree(store, fleet.change("compute1", { vcpus: 24 }));
    expect(result.written).toEqual([root]);
    expect(state.getInventories(root)["VCPU"]?.total).toBe(24);
  });

  it("when another writer bumped the generation first, re-reads and retries, keeping the other writer's trait", async () => {
    const { state, fleet, root } = fresh();
    const memory = new MemoryPlacementStore(state);
    await syncProviderTree(memory, fleet.report("compute1"));
    let intruded = false;
    // An operator tags the node between our read of the generation and our write.
    const racing: PlacementStore = {
      state,
      close: () => memory.close(),
      write(mutate, touched) {
        if (!intruded) {
          intruded = true;
          state.createTrait("CUSTOM_RACK_R1");
          state.setTraits(root, state.getProvider(root).generation, [...state.getTraits(root), "CUSTOM_RACK_R1"]);
        }
        return memory.write(mutate, touched);
      },
    };
    const result = await syncProviderTree(racing, fleet.change("compute1", { vcpus: 20 }));
    expect(result.retries).toBe(1);
    expect(state.getInventories(root)["VCPU"]?.total).toBe(20);
    expect(state.getTraits(root)).toContain("CUSTOM_RACK_R1");
    expect(state.getTraits(root)).toContain("HW_CPU_X86_AVX2");
  });

  it("gives up with placement.concurrent_update when every retry loses", async () => {
    const { state, fleet, root } = fresh();
    const memory = new MemoryPlacementStore(state);
    await syncProviderTree(memory, fleet.report("compute1"));
    const alwaysRacing: PlacementStore = {
      state,
      close: () => memory.close(),
      write(mutate, touched) {
        state.setAggregates(root, state.getProvider(root).generation, []);
        return memory.write(mutate, touched);
      },
    };
    await expect(syncProviderTree(alwaysRacing, fleet.change("compute1", { vcpus: 20 }), 2)).rejects.toMatchObject({
      code: "conflict",
      details: { errorCode: "placement.concurrent_update" },
    });
  });

  it("a removed PCI device's provider is deleted when unallocated and kept while allocated", async () => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.change("compute1", { pciDevices: [...sriov, gpu] }));
    const gpuRp = pciProviderUuid(root, gpu.address);
    const pfRp = pciProviderUuid(root, PF);
    state.claim("vm-with-gpu", {
      allocations: { [gpuRp]: { PCI_DEVICE: 1 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const gone = await syncProviderTree(store, fleet.change("compute1", { pciDevices: [] }));
    expect(gone.deleted).toEqual([pfRp]);
    expect(gone.retained).toEqual([gpuRp]);
    expect(state.getProvider(gpuRp).name).toBe(`compute1_${gpu.address}`);
    state.deleteAllocations("vm-with-gpu");
    const later = await syncProviderTree(store, fleet.report("compute1"));
    expect(later.deleted).toEqual([gpuRp]);
    expect(state.listProviders().map((p) => p.uuid)).toEqual([root]);
  });

  it("leaves children it does not own (another agent's providers under the node) alone", async () => {
    const { store, fleet, state, root } = fresh();
    await syncProviderTree(store, fleet.report("compute1"));
    state.createProvider({
      uuid: "b0b0b0b0-0000-4000-8000-000000000001",
      name: "compute1:NIC Switch agent",
      parentUuid: root,
    });
    const result = await syncProviderTree(store, fleet.report("compute1"));
    expect(result.deleted).toEqual([]);
  });
});
