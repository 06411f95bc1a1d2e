/** A resource provider: a node of a tree (compute host, NUMA cell, PF, shared storage pool). */
export interface ResourceProvider {
  /** The provider's UUID (lowercase, dashed). */
  readonly uuid: string;
  /** Unique, human-readable name. */
  readonly name: string;
  /** UUID of the parent provider, or null for a root. */
  readonly parentUuid: string | null;
  /** UUID of the tree's root provider (itself for a root). */
  readonly rootUuid: string;
  /** Bumped on every change to the provider, its inventories, traits, aggregates or allocations. */
  readonly generation: number;
}

/** The inventory of one resource class on one provider, with Placement's field names. */
export interface Inventory {
  /** Amount the provider has. */
  readonly total: number;
  /** Amount set aside and never allocated. */
  readonly reserved: number;
  /** Smallest amount one allocation may take. */
  readonly min_unit: number;
  /** Largest amount one allocation may take. */
  readonly max_unit: number;
  /** Allocations must be multiples of this. */
  readonly step_size: number;
  /** Overcommit factor: capacity = (total - reserved) * allocation_ratio. */
  readonly allocation_ratio: number;
}

/** What a caller gives for one inventory; missing fields take Placement's defaults. */
export type InventoryInput = Pick<Inventory, "total"> & Partial<Omit<Inventory, "total">>;

/** Amounts per resource class, e.g. `{ VCPU: 2, MEMORY_MB: 2048 }`. */
export type Resources = Readonly<Record<string, number>>;

/** One consumer's allocations: its amounts per provider and the consumer's metadata. */
export interface ConsumerAllocations {
  /** The consumer (instance, migration) UUID. */
  readonly consumerUuid: string;
  /** Bumped on every write of this consumer's allocations; starts at 0 on creation. */
  readonly generation: number;
  /** Project owning the consumer. */
  readonly projectId: string;
  /** User owning the consumer. */
  readonly userId: string;
  /** Amounts per provider UUID. */
  readonly allocations: Readonly<Record<string, Resources>>;
  /** Consumer type (1.38: INSTANCE, MIGRATION, ...); absent means Placement's "unknown". */
  readonly consumerType?: string;
}

/** A request to replace one consumer's allocations (the body of PUT /allocations/{consumer}). */
export interface ClaimRequest {
  /** Amounts per provider UUID; an empty object removes the consumer's allocations. */
  readonly allocations: Readonly<Record<string, Resources>>;
  /** The consumer generation read before, or null when the consumer is expected to be new. */
  readonly consumerGeneration: number | null;
  /** Project owning the consumer. */
  readonly projectId: string;
  /** User owning the consumer. */
  readonly userId: string;
  /** Consumer type to set (1.38+); absent keeps the consumer's current type (older microversions). */
  readonly consumerType?: string;
}

/** Placement's name for the type of a consumer created before 1.38 or without a type. */
export const UNKNOWN_CONSUMER_TYPE = "unknown";

/** The desired inventories of one provider in a reshape, guarded by the provider generation. */
export interface ReshapeInventories {
  /** The provider generation read before. */
  readonly generation: number;
  /** The provider's complete inventories after the reshape, per resource class. */
  readonly inventories: Readonly<Record<string, InventoryInput>>;
}

/** Capacity Placement allows on an inventory: floor((total - reserved) * allocation_ratio). */
export function capacityOf(inv: Inventory): number {
  return Math.floor((inv.total - inv.reserved) * inv.allocation_ratio);
}

/** Fills Placement's defaults (reserved 0, min_unit 1, max_unit total, step_size 1, ratio 1). */
export function withInventoryDefaults(input: InventoryInput): Inventory {
  return {
    total: input.total,
    reserved: input.reserved ?? 0,
    min_unit: input.min_unit ?? 1,
    max_unit: input.max_unit ?? input.total,
    step_size: input.step_size ?? 1,
    allocation_ratio: input.allocation_ratio ?? 1,
  };
}
