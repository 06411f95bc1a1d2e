import type { ProviderNode } from "./provider-store.js";
import type { Slot } from "./viable.js";

/**
 * Allocation candidates as the engine finds them, before any response object exists: the picks
 * of each allocation request (one provider per slot, `slots.length` entries per request) and the
 * providers to summarize, tree by tree. It points at live provider records, so it is read
 * (materialized or serialized) in the same synchronous step that computed it.
 */
export class CandidateSet {
  /** Provider per slot, request after request: request `r` picks `picks[r * slots.length + s]` for slot `s`. */
  readonly picks: ProviderNode[] = [];
  /** Every provider of every tree with a request, in the order trees were found. */
  readonly providers: ProviderNode[] = [];
  /** The response's mapping keys (group suffixes) in the order JSON and `Object.keys` give them. */
  readonly suffixOrder: readonly string[];
  /** Per entry of `suffixOrder`, the slots of that suffix in slot order. */
  readonly slotsOfSuffix: readonly (readonly number[])[];
  /** All slots' amounts summed per class, in slot order: one request's resources when every slot picks one provider. */
  readonly summedResources: ReadonlyArray<readonly [string, number]>;

  constructor(readonly slots: readonly Slot[]) {
    // Object key order puts array-index-like suffixes ("1", "2") first: ask the engine itself.
    const probe: Record<string, true> = Object.create(null);
    for (const slot of slots) probe[slot.suffix] = true;
    this.suffixOrder = Object.keys(probe);
    this.slotsOfSuffix = this.suffixOrder.map((suffix) =>
      slots.flatMap((slot, i) => (slot.suffix === suffix ? [i] : [])),
    );
    const summed = new Map<string, number>();
    for (const slot of slots) for (const [rc, n] of slot.resources) summed.set(rc, (summed.get(rc) ?? 0) + n);
    this.summedResources = [...summed];
  }

  /** Number of allocation requests. */
  get count(): number {
    return this.slots.length === 0 ? 0 : this.picks.length / this.slots.length;
  }

  /** True when every slot of request `r` picked the same provider (a single-provider request). */
  singleProvider(r: number): boolean {
    const s = this.slots.length;
    const first = this.picks[r * s];
    for (let i = 1; i < s; i++) if (this.picks[r * s + i] !== first) return false;
    return true;
  }

  /**
   * The distinct providers of request `r` in first-pick order, each with its summed amounts per
   * class in first-appearance order (the shape of the request's `allocations`).
   */
  allocationsOf(r: number): Array<readonly [ProviderNode, Array<[string, number]>]> {
    const s = this.slots.length;
    const out: Array<readonly [ProviderNode, Array<[string, number]>]> = [];
    for (let i = 0; i < s; i++) {
      const node = this.picks[r * s + i]!;
      let entry = out.find((e) => e[0] === node);
      if (entry === undefined) {
        entry = [node, []];
        out.push(entry);
      }
      const res = entry[1];
      for (const [rc, n] of this.slots[i]!.resources) {
        const have = res.find((e) => e[0] === rc);
        if (have === undefined) res.push([rc, n]);
        else have[1] += n;
      }
    }
    return out;
  }

  /** The distinct providers request `r` picked for the slots of suffix number `k` (see `suffixOrder`), in slot order. */
  mappedOf(r: number, k: number): ProviderNode[] {
    const base = r * this.slots.length;
    const out: ProviderNode[] = [];
    for (const i of this.slotsOfSuffix[k]!) {
      const node = this.picks[base + i]!;
      if (!out.includes(node)) out.push(node);
    }
    return out;
  }
}
