import type { Inventory, ResourceProvider } from "./model.js";

/** A provider as plain data: what persistence saves and loads. */
export interface ProviderRecord extends ResourceProvider {
  /** Inventory per resource class. */
  readonly inventories: Readonly<Record<string, Inventory>>;
  /** Traits, sorted. */
  readonly traits: readonly string[];
  /** Aggregate UUIDs, sorted. */
  readonly aggregates: readonly string[];
}

/** The mutable record behind a provider; only the store and the candidates engine read it. */
export interface ProviderNode {
  /** Provider UUID. */
  readonly uuid: string;
  /** Provider name. */
  name: string;
  /** Parent UUID or null for a root (changes only through updateProvider). */
  parentUuid: string | null;
  /** Root UUID of the tree (changes only through updateProvider). */
  rootUuid: string;
  /** Current provider generation. */
  generation: number;
  /** Inventory per resource class. */
  readonly inventories: Map<string, Inventory>;
  /** Amount allocated per resource class (kept in step with allocations). */
  readonly usages: Map<string, number>;
  /** Traits of this provider. */
  traits: Set<string>;
  /** Aggregate UUIDs this provider is a member of. */
  aggregates: Set<string>;
  /** UUIDs of direct children. */
  readonly children: Set<string>;
}
