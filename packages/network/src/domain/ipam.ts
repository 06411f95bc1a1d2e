/**
 * IP address management rules, pure: default allocation pools, pool validation as Neutron does it,
 * and picking the next free address of a subnet's pools.
 */
import { neutronError } from "./faults.js";
import { type Cidr, cidrContains, formatCidr, formatIp, lastOf, parseIp } from "./ip.js";
import type { AllocationPool } from "./model.js";

interface Range {
  readonly first: bigint;
  readonly last: bigint;
}

/** The addresses a pool may use in `cidr`: IPv4 skips network and broadcast (unless /31, /32); IPv6 skips the subnet-router anycast. */
export function usableRange(cidr: Cidr): Range {
  const last = lastOf(cidr);
  if (cidr.version === 4 && cidr.prefix >= 31) return { first: cidr.network, last };
  return { first: cidr.network + 1n, last: cidr.version === 4 ? last - 1n : last };
}

/** Neutron's default pools: the usable range of `cidr` minus the gateway (which may split it). */
export function defaultAllocationPools(cidr: Cidr, gateway: string | null): AllocationPool[] {
  const { first, last } = usableRange(cidr);
  const gw = gateway === null ? null : parseIp(gateway);
  const ranges: Range[] = [];
  if (gw === null || gw.value < first || gw.value > last) ranges.push({ first, last });
  else {
    if (gw.value > first) ranges.push({ first, last: gw.value - 1n });
    if (gw.value < last) ranges.push({ first: gw.value + 1n, last });
  }
  return ranges.map((r) => ({ start: formatIp(cidr.version, r.first), end: formatIp(cidr.version, r.last) }));
}

const poolText = (p: AllocationPool): string => `${p.start}-${p.end}`;

/**
 * Validates given pools against the subnet: each a valid range of the subnet's family (400
 * InvalidAllocationPool), inside the usable range (400 OutOfBoundsAllocationPool), not overlapping
 * (409 OverlappingAllocationPools), not holding the gateway (409 GatewayConflictWithAllocationPools).
 * Returns the pools in canonical text.
 */
export function validateAllocationPools(cidr: Cidr, pools: readonly AllocationPool[], gateway: string | null) {
  const usable = usableRange(cidr);
  const ranges = pools.map((p) => {
    const start = parseIp(p.start);
    const end = parseIp(p.end);
    if (start === null || end === null || start.version !== cidr.version || end.version !== cidr.version)
      throw neutronError("bad_request", "InvalidAllocationPool", `The allocation pool ${poolText(p)} is not valid.`);
    if (start.value > end.value)
      throw neutronError("bad_request", "InvalidAllocationPool", `The allocation pool ${poolText(p)} is not valid.`);
    if (start.value < usable.first || end.value > usable.last)
      throw neutronError(
        "bad_request",
        "OutOfBoundsAllocationPool",
        `The allocation pool ${poolText(p)} spans beyond the subnet cidr ${formatCidr(cidr)}.`,
      );
    return {
      first: start.value,
      last: end.value,
      pool: { start: formatIp(cidr.version, start.value), end: formatIp(cidr.version, end.value) },
    };
  });
  for (const [i, a] of ranges.entries())
    for (const b of ranges.slice(i + 1))
      if (a.first <= b.last && b.first <= a.last)
        throw neutronError(
          "conflict",
          "OverlappingAllocationPools",
          `Found overlapping allocation pools: ${poolText(a.pool)} ${poolText(b.pool)} for subnet ${formatCidr(cidr)}.`,
        );
  const gw = gateway === null ? null : parseIp(gateway);
  if (gw !== null)
    for (const r of ranges)
      if (gw.value >= r.first && gw.value <= r.last)
        throw neutronError(
          "conflict",
          "GatewayConflictWithAllocationPools",
          `Gateway ip ${gateway} conflicts with allocation pool ${poolText(r.pool)}.`,
        );
  return ranges.map((r) => r.pool);
}

/** Whether `ip` is an address of `pools`. */
export function inPools(pools: readonly AllocationPool[], ip: string): boolean {
  const a = parseIp(ip);
  if (a === null) return false;
  return pools.some((p) => {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    return s !== null && e !== null && a.value >= s.value && a.value <= e.value;
  });
}

/** Whether `ip` may be allocated on a subnet of `cidr` (inside it, not its network/broadcast address). */
export function validForSubnet(cidr: Cidr, ip: string): boolean {
  const a = parseIp(ip);
  if (a === null || !cidrContains(cidr, a)) return false;
  const { first, last } = usableRange(cidr);
  return a.value >= first && a.value <= last;
}

/** The lowest address of `pools` not in `taken` (canonical texts), or null when the pools are full. */
export function nextFreeAddress(
  version: 4 | 6,
  pools: readonly AllocationPool[],
  taken: ReadonlySet<string>,
): string | null {
  for (const p of pools) {
    const s = parseIp(p.start);
    const e = parseIp(p.end);
    if (s === null || e === null) continue;
    // at most taken.size + 1 probes per pool are needed before a free one appears
    for (let v = s.value, probes = 0; v <= e.value && probes <= taken.size; v++, probes++) {
      const text = formatIp(version, v);
      if (!taken.has(text)) return text;
    }
  }
  return null;
}
