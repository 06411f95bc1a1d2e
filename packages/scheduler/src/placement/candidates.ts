import { getOrCreate } from "./map-util.js";
import { capacityOf } from "./model.js";
import type { ProviderNode } from "./provider-store.js";
import type { CandidatesQuery } from "./query.js";
import type { PlacementState } from "./state.js";
import { allowedRoots, buildSlots, fits, type Slot, unsuffixedTraitsHold } from "./viable.js";

/** One allocation request of GET /allocation_candidates (microversion 1.34+ shape). */
export interface AllocationRequest {
  /** Amounts per provider UUID, ready to PUT as the consumer's allocations. */
  readonly allocations: Record<string, { resources: Record<string, number> }>;
  /** Provider UUIDs per request group suffix ("" for the unsuffixed group). */
  readonly mappings: Record<string, string[]>;
}

/** Summary of one provider of a tree that appears in the allocation requests. */
export interface ProviderSummary {
  /** Capacity and usage of every resource class the provider has inventory of. */
  readonly resources: Record<string, { capacity: number; used: number }>;
  /** The provider's traits, sorted. */
  readonly traits: string[];
  /** Parent UUID, or null for a root. */
  readonly parent_provider_uuid: string | null;
  /** Root UUID of the provider's tree. */
  readonly root_provider_uuid: string;
}

/** The body of GET /allocation_candidates. */
export interface AllocationCandidates {
  /** Ways to satisfy the request, at most `limit` of them. */
  readonly allocation_requests: AllocationRequest[];
  /** Every provider of every tree that appears in `allocation_requests`. */
  readonly provider_summaries: Record<string, ProviderSummary>;
}

/** Caps that keep candidate generation bounded on wide or deep trees. */
export interface CandidateLimits {
  /** Most allocation requests produced from one tree (default 1,000). */
  readonly maxCandidatesPerTree?: number;
  /** Most provider picks explored in one tree before giving up on it (default 100,000). */
  readonly maxStepsPerTree?: number;
}

/**
 * Computes allocation candidates for a parsed query. Viable providers are found per request group
 * and tree from the indexes first; groups are then combined tree by tree, depth first, checking
 * capacity of summed amounts, group_policy and same_subtree at each pick. `limit` and the
 * per-tree caps stop the enumeration itself. Picks of identical granular groups are kept in
 * provider order, so mirror-image permutations (same allocations, swapped mappings) are produced once.
 */
export function allocationCandidates(
  state: PlacementState,
  query: CandidatesQuery,
  limits: CandidateLimits = {},
): AllocationCandidates {
  const maxPerTree = limits.maxCandidatesPerTree ?? 1000;
  const maxSteps = limits.maxStepsPerTree ?? 100_000;
  let remaining = query.limit ?? Number.POSITIVE_INFINITY;
  const roots = allowedRoots(state, query);
  const slots = buildSlots(state, query, roots);
  const requests: AllocationRequest[] = [];
  const summaries: Record<string, ProviderSummary> = {};
  // Roots every slot can serve, scanning the slot with fewest trees.
  const smallest = slots.reduce((a, b) => (b.byRoot.size < a.byRoot.size ? b : a));
  for (const root of smallest.byRoot.keys()) {
    if (remaining <= 0) break;
    const lists = slots.map((s) => s.byRoot.get(root));
    if (lists.some((l) => l === undefined)) continue;
    const found = combineTree(
      state,
      query,
      slots,
      lists as ProviderNode[][],
      Math.min(maxPerTree, remaining),
      maxSteps,
    );
    if (found.length === 0) continue;
    requests.push(...found);
    remaining -= found.length;
    summarizeTree(state, root, summaries);
  }
  return { allocation_requests: requests, provider_summaries: summaries };
}

function combineTree(
  state: PlacementState,
  query: CandidatesQuery,
  slots: readonly Slot[],
  lists: ProviderNode[][],
  cap: number,
  maxSteps: number,
): AllocationRequest[] {
  // Fewest choices first prunes earliest; ties keep query order so identical groups stay adjacent.
  const order = slots.map((_, i) => i).sort((a, b) => lists[a]!.length - lists[b]!.length || a - b);
  const isolate = query.groupPolicy === "isolate";
  const picks: (ProviderNode | undefined)[] = new Array(slots.length);
  const pickIndex: number[] = new Array(slots.length).fill(-1);
  const amounts = new Map<ProviderNode, Map<string, number>>();
  const out: AllocationRequest[] = [];
  let steps = 0;

  const lastSameKey = (depth: number): number => {
    const key = slots[order[depth]!]!.symmetryKey;
    for (let d = depth - 1; d >= 0; d--) if (slots[order[d]!]!.symmetryKey === key) return pickIndex[order[d]!]!;
    return -1;
  };
  const isolationHolds = (slot: Slot, node: ProviderNode): boolean => {
    if (!isolate || slot.suffix === "") return true;
    return slots.every((s, i) => s.suffix === "" || s.group === slot.group || picks[i] !== node);
  };
  const dfs = (depth: number): void => {
    if (out.length >= cap || steps > maxSteps) return;
    if (depth === order.length) {
      if (leafHolds(state, query, slots, picks as ProviderNode[])) out.push(toRequest(slots, picks as ProviderNode[]));
      return;
    }
    const si = order[depth]!;
    const slot = slots[si]!;
    const list = lists[si]!;
    const floor = lastSameKey(depth);
    const start = floor < 0 ? 0 : isolate && slot.suffix !== "" ? floor + 1 : floor;
    for (let i = start; i < list.length; i++) {
      if (++steps > maxSteps || out.length >= cap) return;
      const node = list[i]!;
      const m = amounts.get(node);
      if (!slot.resources.every(([rc, n]) => fits(node, rc, n, m?.get(rc) ?? 0))) continue;
      if (!isolationHolds(slot, node)) continue;
      const held = getOrCreate(amounts, node, () => new Map<string, number>());
      for (const [rc, n] of slot.resources) held.set(rc, (held.get(rc) ?? 0) + n);
      picks[si] = node;
      pickIndex[si] = i;
      dfs(depth + 1);
      for (const [rc, n] of slot.resources) held.set(rc, held.get(rc)! - n);
      picks[si] = undefined;
      pickIndex[si] = -1;
    }
  };
  dfs(0);
  return out;
}

function leafHolds(
  state: PlacementState,
  query: CandidatesQuery,
  slots: readonly Slot[],
  picks: ProviderNode[],
): boolean {
  const unsuffixed = query.groups[0]?.suffix === "" ? query.groups[0] : undefined;
  if (
    unsuffixed !== undefined &&
    !unsuffixedTraitsHold(
      unsuffixed,
      picks.filter((_, i) => slots[i]!.suffix === ""),
    )
  ) {
    return false;
  }
  for (const suffixes of query.sameSubtree) {
    const chosen = picks.filter((_, i) => suffixes.includes(slots[i]!.suffix));
    if (!chosen.some((top) => chosen.every((p) => isDescendantOrSelf(state, p, top.uuid)))) return false;
  }
  return true;
}

function isDescendantOrSelf(state: PlacementState, node: ProviderNode, ancestor: string): boolean {
  for (
    let n: ProviderNode | undefined = node;
    n !== undefined;
    n = n.parentUuid === null ? undefined : state.peek(n.parentUuid)
  ) {
    if (n.uuid === ancestor) return true;
  }
  return false;
}

function toRequest(slots: readonly Slot[], picks: ProviderNode[]): AllocationRequest {
  const allocations: Record<string, { resources: Record<string, number> }> = {};
  const mappings: Record<string, string[]> = {};
  slots.forEach((slot, i) => {
    const node = picks[i]!;
    const entry = allocations[node.uuid] ?? { resources: {} };
    allocations[node.uuid] = entry;
    const res = entry.resources;
    for (const [rc, n] of slot.resources) res[rc] = (res[rc] ?? 0) + n;
    const mapped = mappings[slot.suffix] ?? [];
    mappings[slot.suffix] = mapped;
    if (!mapped.includes(node.uuid)) mapped.push(node.uuid);
  });
  return { allocations, mappings };
}

function summarizeTree(state: PlacementState, root: string, into: Record<string, ProviderSummary>): void {
  const stack = [root];
  while (stack.length > 0) {
    const node = state.peek(stack.pop()!);
    if (node === undefined) continue;
    const resources: Record<string, { capacity: number; used: number }> = {};
    for (const [rc, inv] of node.inventories)
      resources[rc] = { capacity: capacityOf(inv), used: node.usages.get(rc) ?? 0 };
    into[node.uuid] = {
      resources,
      traits: [...node.traits].sort(),
      parent_provider_uuid: node.parentUuid,
      root_provider_uuid: node.rootUuid,
    };
    stack.push(...node.children);
  }
}
