/**
 * A fleet of fake compute nodes for tests and examples: `count` nodes of one shape (overridable
 * per node) whose reports can be changed and fed to a `ReportedHostStates`.
 */
import type { HypervisorReport } from "./hypervisor-report.js";
import type { ReportedHostStates } from "./reported-host-states.js";

/** The shape of every node; any report field can be given. */
export type NodeShape = Partial<Omit<HypervisorReport, "hostname" | "hypervisorHostname" | "nodeUuid">>;

/** What `FakeComputeFleet` takes. */
export interface FakeComputeFleetOptions {
  /** How many nodes (named `compute1` ... `computeN`). */
  readonly count: number;
  /** The shape of all nodes (defaults: 16 vCPUs at 4x, 64 GiB at 1.5x, 1 TiB disk, AVX2). */
  readonly shape?: NodeShape;
  /** Per-node overrides, by index from 0. */
  readonly overrides?: (index: number) => NodeShape;
  /** The heartbeat stamped on every report (ms since the epoch); 0 = "now" when built. */
  readonly heartbeat?: number;
}

/** N fake hypervisors and their reports. */
export class FakeComputeFleet {
  private readonly nodes: HypervisorReport[] = [];

  constructor(options: FakeComputeFleetOptions) {
    const heartbeat = options.heartbeat ?? Date.now();
    for (let i = 0; i < options.count; i++) {
      const name = `compute${i + 1}`;
      this.nodes.push({
        ...defaultReport(name, nodeUuid(i), heartbeat),
        ...options.shape,
        ...options.overrides?.(i),
      });
    }
  }

  /** Every node's current report, in order. */
  reports(): readonly HypervisorReport[] {
    return this.nodes;
  }

  /** One node's report by host name. Throws when there is no such node. */
  report(hostname: string): HypervisorReport {
    const r = this.nodes.find((n) => n.hostname === hostname);
    if (r === undefined) throw new Error(`no fake node ${hostname}`);
    return r;
  }

  /** Changes one node's report (as the node would on its next period); returns the new report. */
  change(hostname: string, patch: NodeShape): HypervisorReport {
    const i = this.nodes.findIndex((n) => n.hostname === hostname);
    if (i < 0) throw new Error(`no fake node ${hostname}`);
    const next = { ...this.nodes[i]!, ...patch };
    this.nodes[i] = next;
    return next;
  }

  /** Feeds every report to `source` (writing the providers into Placement), in order. */
  async reportTo(source: ReportedHostStates): Promise<void> {
    for (const r of this.nodes) await source.update(r);
  }
}

function nodeUuid(i: number): string {
  return `c0a4e000-0000-4000-8000-${(i + 1).toString(16).padStart(12, "0")}`;
}

function defaultReport(name: string, uuid: string, heartbeat: number): HypervisorReport {
  return {
    hostname: name,
    hypervisorHostname: name,
    nodeUuid: uuid,
    cell: "cell1",
    vcpus: 16,
    memoryMb: 65536,
    localGb: 1024,
    reserved: { vcpus: 0, memoryMb: 512, diskMb: 0 },
    allocationRatios: { cpu: 4, ram: 1.5, disk: 1 },
    traits: ["HW_CPU_X86_AVX2", "HW_CPU_X86_SSE42", "COMPUTE_NET_VIF_MODEL_VIRTIO"],
    numaCells: [],
    pciDevices: [],
    availabilityZone: "nova",
    aggregates: [],
    service: { enabled: true, forcedDown: false, updatedAt: heartbeat },
    instances: [],
    numIoOps: 0,
    failedBuilds: 0,
    hypervisorType: "QEMU",
    hypervisorVersion: 8_002_000,
    cpuArch: "x86_64",
    supportedInstances: [{ arch: "x86_64", hvType: "qemu", vmMode: "hvm" }],
  };
}
