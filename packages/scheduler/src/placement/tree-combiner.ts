import type { CandidateSet } from "./candidate-set.js";
import type { ProviderNode } from "./provider-store.js";
import type { CandidatesQuery } from "./query.js";
import type { PlacementState } from "./state.js";
import { fits, type Slot, unsuffixedTraitsHold } from "./viable.js";

/** Depth-first combination of slots within one tree, reused across trees of one query. */
export class TreeCombiner {
  private readonly isolate: boolean;
  private readonly picks: ProviderNode[];
  private readonly pickIndex: number[];
  private readonly amounts = new Map<ProviderNode, Map<string, number>>();
  private lists: ProviderNode[][] = [];
  private order: number[] = [];
  private sameKeyAfter: number[] = [];
  private out: ProviderNode[] = [];
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

  /** Appends at most `cap` allocation requests of `tree` to `into`; returns how many. */
  combine(tree: readonly ProviderNode[], cap: number, into: CandidateSet): number {
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
    this.out = into.picks;
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
        for (let i = 0; i < this.picks.length; i++) this.out.push(this.picks[i]!);
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
