import { CandidateSet } from "./candidate-set.js";
import { type BodyBuffers, ByteSink, candidatesBody } from "./candidates-body.js";

export type { BodyBuffers } from "./candidates-body.js";

import { candidatesJson } from "./candidates-json.js";
import { capacityOf } from "./model.js";
import type { ProviderNode } from "./provider-store.js";
import type { CandidatesQuery } from "./query.js";
import type { PlacementState } from "./state.js";
import { TreeCombiner } from "./tree-combiner.js";
import { allowedRoots, buildSlots, type Slot, treeOf, unsuffixedTraitsHold } from "./viable.js";

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

/** Which engine paths may run; tests pin the fast path to the general one with "general". */
export type CandidatePaths = "fast" | "general";

/**
 * Finds allocation candidates for a parsed query, as a compact CandidateSet (read it in the same
 * synchronous step). Viable providers are found per request group and tree from the indexes
 * first; groups are then combined tree by tree, depth first, checking capacity of summed amounts,
 * group_policy and same_subtree at each pick. `limit` and the per-tree caps stop the enumeration
 * itself. Picks of identical granular groups are kept in provider order, so mirror-image
 * permutations (same allocations, swapped mappings) are produced once. A one-group query on a
 * tree that is a lone root is decided inline, with no per-tree lists (the flat-cloud case).
 */
export function findCandidates(
  state: PlacementState,
  query: CandidatesQuery,
  limits: CandidateLimits = {},
  paths: CandidatePaths = "fast",
): CandidateSet {
  const maxPerTree = limits.maxCandidatesPerTree ?? 1000;
  const maxSteps = limits.maxStepsPerTree ?? 100_000;
  let remaining = query.limit ?? limits.maxCandidates ?? 10_000;
  const roots = allowedRoots(state, query);
  const slots = buildSlots(state, query);
  const set = new CandidateSet(slots);
  if (slots.length === 0) return set;
  const combiner = new TreeCombiner(state, query, slots, maxSteps);
  const lone = paths === "fast" ? loneRootCheck(query, slots, maxPerTree, maxSteps) : undefined;
  const picks = set.picks;
  const providers = set.providers;
  const width = slots.length;
  // Trees are found from the most selective slot's index; the other slots are checked per tree.
  const seed = slots.reduce((a, b) => (b.scan.size < a.scan.size ? b : a));
  const seen = new Set<string>();
  for (const node of seed.scanNodes ?? recordsOf(state, seed.scan)) {
    if (remaining <= 0) break;
    if (lone !== undefined && node.parentUuid === null && node.children.size === 0) {
      // A childless root is reached once, from its own index entry: no `seen` bookkeeping.
      if ((roots !== null && !roots.has(node.uuid)) || !lone(node)) continue;
      for (let i = 0; i < width; i++) picks.push(node);
      providers.push(node);
      remaining--;
      continue;
    }
    if (seen.has(node.rootUuid) || !seed.accepts(node)) continue;
    if (roots !== null && !roots.has(node.rootUuid)) continue;
    seen.add(node.rootUuid);
    const root = state.peek(node.rootUuid);
    if (root === undefined) continue;
    const tree = treeOf(state, root);
    const found = combiner.combine(tree, Math.min(maxPerTree, remaining), set);
    if (found === 0) continue;
    remaining -= found;
    for (const n of tree) providers.push(n);
  }
  return set;
}

/** The records of `uuids` in order (an index of UUIDs without records alongside it). */
function* recordsOf(state: PlacementState, uuids: Iterable<string>): Generator<ProviderNode> {
  for (const uuid of uuids) {
    const node = state.peek(uuid);
    if (node !== undefined) yield node;
  }
}

/**
 * For a one-group query, the test that a lone root (no children) is a candidate: it must serve
 * every slot (each class of the group) by itself. Exactly what the tree combiner concludes on
 * a one-provider tree, without building its lists. Undefined when the query has several groups
 * or the caps would stop the combiner before its first request.
 */
function loneRootCheck(
  query: CandidatesQuery,
  slots: readonly Slot[],
  maxPerTree: number,
  maxSteps: number,
): ((node: ProviderNode) => boolean) | undefined {
  const group = query.groups[0];
  if (query.groups.length !== 1 || group === undefined || maxPerTree < 1 || maxSteps < slots.length) return undefined;
  // same_subtree with one provider holds when each list names this group, fails otherwise.
  if (!query.sameSubtree.every((suffixes) => suffixes.includes(group.suffix))) return () => false;
  const unsuffixedTraits = group.suffix === "" && group.requiredTraits.length > 0;
  return (node) => {
    for (let i = 0; i < slots.length; i++) if (!slots[i]!.accepts(node)) return false;
    return !unsuffixedTraits || unsuffixedTraitsHold(group, [node]);
  };
}

/**
 * Computes allocation candidates for a parsed query (see `findCandidates`) as response objects.
 * Pure apart from reading `state`; throws nothing for a query `parseCandidatesQuery` accepted.
 */
export function allocationCandidates(
  state: PlacementState,
  query: CandidatesQuery,
  limits: CandidateLimits = {},
  paths: CandidatePaths = "fast",
): AllocationCandidates {
  return materialize(findCandidates(state, query, limits, paths));
}

/**
 * The body of GET /allocation_candidates as JSON text: equal to `JSON.stringify` of
 * `allocationCandidates(...)`, written without building the response objects.
 */
export function allocationCandidatesJson(
  state: PlacementState,
  query: CandidatesQuery,
  limits: CandidateLimits = {},
): string {
  const set = findCandidates(state, query, limits);
  return candidatesJson(set) ?? JSON.stringify(materialize(set));
}

/**
 * The body of GET /allocation_candidates as UTF-8 bytes: equal to `Buffer.from` of
 * `allocationCandidatesJson(...)`, written into one Buffer without building the text first.
 * The result is always a view of memory from `buffers` (fresh by default).
 */
export function allocationCandidatesBody(
  state: PlacementState,
  query: CandidatesQuery,
  limits: CandidateLimits = {},
  buffers?: BodyBuffers,
): Buffer {
  const set = findCandidates(state, query, limits);
  const body = candidatesBody(set, buffers);
  if (body !== undefined) return body;
  const text = JSON.stringify(materialize(set));
  const out = new ByteSink(Buffer.byteLength(text), buffers);
  out.text(text);
  return out.done();
}

/** The response objects of a CandidateSet (read while the state is unchanged). */
export function materialize(set: CandidateSet): AllocationCandidates {
  const requests: AllocationRequest[] = new Array(set.count);
  for (let r = 0; r < requests.length; r++) requests[r] = toRequest(set, r);
  // Keyed by UUIDs: a null-prototype object starts in dictionary mode (no hidden class per UUID).
  const summaries: Record<string, ProviderSummary> = Object.create(null);
  for (const node of set.providers) summaries[node.uuid] = summaryOf(node);
  return { allocation_requests: requests, provider_summaries: summaries };
}

function toRequest(set: CandidateSet, r: number): AllocationRequest {
  const allocations: Record<string, { resources: Record<string, number> }> = Object.create(null);
  // Null prototype: a suffix such as "__proto__" is a key like any other.
  const mappings: Record<string, string[]> = Object.create(null);
  if (set.singleProvider(r)) {
    const uuid = set.picks[r * set.slots.length]!.uuid;
    const resources: Record<string, number> = {};
    for (const [rc, n] of set.summedResources) resources[rc] = n;
    allocations[uuid] = { resources };
    for (const suffix of set.suffixOrder) mappings[suffix] = [uuid];
    return { allocations, mappings };
  }
  for (const [node, res] of set.allocationsOf(r)) {
    const resources: Record<string, number> = {};
    for (const [rc, n] of res) resources[rc] = n;
    allocations[node.uuid] = { resources };
  }
  for (let k = 0; k < set.suffixOrder.length; k++) {
    mappings[set.suffixOrder[k]!] = set.mappedOf(r, k).map((n) => n.uuid);
  }
  return { allocations, mappings };
}

function summaryOf(node: ProviderNode): ProviderSummary {
  const resources: Record<string, { capacity: number; used: number }> = {};
  for (const [rc, inv] of node.inventories)
    resources[rc] = { capacity: capacityOf(inv), used: node.usages.get(rc) ?? 0 };
  return {
    resources,
    traits: node.traits.size === 0 ? [] : [...node.traits].sort(),
    parent_provider_uuid: node.parentUuid,
    root_provider_uuid: node.rootUuid,
  };
}
