// generated, do not edit.
// Source: os-resource-classes 1.1.0, by packages/scheduler/scripts/gen-traits.py.
// Regenerate: /usr/bin/python3 packages/scheduler/scripts/gen-traits.py

/** Version of os-resource-classes this list was generated from. */
export const RESOURCE_CLASSES_SOURCE_VERSION = "1.1.0";

/** Standard resource classes, in os-resource-classes order (the order is their id). */
export const STANDARD_RESOURCE_CLASSES = [
  "VCPU",
  "MEMORY_MB",
  "DISK_GB",
  "PCI_DEVICE",
  "SRIOV_NET_VF",
  "NUMA_SOCKET",
  "NUMA_CORE",
  "NUMA_THREAD",
  "NUMA_MEMORY_MB",
  "IPV4_ADDRESS",
  "VGPU",
  "VGPU_DISPLAY_HEAD",
  "NET_BW_EGR_KILOBIT_PER_SEC",
  "NET_BW_IGR_KILOBIT_PER_SEC",
  "PCPU",
  "MEM_ENCRYPTION_CONTEXT",
  "FPGA",
  "PGPU",
  "NET_PACKET_RATE_KILOPACKET_PER_SEC",
  "NET_PACKET_RATE_EGR_KILOPACKET_PER_SEC",
  "NET_PACKET_RATE_IGR_KILOPACKET_PER_SEC",
] as const;

/** One of STANDARD_RESOURCE_CLASSES. */
export type StandardResourceClass = (typeof STANDARD_RESOURCE_CLASSES)[number];
