/**
 * Whether PCI requests can be met from a host's pools, optionally restricted by the NUMA cells
 * the guest landed on (Nova's PciDeviceStats.support_requests with numa_cells). Greedy per
 * request in order, as Nova: each request takes from the pools it matches, best-placed first.
 */
import type { PciDevicePool } from "./host-state.js";
import type { PciDeviceSpec, PciRequest } from "./request-spec.js";

/** Where each request's devices come from: pool index and count taken. */
export interface PciAssignment {
  /** Per request (same order as asked), the pools used and how many devices each. */
  readonly perRequest: readonly (readonly { readonly pool: number; readonly count: number }[])[];
}

/** The fit, or the reason there is none. */
export type PciFitResult =
  | { readonly ok: true; readonly assignment: PciAssignment }
  | { readonly ok: false; readonly reason: string };

function matches(pool: PciDevicePool, spec: PciDeviceSpec): boolean {
  return (
    (spec.vendorId === undefined || spec.vendorId === pool.vendorId) &&
    (spec.productId === undefined || spec.productId === pool.productId) &&
    (spec.devType === undefined || spec.devType === pool.devType) &&
    (spec.physicalNetwork === undefined || spec.physicalNetwork === pool.physicalNetwork)
  );
}

/** 0 = on one of the guest's cells, 1 = no NUMA information, 2 = another cell. */
function placement(pool: PciDevicePool, cells: readonly number[]): 0 | 1 | 2 {
  if (pool.numaNode === undefined) return 1;
  return cells.includes(pool.numaNode) ? 0 : 2;
}

/**
 * Fits `requests` onto `pools`. With `numaCells` (the host cells of the guest's NUMA fit),
 * `required` takes only pools on those cells, `legacy` also pools without NUMA information,
 * `preferred` any pool but those cells first. Without `numaCells` every matching pool counts.
 * Pure: the pools are not changed.
 */
export function fitPciRequests(
  pools: readonly PciDevicePool[],
  requests: readonly PciRequest[],
  numaCells?: readonly number[],
): PciFitResult {
  const short = requests.length === 1 ? shortfall(pools, requests[0]!, numaCells) : 0;
  if (short > 0) return { ok: false, reason: reasonFor(requests[0]!, requests[0]!.count - short, numaCells) };
  const free = new Int32Array(pools.length);
  for (let i = 0; i < pools.length; i++) free[i] = pools[i]!.count;
  const perRequest: { pool: number; count: number }[][] = [];
  for (const request of requests) {
    let needed = request.count;
    const taken: { pool: number; count: number }[] = [];
    // Pass 0 takes pools on the guest's cells, 1 pools without NUMA information, 2 the rest;
    // the policy decides which passes run. Without NUMA cells one pass takes any matching pool.
    const passes =
      numaCells === undefined ? 1 : request.numaPolicy === "required" ? 1 : request.numaPolicy === "legacy" ? 2 : 3;
    for (let pass = 0; pass < passes && needed > 0; pass++) {
      for (let i = 0; i < pools.length && needed > 0; i++) {
        const pool = pools[i]!;
        if (free[i]! === 0 || (numaCells !== undefined && placement(pool, numaCells) !== pass)) continue;
        if (!request.specs.some((s) => matches(pool, s))) continue;
        const n = Math.min(needed, free[i]!);
        free[i]! -= n;
        needed -= n;
        taken.push({ pool: i, count: n });
      }
    }
    if (needed > 0) {
      const where =
        numaCells === undefined ? "" : ` on NUMA cells [${[...numaCells].join(",")}] (policy ${request.numaPolicy})`;
      return {
        ok: false,
        reason: `PCI request '${request.source}' needs ${request.count} device(s), ${request.count - needed} free${where}`,
      };
    }
    perRequest.push(taken);
  }
  return { ok: true, assignment: { perRequest } };
}

/**
 * Whether `requests` fit `pools` with the guest on host cell `cell` alone: equal to
 * `fitPciRequests(pools, requests, [cell]).ok`, without allocating for the one-request case.
 */
export function pciFitsOnCell(pools: readonly PciDevicePool[], requests: readonly PciRequest[], cell: number): boolean {
  if (requests.length !== 1) return fitPciRequests(pools, requests, [cell]).ok;
  const request = requests[0]!;
  const passes = request.numaPolicy === "required" ? 1 : request.numaPolicy === "legacy" ? 2 : 3;
  let have = 0;
  for (const pool of pools) {
    if (pool.count === 0) continue;
    const where = pool.numaNode === undefined ? 1 : pool.numaNode === cell ? 0 : 2;
    if (where >= passes) continue;
    for (const spec of request.specs) {
      if (matches(pool, spec)) {
        have += pool.count;
        break;
      }
    }
  }
  return have >= request.count;
}

/** How many placement passes the request's policy allows (see `fitPciRequests`). */
function passesFor(request: PciRequest, numaCells: readonly number[] | undefined): number {
  if (numaCells === undefined || request.numaPolicy === "required") return 1;
  return request.numaPolicy === "legacy" ? 2 : 3;
}

/** Devices missing for one request alone, without allocating (the filter's common case). */
function shortfall(
  pools: readonly PciDevicePool[],
  request: PciRequest,
  numaCells: readonly number[] | undefined,
): number {
  const passes = passesFor(request, numaCells);
  let have = 0;
  for (const pool of pools) {
    if (pool.count === 0) continue;
    if (numaCells !== undefined && placement(pool, numaCells) >= passes) continue;
    if (request.specs.some((s) => matches(pool, s))) have += pool.count;
  }
  return Math.max(0, request.count - have);
}

function reasonFor(request: PciRequest, free: number, numaCells: readonly number[] | undefined): string {
  const where = numaCells === undefined ? "" : ` on NUMA cells [${numaCells.join(",")}] (policy ${request.numaPolicy})`;
  return `PCI request '${request.source}' needs ${request.count} device(s), ${free} free${where}`;
}
