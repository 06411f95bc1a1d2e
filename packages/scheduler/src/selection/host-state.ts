/**
 * What the selector knows about one compute node (Nova's HostState): capacity, placement in
 * zones and aggregates, hypervisor facts, NUMA cells, PCI pools and the instances it runs.
 * Plain data; the selector never mutates it (multi-instance requests consume from copies).
 */

/** A host aggregate the node belongs to (Nova's aggregate with metadata). */
export interface HostAggregate {
  /** The aggregate's name, as an operator sees it. */
  readonly name: string;
  /** Key/value metadata matched by AggregateInstanceExtraSpecsFilter. */
  readonly metadata: Readonly<Record<string, string>>;
}

/** One (arch, hypervisor type, vm mode) triple the node can run (Nova's supported_instances). */
export interface SupportedInstance {
  /** CPU architecture, e.g. `x86_64`, `aarch64` (canonical, lower case). */
  readonly arch: string;
  /** Hypervisor type, e.g. `qemu`, `kvm` (lower case). */
  readonly hvType: string;
  /** VM mode, e.g. `hvm`, `exe` (lower case). */
  readonly vmMode: string;
}

/** Huge/small pages of one size on one NUMA cell. */
export interface HostMemPages {
  /** Page size in KiB (4 for small pages, 2048 for 2 MiB, 1048576 for 1 GiB). */
  readonly sizeKb: number;
  /** Pages of this size the cell has. */
  readonly total: number;
  /** Pages already taken by instances. */
  readonly used: number;
}

/** One host NUMA cell. */
export interface HostNumaCell {
  /** The cell id (the NUMA node number, also what PCI pools name as `numaNode`). */
  readonly id: number;
  /** Host CPUs of this cell guests may be pinned to (Nova's pcpuset) and may float over. */
  readonly cpus: readonly number[];
  /** The subset of `cpus` already pinned to instances. */
  readonly pinnedCpus: readonly number[];
  /** Memory of the cell in MiB. */
  readonly memoryMb: number;
  /** Memory of the cell already used by instances, in MiB. */
  readonly memoryUsedMb: number;
  /** Page pools by size; empty means only small pages, not accounted separately. */
  readonly mempages: readonly HostMemPages[];
  /** Hyper-thread sibling sets (each a list of host CPU ids); empty without SMT. */
  readonly siblings: readonly (readonly number[])[];
}

/** A pool of identical PCI devices (Nova's PciDevicePool). */
export interface PciDevicePool {
  /** PCI vendor id, four hex digits lower case (e.g. `8086`). */
  readonly vendorId: string;
  /** PCI product id, four hex digits lower case (e.g. `154c`). */
  readonly productId: string;
  /** Device type: a whole device, an SR-IOV physical function or a virtual function. */
  readonly devType: "type-PCI" | "type-PF" | "type-VF";
  /** The Neutron physical network an SR-IOV NIC is wired to, when it is a NIC. */
  readonly physicalNetwork?: string;
  /** The host NUMA cell the devices hang off; undefined when the platform does not say. */
  readonly numaNode?: number;
  /** Free devices in the pool. */
  readonly count: number;
}

/** The state of one compute node as the selector sees it. */
export interface HostState {
  /** The compute service host name (what server groups and hints record). */
  readonly host: string;
  /** The hypervisor node name (equal to `host` except for ironic-like drivers). */
  readonly nodename: string;
  /** The cell the node lives in; alternates are chosen from the same cell. */
  readonly cell: string;
  /** The availability zone of the node (`nova` when no aggregate sets one). */
  readonly availabilityZone: string;
  /** Aggregates the node is a member of. */
  readonly aggregates: readonly HostAggregate[];
  /** False when the compute service is disabled by an operator. */
  readonly enabled: boolean;
  /** False when the compute service has missed its heartbeats. */
  readonly up: boolean;
  /** Free RAM in MiB (total minus used, before the allocation ratio). */
  readonly freeRamMb: number;
  /** Total usable RAM in MiB. */
  readonly totalRamMb: number;
  /** RAM overcommit ratio. */
  readonly ramAllocationRatio: number;
  /** Free disk in MiB. */
  readonly freeDiskMb: number;
  /** Total usable disk in GiB. */
  readonly totalDiskGb: number;
  /** Disk overcommit ratio. */
  readonly diskAllocationRatio: number;
  /** Physical vCPUs of the node. */
  readonly vcpusTotal: number;
  /** vCPUs in use by instances. */
  readonly vcpusUsed: number;
  /** CPU overcommit ratio. */
  readonly cpuAllocationRatio: number;
  /** Instances on the node. */
  readonly numInstances: number;
  /** Instances in a build, resize, snapshot, migrate, rescue or unshelve task (Nova's io ops). */
  readonly numIoOps: number;
  /** Consecutive failed builds since the last success. */
  readonly failedBuilds: number;
  /** Hypervisor type, e.g. `QEMU`. */
  readonly hypervisorType: string;
  /** Hypervisor version as Nova encodes it: major * 1_000_000 + minor * 1_000 + micro. */
  readonly hypervisorVersion: number;
  /** The node's CPU architecture, e.g. `x86_64`. */
  readonly cpuArch: string;
  /** Instance types the node supports (ImagePropertiesFilter). */
  readonly supportedInstances: readonly SupportedInstance[];
  /** Free-form capabilities matched by ComputeCapabilitiesFilter (nested objects allowed). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** NUMA cells; undefined when the node reports no NUMA topology. */
  readonly numaCells?: readonly HostNumaCell[];
  /** PCI device pools with free devices. */
  readonly pciPools: readonly PciDevicePool[];
  /** UUIDs of the instances on the node (server groups, same/different host hints). */
  readonly instances: ReadonlySet<string>;
}

/** Free vCPUs counting the allocation ratio (what CPUWeigher weighs). */
export function freeVcpus(host: HostState): number {
  return host.vcpusTotal * host.cpuAllocationRatio - host.vcpusUsed;
}
