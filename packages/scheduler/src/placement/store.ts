import type { PlacementState } from "./state.js";

/** What one write changes, so a durable store knows which rows to save. */
export interface Touched {
  /** Providers whose record (name, parent, generation, inventories, traits, aggregates) or existence changed. */
  readonly providers?: readonly string[];
  /**
   * Consumers whose allocations changed. The store adds the providers of their allocations from
   * before and after the write (their usages and generations change with them).
   */
  readonly consumers?: readonly string[];
  /** CUSTOM_ resource classes created or deleted. */
  readonly resourceClasses?: readonly string[];
  /** CUSTOM_ traits created or deleted. */
  readonly traits?: readonly string[];
}

/**
 * Placement's state behind the REST API: reads go to `state` directly (synchronous, in memory);
 * writes go through `write`, which runs the mutation and makes it durable before resolving.
 *
 * ```ts
 * const gen = await store.write((s) => s.setTraits(rp, 3, ["HW_CPU_X86_AVX2"]), { providers: [rp] });
 * ```
 */
export interface PlacementStore {
  /** The live state; read it freely, never mutate it outside `write`. */
  readonly state: PlacementState;
  /**
   * Runs `mutate` (synchronous; it throws to refuse the write, leaving the state unchanged) one
   * write at a time, then saves what `touched` names. If saving fails, the state is reloaded from
   * durable storage and the error is rethrown; a conflict found while saving (another node
   * changed a provider or consumer generation) becomes a 409 `placement.concurrent_update`.
   */
  write<T>(mutate: (state: PlacementState) => T, touched: Touched): Promise<T>;
  /** Releases connections (a no-op in memory). */
  close(): Promise<void>;
}

/** The embedded default: the state in memory, nothing saved. */
export class MemoryPlacementStore implements PlacementStore {
  constructor(readonly state: PlacementState) {}

  async write<T>(mutate: (state: PlacementState) => T, _touched: Touched): Promise<T> {
    return mutate(this.state);
  }

  async close(): Promise<void> {}
}
