import { capacityOf } from "./model.js";
import type { ProviderNode } from "./provider-store.js";
import type { CandidatesQuery } from "./query.js";
import type { PlacementState } from "./state.js";
import { allowedRoots, buildSlots, fits, type Slot, treeOf, unsuffixedTraitsHold } from "./viable.js";

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
  /** Most allocation requests in all when the query has no `limit` (default 10,000; bounds memory). */
  readonly maxCandidates?: number;
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
  let remaining = query.limit ?? limits.maxCandidates ?? 10_000;
  const roots = allowedRoots(state, query);
  const slots = buildSlots(state, query);
  const combiner = new TreeCombiner(state, query, slots, limits.maxStepsPerTree ?? 100_000);
  const requests: AllocationRequest[] = [];
  const summaries: Record<string, ProviderSummary> = Object.create(null);
  // Trees are found from the most selective slot's index; the other slots are checked per tree.
  const seed = slots.reduce((a, b) => (b.scan.size < a.scan.size ? b : a));
  const seen = new Set<string>();
  for (const uuid of seed.scan) {
    if (remaining <= 0) break;
    const node = state.peek(uuid);
    if (node === undefined || seen.has(node.rootUuid) || !seed.accepts(node)) continue;
    if (roots !== null && !roots.has(node.rootUuid)) continue;
    seen.add(node.rootUuid);
    const root = state.peek(node.rootUuid);
    if (root === undefined) continue;
    const tree = treeOf(state, root);
    const found = combiner.combine(tree, Math.min(maxPerTree, remaining), requests);
    if (found === 0) continue;
    remaining -= found;
    summarizeTree(tree, summaries);
  }
  return { allocation_requests: requests, provider_summaries: summaries };
}

/** Depth-first combination of slots within one tree, reused across trees of one query. */
class TreeCombiner {
  private readonly isolate: boolean;
  private readonly picks: ProviderNode[];
  private readonly pickIndex: number[];
  private readonly amounts = new Map<ProviderNode, Map<string, number>>();
  private lists: ProviderNode[][] = [];
  private order: number[] = [];
  private sameKeyAfter: number[] = [];
  private out: AllocationRequest[] = [];
  private found = 0;
  private cap = 0;
  private steps = 0;

  constructor(
    private readonly state: PlacementState,
    private readonly query: CandidatesQuery,
    private readonly slots: readonly Slot[],
    private readonly maxSteps: number,
  ) {
    this.isolate = query.groupPolicy === "isolate";
    this.picks = new Array(slots.length);
    this.pickIndex = new Array(slots.length).fill(-1);
  }

  /** Appends at most `cap` allocation requests of `tree` to `out`; returns how many. */
  combine(tree: readonly ProviderNode[], cap: number, out: AllocationRequest[]): number {
    const lists: ProviderNode[][] = [];
    for (const slot of this.slots) {
      const list = slot.viableIn(tree);
      if (list.length === 0) return 0;
      lists.push(list);
    }
    this.lists = lists;
    // Fewest choices first prunes earliest; ties keep query order so identical groups stay adjacent.
    this.order = orderByChoices(lists);
    // How many later slots share each slot's symmetry key: under isolate each needs its own provider.
    this.sameKeyAfter = this.order.map((si, d) =>
      this.order
        .slice(d + 1)
        .reduce((n, sj) => n + (this.slots[sj]!.symmetryKey === this.slots[si]!.symmetryKey ? 1 : 0), 0),
    );
    this.out = out;
    this.found = 0;
    this.cap = cap;
    this.steps = 0;
    this.amounts.clear();
    this.dfs(0);
    return this.found;
  }

  private dfs(depth: number): void {
    if (depth === this.order.length) {
      if (leafHolds(this.state, this.query, this.slots, this.picks)) {
        this.out.push(toRequest(this.slots, this.picks));
        this.found++;
      }
      return;
    }
    const si = this.order[depth]!;
    const slot = this.slots[si]!;
    const list = this.lists[si]!;
    const floor = this.lastSameKey(depth, slot.symmetryKey);
    const start = floor < 0 ? 0 : this.isolate && slot.suffix !== "" ? floor + 1 : floor;
    const strict = this.isolate && slot.suffix !== "";
    const tail = this.sameKeyAfter[depth]!;
    for (let i = start; i < list.length; i++) {
      if (++this.steps > this.maxSteps || this.found >= this.cap) return;
      // Lookahead: the identical groups still to place need distinct providers after this one.
      if (strict && list.length - i - 1 < tail) return;
      const node = list[i]!;
      let held = this.amounts.get(node);
      if (held !== undefined && !fitsAll(node, slot, held)) continue;
      if (!this.isolationHolds(slot, node)) continue;
      if (held === undefined) {
        held = new Map();
        this.amounts.set(node, held);
      }
      for (const [rc, n] of slot.resources) held.set(rc, (held.get(rc) ?? 0) + n);
      this.picks[si] = node;
      this.pickIndex[si] = i;
      this.dfs(depth + 1);
      for (const [rc, n] of slot.resources) held.set(rc, held.get(rc)! - n);
      this.pickIndex[si] = -1;
    }
  }

  private lastSameKey(depth: number, key: string): number {
    for (let d = depth - 1; d >= 0; d--) {
      const si = this.order[d]!;
      if (this.slots[si]!.symmetryKey === key) return this.pickIndex[si]!;
    }
    return -1;
  }

  private isolationHolds(slot: Slot, node: ProviderNode): boolean {
    if (!this.isolate || slot.suffix === "") return true;
    for (let i = 0; i < this.slots.length; i++) {
      const other = this.slots[i]!;
      if (this.pickIndex[i]! >= 0 && other.suffix !== "" && other.group !== slot.group && this.picks[i] === node)
        return false;
    }
    return true;
  }
}

/** Slot indexes, fewest choices first; ties keep query order so identical groups stay adjacent. */
function orderByChoices(lists: readonly ProviderNode[][]): number[] {
  const order: number[] = [];
  for (let i = 0; i < lists.length; i++) {
    let j = order.length;
    while (j > 0 && lists[order[j - 1]!]!.length > lists[i]!.length) j--;
    order.splice(j, 0, i);
  }
  return order;
}

function fitsAll(node: ProviderNode, slot: Slot, held: ReadonlyMap<string, number>): boolean {
  for (const [rc, n] of slot.resources) if (!fits(node, rc, n, held.get(rc) ?? 0)) return false;
  return true;
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
    unsuffixed.requiredTraits.length > 0 &&
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
  // Keyed by UUIDs: a null-prototype object starts in dictionary mode (no hidden class per UUID).
  const allocations: Record<string, { resources: Record<string, number> }> = Object.create(null);
  const mappings: Record<string, string[]> = {};
  for (let i = 0; i < slots.length; i++) {
    const slot = slots[i]!;
    const node = picks[i]!;
    const entry = allocations[node.uuid] ?? { resources: {} };
    allocations[node.uuid] = entry;
    const res = entry.resources;
    for (const [rc, n] of slot.resources) res[rc] = (res[rc] ?? 0) + n;
    const mapped = mappings[slot.suffix] ?? [];
    mappings[slot.suffix] = mapped;
    if (!mapped.includes(node.uuid)) mapped.push(node.uuid);
  }
  return { allocations, mappings };
}

function summarizeTree(tree: readonly ProviderNode[], into: Record<string, ProviderSummary>): void {
  for (const node of tree) {
    const resources: Record<string, { capacity: number; used: number }> = {};
    for (const [rc, inv] of node.inventories)
      resources[rc] = { capacity: capacityOf(inv), used: node.usages.get(rc) ?? 0 };
    into[node.uuid] = {
      resources,
      traits: node.traits.size === 0 ? [] : [...node.traits].sort(),
      parent_provider_uuid: node.parentUuid,
      root_provider_uuid: node.rootUuid,
    };
  }
}
