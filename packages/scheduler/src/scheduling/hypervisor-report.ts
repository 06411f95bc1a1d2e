/**
 * What a compute service reports about its node each period (the facts behind Nova's
 * ComputeNode record and the virt driver's `update_provider_tree`), as plain data.
 */
import type { HostNumaCell, SupportedInstance } from "../selection/host-state.js";

/** One PCI device the node exposes (Nova's PciDevice, as the PCI tracker sees it). */
export interface PciDeviceReport {
  /** PCI address, e.g. `0000:81:00.1`. */
  readonly address: string;
  /** Vendor id, four hex digits lower case. */
  readonly vendorId: string;
  /** Product id, four hex digits lower case. */
  readonly productId: string;
  /** A whole device, an SR-IOV physical function or one of its virtual functions. */
  readonly devType: "type-PCI" | "type-PF" | "type-VF";
  /** For a VF: the address of its PF. */
  readonly parentAddress?: string;
  /** Neutron physical network the NIC is wired to (SR-IOV). */
  readonly physicalNetwork?: string;
  /** NUMA node the device hangs off, when the platform says. */
  readonly numaNode?: number;
  /** True while an instance holds the device. */
  readonly allocated: boolean;
}

/** A host aggregate the node is a member of. */
export interface AggregateReport {
  /** Aggregate UUID (mirrored to Placement as a provider aggregate). */
  readonly uuid: string;
  /** Name as an operator sees it. */
  readonly name: string;
  /** Metadata (AggregateInstanceExtraSpecsFilter). */
  readonly metadata: Readonly<Record<string, string>>;
}

/** The compute service behind the node. */
export interface ServiceReport {
  /** False when an operator disabled the service. */
  readonly enabled: boolean;
  /** True when an operator forced it down (Nova's forced_down). */
  readonly forcedDown: boolean;
  /** Last heartbeat, milliseconds since the epoch. */
  readonly updatedAt: number;
}

/** Everything one compute node reports. */
export interface HypervisorReport {
  /** The compute service host name. */
  readonly hostname: string;
  /** The hypervisor node name; the root provider's name in Placement. */
  readonly hypervisorHostname: string;
  /** The compute node UUID; the root provider's UUID in Placement. */
  readonly nodeUuid: string;
  /** The cell the node is in. */
  readonly cell: string;
  /** Physical CPUs usable by guests. */
  readonly vcpus: number;
  /**
   * Host CPUs set aside for pinned guests (`[compute] cpu_dedicated_set`): reported as PCPU, never
   * overcommitted. `vcpus` then counts the shared CPUs only, as Nova's libvirt driver reports them.
   */
  readonly pcpus?: number;
  /** RAM in MiB. */
  readonly memoryMb: number;
  /** Local disk in GiB. */
  readonly localGb: number;
  /** Amounts kept for the host (Nova's reserved_host_cpus, _memory_mb, _disk_mb). */
  readonly reserved: { readonly vcpus: number; readonly memoryMb: number; readonly diskMb: number };
  /** Overcommit ratios from the compute's configuration. */
  readonly allocationRatios: { readonly cpu: number; readonly ram: number; readonly disk: number };
  /** CPU feature and capability traits the driver reports (`HW_CPU_X86_AVX2`, `COMPUTE_*`). */
  readonly traits: readonly string[];
  /** NUMA cells with CPUs, memory, page pools and what instances hold; empty without NUMA. */
  readonly numaCells: readonly HostNumaCell[];
  /** PCI devices the node offers (PFs, their VFs, whole devices). */
  readonly pciDevices: readonly PciDeviceReport[];
  /** Availability zone of the node. */
  readonly availabilityZone: string;
  /** Host aggregates the node belongs to. */
  readonly aggregates: readonly AggregateReport[];
  /** The compute service's state and heartbeat. */
  readonly service: ServiceReport;
  /** Instances on the node, by UUID. */
  readonly instances: readonly string[];
  /** Instances in a build, resize, snapshot, migrate, rescue or unshelve task. */
  readonly numIoOps: number;
  /** Consecutive failed builds since the last success. */
  readonly failedBuilds: number;
  /** Hypervisor type, e.g. `QEMU`. */
  readonly hypervisorType: string;
  /** Hypervisor version encoded as major * 1_000_000 + minor * 1_000 + micro. */
  readonly hypervisorVersion: number;
  /** CPU architecture, e.g. `x86_64`. */
  readonly cpuArch: string;
  /** Instance types the node runs. */
  readonly supportedInstances: readonly SupportedInstance[];
}
