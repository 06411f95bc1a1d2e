import { capacityOf } from "./model.js";
import type { ProviderNode } from "./provider-store.js";
import type { CandidatesQuery, RequestGroup } from "./query.js";
import type { PlacementState } from "./state.js";

/**
 * One choice to make while combining: a provider for a whole granular group, or for one class
 * of the unsuffixed group. It knows which providers can serve it on their own.
 */
export class Slot {
  /** Index of the request group in `CandidatesQuery.groups`. */
  readonly group: number;
  /** Suffix of the group ("" for the unsuffixed one). */
  readonly suffix: string;
  /** Amounts this slot allocates on the one provider chosen for it. */
  readonly resources: ReadonlyArray<readonly [string, number]>;
  /** Slots with an equal signature share a key: their picks are ordered to skip mirror-image permutations. */
  readonly symmetryKey: string;
  /** The smallest index holding every provider that could serve this slot. */
  readonly scan: ReadonlySet<string>;
  /** The records of `scan` in its order when it is a resource-class index, else null (look each UUID up). */
  readonly scanNodes: ReadonlySet<ProviderNode> | null;
  private readonly spec: RequestGroup;
  private readonly granular: boolean;
  private readonly state: PlacementState;

  constructor(
    state: PlacementState,
    index: number,
    group: RequestGroup,
    resources: ReadonlyArray<readonly [string, number]>,
  ) {
    this.state = state;
    this.group = index;
    this.suffix = group.suffix;
    this.spec = group;
    this.resources = resources;
    this.granular = group.suffix !== "";
    this.symmetryKey = this.granular ? signature(group) : `unsuffixed:${index}:${resources[0]?.[0]}`;
    let scan: ReadonlySet<string> | undefined;
    let scanNodes: ReadonlySet<ProviderNode> | null = null;
    for (const [rc] of resources) {
      const set = state.providersWithClass(rc);
      if (scan === undefined || set.size < scan.size) {
        scan = set;
        scanNodes = state.nodesWithClass(rc);
      }
    }
    if (this.granular) {
      for (const anyOf of group.requiredTraits) {
        if (anyOf.length !== 1) continue;
        const set = state.providersWithTrait(anyOf[0]!);
        if (scan === undefined || set.size < scan.size) {
          scan = set;
          scanNodes = null;
        }
      }
    }
    this.scan = scan ?? new Set();
    this.scanNodes = scanNodes;
  }

  /** True when `node` alone can serve this slot (capacity, unit constraints, traits, aggregates). */
  accepts(node: ProviderNode): boolean {
    for (const [rc, n] of this.resources) if (!fits(node, rc, n)) return false;
    const g = this.spec;
    for (const t of g.forbiddenTraits) if (node.traits.has(t)) return false;
    // Unsuffixed group: required traits may be spread over its providers, checked per candidate.
    if (this.granular && !hasAll(node.traits, g.requiredTraits)) return false;
    if (g.memberOf.length > 0 || g.forbiddenAggregates.length > 0) {
      return inAggregates(this.state, node, g, !this.granular);
    }
    return true;
  }

  /** The providers of a tree (given in tree order) that can serve this slot. */
  viableIn(tree: readonly ProviderNode[]): ProviderNode[] {
    const out: ProviderNode[] = [];
    for (const node of tree) if (this.accepts(node)) out.push(node);
    return out;
  }
}

/** True when `amount` of `rc` fits on the provider on its own (unit constraints and free capacity). */
export function fits(node: ProviderNode, rc: string, amount: number, alreadyPicked = 0): boolean {
  const inv = node.inventories.get(rc);
  if (inv === undefined) return false;
  if (amount < inv.min_unit || amount > inv.max_unit || amount % inv.step_size !== 0) return false;
  return (node.usages.get(rc) ?? 0) + alreadyPicked + amount <= capacityOf(inv);
}

function hasAll(traits: ReadonlySet<string>, cnf: RequestGroup["requiredTraits"]): boolean {
  return cnf.every((anyOf) => anyOf.some((t) => traits.has(t)));
}

function inAggregates(state: PlacementState, node: ProviderNode, group: RequestGroup, viaRoot: boolean): boolean {
  const root = viaRoot ? state.peek(node.rootUuid) : undefined;
  const member = (a: string) => node.aggregates.has(a) || (root?.aggregates.has(a) ?? false);
  if (group.forbiddenAggregates.some(member)) return false;
  return group.memberOf.every((anyOf) => anyOf.some(member));
}

/**
 * Roots that may hold candidates: in_tree and root_required applied, or null for "any root".
 * Returns a set to intersect with the roots each slot can serve.
 */
export function allowedRoots(state: PlacementState, query: CandidatesQuery): Set<string> | null {
  let roots: Set<string> | null = null;
  // in_tree and in_tree<N>: without sharing providers every group of a candidate is in one tree,
  // so each names the one root the candidates may come from (two different trees: none).
  for (const uuid of [query.inTree, ...query.groups.map((g) => g.inTree ?? null)]) {
    if (uuid === null) continue;
    const root = state.peek(uuid)?.rootUuid;
    roots = new Set(root !== undefined && (roots === null || roots.has(root)) ? [root] : []);
  }
  if (query.rootRequired.length > 0 || query.rootForbidden.length > 0) {
    const ok = (uuid: string) => {
      const root = state.peek(uuid);
      return (
        root !== undefined &&
        hasAll(root.traits, query.rootRequired) &&
        !query.rootForbidden.some((t) => root.traits.has(t))
      );
    };
    const source: Iterable<string> = roots ?? candidatesFromTraits(state, query) ?? state.rootUuids();
    roots = new Set([...source].filter(ok));
  }
  return roots;
}

function candidatesFromTraits(state: PlacementState, query: CandidatesQuery): Iterable<string> | null {
  const single = query.rootRequired.find((l) => l.length === 1)?.[0];
  return single === undefined
    ? null
    : [...state.providersWithTrait(single)].filter((u) => state.peek(u)?.parentUuid === null);
}

/** Builds the slots of a query: one per granular group, one per resource class of the unsuffixed group. */
export function buildSlots(state: PlacementState, query: CandidatesQuery): Slot[] {
  const slots: Slot[] = [];
  query.groups.forEach((group, index) => {
    const entries = Object.entries(group.resources);
    const parts = group.suffix === "" ? entries.map((e) => [e]) : [entries];
    for (const resources of parts) slots.push(new Slot(state, index, group, resources));
  });
  return slots;
}

/** The providers of the tree under `root`, parents before children. */
export function treeOf(state: PlacementState, root: ProviderNode): ProviderNode[] {
  if (root.children.size === 0) return [root];
  const out: ProviderNode[] = [];
  const queue: ProviderNode[] = [root];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]!;
    out.push(node);
    for (const child of node.children) {
      const c = state.peek(child);
      if (c !== undefined) queue.push(c);
    }
  }
  return out;
}

function signature(group: RequestGroup): string {
  return JSON.stringify([
    Object.entries(group.resources).sort(),
    group.requiredTraits.map((l) => [...l].sort()).sort(),
    [...group.forbiddenTraits].sort(),
    group.memberOf.map((l) => [...l].sort()).sort(),
    [...group.forbiddenAggregates].sort(),
  ]);
}

/** True when the unsuffixed group's required traits are covered by the providers it used. */
export function unsuffixedTraitsHold(group: RequestGroup, used: readonly ProviderNode[]): boolean {
  if (group.requiredTraits.length === 0) return true;
  const traits = new Set<string>();
  for (const n of used) for (const t of n.traits) traits.add(t);
  return hasAll(traits, group.requiredTraits);
}
