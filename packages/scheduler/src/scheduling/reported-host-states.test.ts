import { describe, expect, it } from "vitest";
import { PlacementState } from "../placement/state.js";
import { MemoryPlacementStore } from "../placement/store.js";
import { pciProviderUuid } from "./desired-tree.js";
import { FakeComputeFleet } from "./fake-fleet.js";
import type { PciDeviceReport } from "./hypervisor-report.js";
import { ReportedHostStates } from "./reported-host-states.js";

const NOW = 1_800_000_000_000;
const vfs: PciDeviceReport[] = [1, 2, 3].map((n) => ({
  address: `0000:81:00.${n}`,
  vendorId: "8086",
  productId: "154c",
  devType: "type-VF",
  parentAddress: "0000:81:00.0",
  physicalNetwork: "physnet1",
  numaNode: 0,
  allocated: n === 1,
}));

async function setup(heartbeat = NOW) {
  const store = new MemoryPlacementStore(new PlacementState());
  const source = new ReportedHostStates(store, { now: () => NOW, serviceDownTime: 60 });
  const fleet = new FakeComputeFleet({
    count: 2,
    heartbeat,
    shape: { pciDevices: vfs, instances: ["i-1", "i-2"], numIoOps: 1 },
  });
  await fleet.reportTo(source);
  return { store, source, fleet, uuid: fleet.report("compute1").nodeUuid };
}

describe("ReportedHostStates", () => {
  it("derives usage from Placement's allocations and counts from the report", async () => {
    const { store, source, uuid } = await setup();
    store.state.claim("vm", {
      allocations: { [uuid]: { VCPU: 3, MEMORY_MB: 2048, DISK_GB: 20 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const host = (await source.hostStates([uuid])).get(uuid)!;
    expect(host).toMatchObject({
      host: "compute1",
      vcpusUsed: 3,
      vcpusTotal: 16,
      freeRamMb: 65536 - 512 - 2048,
      freeDiskMb: (1024 - 20) * 1024,
      numInstances: 2,
      numIoOps: 1,
      up: true,
      enabled: true,
    });
  });

  it("offers free VFs as a pool: the smaller of the report's free count and Placement's", async () => {
    const { store, source, uuid } = await setup();
    const pool = async () => (await source.hostStates([uuid])).get(uuid)!.pciPools;
    expect(await pool()).toEqual([
      { vendorId: "8086", productId: "154c", devType: "type-VF", physicalNetwork: "physnet1", numaNode: 0, count: 2 },
    ]);
    store.state.claim("vm", {
      allocations: { [pciProviderUuid(uuid, "0000:81:00.0")]: { SRIOV_NET_VF: 2 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    expect((await pool())[0]?.count).toBe(1);
  });

  it.each([
    { name: "a heartbeat older than service_down_time", heartbeat: NOW - 61_000, forcedDown: false, up: false },
    { name: "a fresh heartbeat", heartbeat: NOW - 59_000, forcedDown: false, up: true },
    { name: "forced down with a fresh heartbeat", heartbeat: NOW, forcedDown: true, up: false },
  ])("a node is up only with a fresh heartbeat and not forced down: $name", async ({ heartbeat, forcedDown, up }) => {
    const { source, fleet, uuid } = await setup();
    await source.update(fleet.change("compute1", { service: { enabled: true, forcedDown, updatedAt: heartbeat } }));
    expect((await source.hostStates([uuid])).get(uuid)?.up).toBe(up);
  });

  it("leaves out nodes it has no report for", async () => {
    const { source, fleet, uuid } = await setup();
    const other = fleet.report("compute2").nodeUuid;
    source.forget(other);
    expect([...(await source.hostStates([uuid, other, "unknown"])).keys()]).toEqual([uuid]);
  });
});
