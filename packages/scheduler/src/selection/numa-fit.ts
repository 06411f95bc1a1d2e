/**
 * Fits a guest NUMA topology onto a host's cells (Nova's numa_fit_instance_to_host): each guest
 * cell gets its own host cell, with dedicated CPUs chosen from the cell's free CPUs, memory or
 * pages of the requested size from that cell, and (when PCI is asked) devices that the NUMA
 * policy allows from the chosen cells. The result is an actual assignment, found by trying host
 * cells for each guest cell in turn and backing out of dead ends.
 */
import type { HostNumaCell, HostState } from "./host-state.js";
import { fitPciRequests, type PciAssignment, pciFitsOnCell } from "./pci-fit.js";
import type { GuestNumaCell, GuestNumaTopology, PciRequest } from "./request-spec.js";

/** Where one guest cell went. */
export interface GuestCellPlacement {
  /** Guest cell id. */
  readonly guestCell: number;
  /** Host cell id. */
  readonly hostCell: number;
  /** Host CPUs the guest's vCPUs are pinned to (dedicated policy); empty when they float. */
  readonly pinnedCpus: readonly number[];
  /** Page size used, in KiB; undefined when memory was taken without a page request. */
  readonly pageSizeKb?: number;
}

/** A complete fit, or the reason there is none. */
export type NumaFitResult =
  | { readonly ok: true; readonly cells: readonly GuestCellPlacement[]; readonly pci?: PciAssignment }
  | { readonly ok: false; readonly reason: string };

function pageSizesToTry(cell: HostNumaCell, wanted: GuestNumaTopology["pageSize"]): number[] {
  const sizes = cell.mempages.map((p) => p.sizeKb).sort((a, b) => a - b);
  const smallest = sizes[0] ?? 4;
  if (wanted === "small") return [smallest];
  if (wanted === "large") return sizes.filter((s) => s > smallest).reverse();
  if (wanted === "any") return [...sizes.filter((s) => s > smallest).reverse(), smallest];
  return wanted === undefined ? [] : [wanted];
}

/** Dedicated CPUs from the free ones, whole free sibling sets first (the `prefer` thread policy). */
function chooseCpus(cell: HostNumaCell, count: number): number[] | undefined {
  const pinned = cell.pinnedCpus;
  if (cell.cpus.length - pinned.length < count) return undefined;
  const out: number[] = [];
  if (cell.siblings.length > 0) {
    for (const core of cell.siblings) {
      if (core.some((c) => pinned.includes(c) || !cell.cpus.includes(c))) continue;
      for (const c of core) if (out.length < count) out.push(c);
    }
  }
  for (const c of cell.cpus) {
    if (out.length === count) break;
    if (!pinned.includes(c) && !out.includes(c)) out.push(c);
  }
  return out.length === count ? out : undefined;
}

function pagesFit(cell: HostNumaCell, memoryMb: number, wanted: GuestNumaTopology["pageSize"]): number | undefined {
  const kb = memoryMb * 1024;
  for (const size of pageSizesToTry(cell, wanted)) {
    const pages = cell.mempages.find((p) => p.sizeKb === size);
    if (pages !== undefined && kb % size === 0 && pages.total - pages.used >= kb / size) return size;
  }
  return undefined;
}

/** The placement of `guest` on `cell`, or undefined; cheap, allocates only on success. */
function fitCell(
  host: HostState,
  guest: GuestNumaCell,
  cell: HostNumaCell,
  topology: GuestNumaTopology,
): GuestCellPlacement | undefined {
  let pinnedCpus: number[] = NO_CPUS;
  if (topology.dedicatedCpus) {
    const chosen = chooseCpus(cell, guest.vcpus);
    if (chosen === undefined) return undefined;
    pinnedCpus = chosen;
  } else if (guest.vcpus > cell.cpus.length) return undefined;
  if (topology.pageSize === undefined) {
    const ratio = topology.dedicatedCpus ? 1 : host.ramAllocationRatio;
    if (cell.memoryMb * ratio - cell.memoryUsedMb < guest.memoryMb) return undefined;
    return { guestCell: guest.id, hostCell: cell.id, pinnedCpus };
  }
  const size = pagesFit(cell, guest.memoryMb, topology.pageSize);
  return size === undefined ? undefined : { guestCell: guest.id, hostCell: cell.id, pinnedCpus, pageSizeKb: size };
}

/** Why `guest` does not fit `cell` (only built for hosts that end up removed). */
function whyNot(host: HostState, guest: GuestNumaCell, cell: HostNumaCell, topology: GuestNumaTopology): string {
  if (topology.dedicatedCpus && chooseCpus(cell, guest.vcpus) === undefined) {
    const free = cell.cpus.length - cell.pinnedCpus.length;
    return `cell ${cell.id} has ${free} free dedicated CPU(s), guest cell ${guest.id} needs ${guest.vcpus}`;
  }
  if (!topology.dedicatedCpus && guest.vcpus > cell.cpus.length) {
    return `cell ${cell.id} has ${cell.cpus.length} CPU(s), guest cell ${guest.id} has ${guest.vcpus}`;
  }
  if (topology.pageSize === undefined) {
    const ratio = topology.dedicatedCpus ? 1 : host.ramAllocationRatio;
    const avail = cell.memoryMb * ratio - cell.memoryUsedMb;
    return `cell ${cell.id} has ${avail} MiB free, guest cell ${guest.id} needs ${guest.memoryMb} MiB`;
  }
  return `cell ${cell.id} lacks ${guest.memoryMb} MiB of free pages of size ${String(topology.pageSize)}`;
}

const NO_CPUS: number[] = [];

/** Whether `guest` fits `cell`, without building the placement (no allocation). */
function cellFits(host: HostState, guest: GuestNumaCell, cell: HostNumaCell, topology: GuestNumaTopology): boolean {
  if (topology.dedicatedCpus) {
    // With sibling sets, chooseCpus decides; without, enough free CPUs is an assignment.
    if (cell.siblings.length > 0) return fitCell(host, guest, cell, topology) !== undefined;
    if (cell.cpus.length - cell.pinnedCpus.length < guest.vcpus) return false;
  } else if (guest.vcpus > cell.cpus.length) return false;
  if (topology.pageSize !== undefined) return pagesFit(cell, guest.memoryMb, topology.pageSize) !== undefined;
  const ratio = topology.dedicatedCpus ? 1 : host.ramAllocationRatio;
  return cell.memoryMb * ratio - cell.memoryUsedMb >= guest.memoryMb;
}

/**
 * Whether `topology` (and `pciRequests`) fit `host`: equal to `fitNumaTopology(...).ok`, and for
 * the common one-cell guest decided without building a placement (what filters need).
 */
export function numaTopologyFits(
  host: HostState,
  topology: GuestNumaTopology,
  pciRequests: readonly PciRequest[] = [],
): boolean {
  const cells = host.numaCells ?? [];
  const guests = topology.cells;
  const guest = guests[0];
  if (guests.length !== 1 || guest === undefined) return fitNumaTopology(host, topology, pciRequests).ok;
  for (const cell of cells) {
    if (!cellFits(host, guest, cell, topology)) continue;
    if (pciRequests.length > 0 && !pciFitsOnCell(host.pciPools, pciRequests, cell.id)) continue;
    // fitCell cannot fail now: without sibling sets, cellFits saw cpus - pinned >= vcpus, and the
    // CPUs chooseCpus finds free (listed, not pinned) are at least that many.
    return true;
  }
  return false;
}

/**
 * Fits `topology` (and `pciRequests`, if any) onto `host`. Pure and deterministic: the first
 * assignment in host cell order wins. A host without NUMA cells never fits a NUMA request.
 */
export function fitNumaTopology(
  host: HostState,
  topology: GuestNumaTopology,
  pciRequests: readonly PciRequest[] = [],
): NumaFitResult {
  const cells = host.numaCells ?? [];
  const guests = topology.cells;
  if (guests.length > cells.length) {
    return { ok: false, reason: `guest asks for ${guests.length} NUMA cell(s), host has ${cells.length}` };
  }
  const only = guests.length === 1 ? guests[0] : undefined;
  if (only !== undefined) return fitOneCell(host, only, topology, pciRequests);
  // Per guest cell, the host cells it fits alone (and why the others do not).
  const options: GuestCellPlacement[][] = [];
  for (const guest of guests) {
    const fits: GuestCellPlacement[] = [];
    for (const cell of cells) {
      const placement = fitCell(host, guest, cell, topology);
      if (placement !== undefined) fits.push(placement);
    }
    if (fits.length === 0) {
      const reasons = cells.map((cell) => whyNot(host, guest, cell, topology));
      return { ok: false, reason: `no host cell fits guest cell ${guest.id}: ${reasons.join("; ")}` };
    }
    options.push(fits);
  }
  let pciReason: string | undefined;
  const used = new Set<number>();
  const chosen: GuestCellPlacement[] = [];
  const search = (i: number): NumaFitResult | undefined => {
    if (i === guests.length) {
      if (pciRequests.length === 0) return { ok: true, cells: [...chosen] };
      const pci = fitPciRequests(
        host.pciPools,
        pciRequests,
        chosen.map((c) => c.hostCell),
      );
      if (pci.ok) return { ok: true, cells: [...chosen], pci: pci.assignment };
      pciReason ??= pci.reason;
      return undefined;
    }
    for (const option of options[i]!) {
      if (used.has(option.hostCell)) continue;
      used.add(option.hostCell);
      chosen.push(option);
      const found = search(i + 1);
      chosen.pop();
      used.delete(option.hostCell);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const found = search(0);
  if (found !== undefined) return found;
  return {
    ok: false,
    reason: pciReason ?? `no assignment of ${guests.length} guest cells to distinct host cells fits`,
  };
}

/** The common case of one guest cell: the first host cell that fits it (and its PCI) wins. */
function fitOneCell(
  host: HostState,
  guest: GuestNumaCell,
  topology: GuestNumaTopology,
  pciRequests: readonly PciRequest[],
): NumaFitResult {
  const cells = host.numaCells ?? [];
  let pciReason: string | undefined;
  let anyFit = false;
  for (const cell of cells) {
    if (!cellFits(host, guest, cell, topology)) continue;
    anyFit = true;
    // Decided without allocating first; the full PCI fit is built for the reason or the assignment.
    if (pciRequests.length > 0 && !pciFitsOnCell(host.pciPools, pciRequests, cell.id)) {
      if (pciReason === undefined) {
        const why = fitPciRequests(host.pciPools, pciRequests, [cell.id]);
        if (!why.ok) pciReason = why.reason;
      }
      continue;
    }
    const pci = pciRequests.length === 0 ? undefined : fitPciRequests(host.pciPools, pciRequests, [cell.id]);
    if (pci !== undefined && !pci.ok) continue;
    const placement = fitCell(host, guest, cell, topology);
    if (placement === undefined) continue;
    return pci === undefined ? { ok: true, cells: [placement] } : { ok: true, cells: [placement], pci: pci.assignment };
  }
  if (anyFit) return { ok: false, reason: pciReason ?? "no host cell fits the guest cell with its PCI devices" };
  const reasons = cells.map((cell) => whyNot(host, guest, cell, topology));
  return { ok: false, reason: `no host cell fits guest cell ${guest.id}: ${reasons.join("; ")}` };
}
