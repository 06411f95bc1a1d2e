/**
 * What is asked for (Nova's RequestSpec): a flavor, an image, placement constraints, a server
 * group, hints, and the NUMA and PCI requests derived from extra specs (see `buildRequestSpec`).
 */

/** The flavor of the instances to place. */
export interface Flavor {
  /** Flavor name, for messages only. */
  readonly name: string;
  /** Guest vCPUs. */
  readonly vcpus: number;
  /** Guest RAM in MiB. */
  readonly memoryMb: number;
  /** Root disk in GiB. */
  readonly rootGb: number;
  /** Ephemeral disk in GiB. */
  readonly ephemeralGb: number;
  /** Swap in MiB. */
  readonly swapMb: number;
  /** Extra specs (`hw:cpu_policy`, `aggregate_instance_extra_specs:ssd`, `capabilities:...`). */
  readonly extraSpecs: Readonly<Record<string, string>>;
}

/** The image to boot. */
export interface ImageRef {
  /** Image id, matched against the isolated images list; undefined for volume-backed boots. */
  readonly id?: string;
  /** Image properties (`hw_architecture`, `img_hv_type`, `hw_vm_mode`, `hw_numa_nodes`, ...). */
  readonly properties: Readonly<Record<string, string>>;
}

/** Server group policy names as Nova spells them. */
export type ServerGroupPolicy = "affinity" | "anti-affinity" | "soft-affinity" | "soft-anti-affinity";

/** The server group the instances join. */
export interface ServerGroupSpec {
  /** The group's policy. */
  readonly policy: ServerGroupPolicy;
  /** Hosts already running members of the group. */
  readonly hosts: readonly string[];
  /** UUIDs of the group's members (matched against `HostState.instances`). */
  readonly members: readonly string[];
  /** For anti-affinity: how many members one host may run (Nova's rule, default 1). */
  readonly maxServerPerHost?: number;
}

/** One guest NUMA cell to place on a distinct host cell. */
export interface GuestNumaCell {
  /** Guest cell index. */
  readonly id: number;
  /** Guest vCPUs in this cell. */
  readonly vcpus: number;
  /** Guest memory of this cell in MiB. */
  readonly memoryMb: number;
}

/** The guest NUMA topology derived from `hw:numa_nodes`, `hw:cpu_policy`, `hw:mem_page_size`. */
export interface GuestNumaTopology {
  /** Guest cells; each is fitted onto its own host cell. */
  readonly cells: readonly GuestNumaCell[];
  /** True for `hw:cpu_policy=dedicated`: every vCPU is pinned to its own free host CPU. */
  readonly dedicatedCpus: boolean;
  /** Page size request: a size in KiB, or `small`/`large`/`any`; undefined when none asked. */
  readonly pageSize?: number | "small" | "large" | "any";
}

/** NUMA affinity policy of a PCI request (Nova's `hw:pci_numa_affinity_policy`). */
export type PciNumaPolicy = "required" | "legacy" | "preferred";

/** One PCI request: `count` devices matching any of `specs`. */
export interface PciRequest {
  /** Where it came from: the alias name, or `sriov:<physnet>` for a port. */
  readonly source: string;
  /** Devices wanted. */
  readonly count: number;
  /** Acceptable devices; a pool matches when every field given here equals the pool's. */
  readonly specs: readonly PciDeviceSpec[];
  /** How strictly the devices must share NUMA cells with the guest. */
  readonly numaPolicy: PciNumaPolicy;
}

/** A device description a pool must match. */
export interface PciDeviceSpec {
  /** PCI vendor id (lower-case hex). */
  readonly vendorId?: string;
  /** PCI product id (lower-case hex). */
  readonly productId?: string;
  /** Device type. */
  readonly devType?: "type-PCI" | "type-PF" | "type-VF";
  /** Physical network (SR-IOV ports). */
  readonly physicalNetwork?: string;
}

/** Scheduler hints (`os:scheduler_hints`). */
export interface SchedulerHints {
  /** Instance UUIDs the new instances must share a host with (SameHostFilter). */
  readonly sameHost?: readonly string[];
  /** Instance UUIDs the new instances must not share a host with (DifferentHostFilter). */
  readonly differentHost?: readonly string[];
}

/** A complete request, as the selector consumes it. Build one with `buildRequestSpec`. */
export interface RequestSpec {
  /** The flavor. */
  readonly flavor: Flavor;
  /** The image. */
  readonly image: ImageRef;
  /** The requested availability zone; undefined means any. */
  readonly availabilityZone?: string;
  /** The server group, when the instances join one. */
  readonly serverGroup?: ServerGroupSpec;
  /** Scheduler hints. */
  readonly hints: SchedulerHints;
  /** How many instances to place (each gets a host and alternates). */
  readonly numInstances: number;
  /** UUIDs of the instances being placed, one per instance when known. */
  readonly instanceUuids: readonly string[];
  /** Hosts never to use (Nova's ignore_hosts). */
  readonly ignoreHosts: readonly string[];
  /** When non-empty, only these hosts, and filters are skipped (Nova's force_hosts). */
  readonly forceHosts: readonly string[];
  /** The guest NUMA topology, when the flavor or image asks for one. */
  readonly numaTopology?: GuestNumaTopology;
  /** PCI requests from `pci_passthrough:alias` and SR-IOV ports. */
  readonly pciRequests: readonly PciRequest[];
}
