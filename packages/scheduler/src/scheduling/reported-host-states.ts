/**
 * The HostStateSource compute feeds: each report is written into Placement as a provider tree,
 * then kept; a HostState combines the report (zones, aggregates, hypervisor facts, NUMA cells,
 * instances, io ops, heartbeat) with the usage Placement holds for the node (VCPU, MEMORY_MB,
 * DISK_GB on the root, devices on the PCI children), so what the selector weighs is what was
 * claimed, not what the compute last saw.
 */
import { capacityOf } from "../placement/model.js";
import type { PlacementState } from "../placement/state.js";
import type { PlacementStore } from "../placement/store.js";
import type { HostState, PciDevicePool } from "../selection/host-state.js";
import { desiredTree } from "./desired-tree.js";
import type { HypervisorReport } from "./hypervisor-report.js";
import type { HostStateSource } from "./ports.js";
import { type ProviderTreeSyncResult, syncProviderTree } from "./provider-tree-sync.js";

/** How liveness is judged. */
export interface ReportedHostStatesOptions {
  /** Seconds without a heartbeat after which a service is down (Nova's service_down_time, 60). */
  readonly serviceDownTime?: number;
  /** Clock in milliseconds since the epoch; `Date.now` by default. */
  readonly now?: () => number;
  /** Retries per provider after a generation conflict while syncing (default 3). */
  readonly maxRetries?: number;
}

/** Reports in, HostStates out. */
export class ReportedHostStates implements HostStateSource {
  private readonly reports = new Map<string, HypervisorReport>();
  private readonly downAfterMs: number;
  private readonly now: () => number;
  private readonly maxRetries: number;

  constructor(
    private readonly store: PlacementStore,
    options: ReportedHostStatesOptions = {},
  ) {
    this.downAfterMs = (options.serviceDownTime ?? 60) * 1000;
    this.now = options.now ?? Date.now;
    this.maxRetries = options.maxRetries ?? 3;
  }

  /**
   * Writes the report's provider tree into Placement (see `syncProviderTree`), then keeps the
   * report for HostStates. Throws what the sync throws; the previous report stays in that case.
   */
  async update(report: HypervisorReport): Promise<ProviderTreeSyncResult> {
    const result = await syncProviderTree(this.store, report, this.maxRetries);
    this.reports.set(report.nodeUuid, report);
    return result;
  }

  /** Stops offering a node (its providers stay in Placement). Returns false when it was unknown. */
  forget(nodeUuid: string): boolean {
    return this.reports.delete(nodeUuid);
  }

  async hostStates(computeNodeUuids: readonly string[]): Promise<ReadonlyMap<string, HostState>> {
    const out = new Map<string, HostState>();
    for (const uuid of computeNodeUuids) {
      const report = this.reports.get(uuid);
      if (report === undefined || this.store.state.providerRecord(uuid) === undefined) continue;
      out.set(
        uuid,
        hostStateFromReport(report, this.store.state, this.now() - report.service.updatedAt <= this.downAfterMs),
      );
    }
    return out;
  }
}

/** The HostState of a reported node with Placement's usage; `up` from the heartbeat check. Pure read. */
export function hostStateFromReport(
  report: HypervisorReport,
  state: PlacementState,
  heartbeatFresh: boolean,
): HostState {
  const r = report;
  const used = state.usages(r.nodeUuid);
  const usedDiskGb = used["DISK_GB"] ?? 0;
  return {
    host: r.hostname,
    nodename: r.hypervisorHostname,
    cell: r.cell,
    availabilityZone: r.availabilityZone,
    aggregates: r.aggregates.map((a) => ({ name: a.name, metadata: a.metadata })),
    enabled: r.service.enabled,
    up: heartbeatFresh && !r.service.forcedDown,
    freeRamMb: r.memoryMb - r.reserved.memoryMb - (used["MEMORY_MB"] ?? 0),
    totalRamMb: r.memoryMb,
    ramAllocationRatio: r.allocationRatios.ram,
    freeDiskMb: r.localGb * 1024 - r.reserved.diskMb - usedDiskGb * 1024,
    totalDiskGb: r.localGb,
    diskAllocationRatio: r.allocationRatios.disk,
    vcpusTotal: r.vcpus,
    vcpusUsed: used["VCPU"] ?? 0,
    cpuAllocationRatio: r.allocationRatios.cpu,
    numInstances: r.instances.length,
    numIoOps: r.numIoOps,
    failedBuilds: r.failedBuilds,
    hypervisorType: r.hypervisorType,
    hypervisorVersion: r.hypervisorVersion,
    cpuArch: r.cpuArch,
    supportedInstances: r.supportedInstances,
    capabilities: {},
    ...(r.numaCells.length === 0 ? {} : { numaCells: r.numaCells }),
    pciPools: pciPools(r, state),
    instances: new Set(r.instances),
  };
}

/**
 * Free devices per pool. Per physical device the free count is the smaller of what the compute
 * says is unallocated and what Placement has left on its child provider, so a claim made since
 * the last report already counts.
 */
function pciPools(report: HypervisorReport, state: PlacementState): PciDevicePool[] {
  const pools = new Map<string, { pool: PciDevicePool; count: number }>();
  for (const child of desiredTree(report).slice(1)) {
    const record = state.providerRecord(child.uuid);
    const reportedFree = child.devices.filter((d) => !d.allocated).length;
    let free = reportedFree;
    if (record !== undefined) {
      const used = state.usages(child.uuid);
      const placementFree = Object.entries(record.inventories).reduce(
        (n, [rc, inv]) => n + capacityOf(inv) - (used[rc] ?? 0),
        0,
      );
      free = Math.max(0, Math.min(reportedFree, placementFree));
    }
    // Hand the free count to the child's devices in order, each to its own pool.
    for (const d of child.devices) {
      const key = [d.vendorId, d.productId, d.devType, d.physicalNetwork ?? "", d.numaNode ?? ""].join("|");
      const entry = pools.get(key) ?? {
        pool: {
          vendorId: d.vendorId,
          productId: d.productId,
          devType: d.devType,
          ...(d.physicalNetwork === undefined ? {} : { physicalNetwork: d.physicalNetwork }),
          ...(d.numaNode === undefined ? {} : { numaNode: d.numaNode }),
          count: 0,
        },
        count: 0,
      };
      if (free > 0) {
        entry.count++;
        free--;
      }
      pools.set(key, entry);
    }
  }
  return [...pools.values()].map(({ pool, count }) => ({ ...pool, count }));
}
