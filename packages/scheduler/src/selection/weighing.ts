/**
 * Nova's weighing: each weigher's raw numbers are min-max normalized to [0, 1] across the hosts
 * (all equal gives 0), multiplied by its multiplier and summed. Ties break by host name, then
 * node name, so the order never depends on input order.
 */
import type { HostState } from "./host-state.js";
import type { HostWeigher } from "./plugin.js";
import type { RequestSpec } from "./request-spec.js";

/** A weigher with its multiplier. */
export interface WeigherWithMultiplier {
  /** The weigher. */
  readonly weigher: HostWeigher;
  /** Its multiplier; 0 skips the weigher entirely. */
  readonly multiplier: number;
}

/** A host with its total weight. */
export interface WeighedHost {
  /** The host. */
  readonly host: HostState;
  /** Sum over weighers of multiplier x normalized raw weight. */
  readonly weight: number;
}

/** Min-max normalizes `values` into `out` (allocated when absent); all equal gives zeros. */
export function normalize(values: ArrayLike<number>, out = new Float64Array(values.length)): Float64Array {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  for (let i = 0; i < values.length; i++) out[i] = range > 0 ? (values[i]! - min) / range : 0;
  return out;
}

/**
 * Total weights of `hosts`, index-aligned. Pure. Raw weights are read host by host (every
 * weigher on one host while it is in cache), then each weigher's column is normalized.
 */
export function weighHosts(
  hosts: readonly HostState[],
  spec: RequestSpec,
  weighers: readonly WeigherWithMultiplier[],
): Float64Array {
  const n = hosts.length;
  const active = weighers.filter((w) => w.multiplier !== 0);
  const total = new Float64Array(n);
  const raw = active.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const host = hosts[i]!;
    for (let w = 0; w < active.length; w++) raw[w]![i] = active[w]!.weigher.weigh(host, spec);
  }
  for (let w = 0; w < active.length; w++) {
    const column = normalize(raw[w]!, raw[w]!);
    const multiplier = active[w]!.multiplier;
    for (let i = 0; i < n; i++) total[i]! += multiplier * column[i]!;
  }
  return total;
}

/** Negative when host `a` (weight `wa`) ranks before `b`: heavier first, then by name. */
export function compareWeighed(a: HostState, wa: number, b: HostState, wb: number): number {
  if (wa !== wb) return wb - wa;
  if (a.host !== b.host) return a.host < b.host ? -1 : 1;
  if (a.nodename !== b.nodename) return a.nodename < b.nodename ? -1 : 1;
  return 0;
}

/** Every host with its weight, best first (a full sort). */
export function rankHosts(
  hosts: readonly HostState[],
  spec: RequestSpec,
  weighers: readonly WeigherWithMultiplier[],
): WeighedHost[] {
  const weights = weighHosts(hosts, spec, weighers);
  return hosts
    .map((host, i) => ({ host, weight: weights[i]! }))
    .sort((a, b) => compareWeighed(a.host, a.weight, b.host, b.weight));
}

/**
 * The best `k` indices of `hosts` by `weights` (best first) among those `accept` lets through.
 * One pass with a small sorted buffer: O(n k) worst, O(n) typical, no full sort.
 */
export function topIndices(
  hosts: readonly HostState[],
  weights: Float64Array,
  k: number,
  accept: (index: number) => boolean = () => true,
): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let i = 0; i < hosts.length; i++) {
    if (!accept(i)) continue;
    const host = hosts[i]!;
    const w = weights[i]!;
    if (best.length === k) {
      const last = best[k - 1]!;
      if (compareWeighed(host, w, hosts[last]!, weights[last]!) >= 0) continue;
      best.pop();
    }
    let pos = best.length;
    while (pos > 0) {
      const prev = best[pos - 1]!;
      if (compareWeighed(hosts[prev]!, weights[prev]!, host, w) <= 0) break;
      pos--;
    }
    best.splice(pos, 0, i);
  }
  return best;
}
