/**
 * The provider tree a report describes, following Nova's conventions: one root provider per
 * compute node (its UUID and hypervisor host name) with VCPU, MEMORY_MB and DISK_GB, and one
 * child per physical PCI device named `<hypervisor host name>_<PCI address>` (as Nova's PCI in
 * Placement): a PF with VFs offers SRIOV_NET_VF (one per VF), a whole device or a PF without VFs
 * offers PCI_DEVICE: 1. Children carry COMPUTE_MANAGED_PCI_DEVICE, `CUSTOM_PCI_<VENDOR>_<PRODUCT>`
 * and, for NICs, Neutron's `CUSTOM_PHYSNET_<NAME>`.
 */
import { createHash } from "node:crypto";
import type { InventoryInput } from "../placement/model.js";
import type { HypervisorReport, PciDeviceReport } from "./hypervisor-report.js";

/** One provider as the report wants it. */
export interface DesiredProvider {
  /** Provider UUID (the node UUID for the root, derived from it and the PCI address for children). */
  readonly uuid: string;
  /** Provider name. */
  readonly name: string;
  /** Parent UUID; null for the root. */
  readonly parentUuid: string | null;
  /** Inventories per resource class. */
  readonly inventories: Readonly<Record<string, InventoryInput>>;
  /** Traits the report owns on this provider. */
  readonly traits: readonly string[];
  /** Aggregate UUIDs (root only; children have none). */
  readonly aggregates: readonly string[];
  /** The PCI devices behind a child provider (empty for the root). */
  readonly devices: readonly PciDeviceReport[];
}

/** `CUSTOM_PHYSNET_<NAME>`: Neutron's trait for a physical network (upper case, `_` for others). */
export function physnetTrait(physnet: string): string {
  return `CUSTOM_PHYSNET_${customPart(physnet)}`;
}

/** `CUSTOM_PCI_<VENDOR>_<PRODUCT>`: the trait naming a device model. */
export function pciModelTrait(vendorId: string, productId: string): string {
  return `CUSTOM_PCI_${customPart(vendorId)}_${customPart(productId)}`;
}

/** A stable UUID for the child provider of `address` under `rootUuid` (name-based, v5 layout). */
export function pciProviderUuid(rootUuid: string, address: string): string {
  const h = createHash("sha1").update(`${rootUuid}/pci/${address}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** The name prefix of the children a node's reports own (`<hypervisor host name>_`). */
export function pciProviderPrefix(report: HypervisorReport): string {
  return `${report.hypervisorHostname}_`;
}

/** The root and PCI children the report describes, root first. Pure. */
export function desiredTree(report: HypervisorReport): DesiredProvider[] {
  const r = report;
  const inventories: Record<string, InventoryInput> = {
    VCPU: { total: r.vcpus, reserved: r.reserved.vcpus, max_unit: r.vcpus, allocation_ratio: r.allocationRatios.cpu },
    MEMORY_MB: {
      total: r.memoryMb,
      reserved: r.reserved.memoryMb,
      max_unit: r.memoryMb,
      allocation_ratio: r.allocationRatios.ram,
    },
  };
  // Pinned CPUs are their own class, always at ratio 1 (Nova's PCPU inventory).
  if ((r.pcpus ?? 0) > 0) {
    inventories["PCPU"] = { total: r.pcpus!, reserved: 0, max_unit: r.pcpus!, allocation_ratio: 1 };
  }
  // As Nova's libvirt driver: no DISK_GB inventory when the node has no local disk.
  if (r.localGb > 0) {
    inventories["DISK_GB"] = {
      total: r.localGb,
      reserved: Math.min(r.localGb, Math.ceil(r.reserved.diskMb / 1024)),
      max_unit: r.localGb,
      allocation_ratio: r.allocationRatios.disk,
    };
  }
  const rootTraits = new Set(r.traits);
  if (!r.service.enabled) rootTraits.add("COMPUTE_STATUS_DISABLED");
  const root: DesiredProvider = {
    uuid: r.nodeUuid,
    name: r.hypervisorHostname,
    parentUuid: null,
    inventories,
    traits: [...rootTraits].sort(),
    aggregates: [...new Set(r.aggregates.map((a) => a.uuid))].sort(),
    devices: [],
  };
  return [root, ...pciChildren(r)];
}

function pciChildren(r: HypervisorReport): DesiredProvider[] {
  // VFs are grouped under their PF; everything else is a physical device of its own.
  const byPhysical = new Map<string, PciDeviceReport[]>();
  for (const d of r.pciDevices) {
    const physical = d.devType === "type-VF" ? (d.parentAddress ?? d.address) : d.address;
    const list = byPhysical.get(physical) ?? [];
    list.push(d);
    byPhysical.set(physical, list);
  }
  const out: DesiredProvider[] = [];
  for (const [address, devices] of [...byPhysical].sort(([a], [b]) => a.localeCompare(b))) {
    const vfs = devices.filter((d) => d.devType === "type-VF");
    const offered = vfs.length > 0 ? vfs : devices;
    const traits = new Set(["COMPUTE_MANAGED_PCI_DEVICE"]);
    for (const d of offered) {
      traits.add(pciModelTrait(d.vendorId, d.productId));
      if (d.physicalNetwork !== undefined) traits.add(physnetTrait(d.physicalNetwork));
    }
    out.push({
      uuid: pciProviderUuid(r.nodeUuid, address),
      name: `${pciProviderPrefix(r)}${address}`,
      parentUuid: r.nodeUuid,
      inventories:
        vfs.length > 0 ? { SRIOV_NET_VF: { total: vfs.length, max_unit: vfs.length } } : { PCI_DEVICE: { total: 1 } },
      traits: [...traits].sort(),
      aggregates: [],
      devices: offered,
    });
  }
  return out;
}

function customPart(text: string): string {
  return text.toUpperCase().replace(/[^A-Z0-9_]/g, "_");
}
