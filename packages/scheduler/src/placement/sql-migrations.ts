import type { Migration } from "@stratus/core/db";

/**
 * Placement's tables (namespace `placement`), named after Placement's own. There are no foreign
 * keys: the in-memory PlacementState validates every write, and the rows only record its result;
 * generations (compare-and-swap on provider and consumer rows) settle races between API nodes.
 */
export const PLACEMENT_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_placement",
    up: async (db, { types }) => {
      const uuid = types.string(36);
      const name = types.string(255);
      await db.schema
        .createTable("resource_classes")
        .addColumn("name", name, (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable("traits")
        .addColumn("name", name, (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable("resource_providers")
        .addColumn("uuid", uuid, (c) => c.primaryKey())
        .addColumn("name", types.string(200), (c) => c.notNull().unique())
        .addColumn("parent_uuid", uuid)
        .addColumn("root_uuid", uuid, (c) => c.notNull())
        .addColumn("generation", types.integer, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("inventories")
        .addColumn("resource_provider_uuid", uuid, (c) => c.notNull())
        .addColumn("resource_class", name, (c) => c.notNull())
        .addColumn("total", types.integer, (c) => c.notNull())
        .addColumn("reserved", types.integer, (c) => c.notNull())
        .addColumn("min_unit", types.integer, (c) => c.notNull())
        .addColumn("max_unit", types.integer, (c) => c.notNull())
        .addColumn("step_size", types.integer, (c) => c.notNull())
        // "double precision" is a float64 on all three engines, so ratios like 1.5 or 0.1 read back exactly.
        .addColumn("allocation_ratio", "double precision", (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_inventories", ["resource_provider_uuid", "resource_class"])
        .execute();
      await db.schema
        .createTable("provider_traits")
        .addColumn("resource_provider_uuid", uuid, (c) => c.notNull())
        .addColumn("trait", name, (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_provider_traits", ["resource_provider_uuid", "trait"])
        .execute();
      await db.schema
        .createTable("provider_aggregates")
        .addColumn("resource_provider_uuid", uuid, (c) => c.notNull())
        .addColumn("aggregate_uuid", uuid, (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_provider_aggregates", ["resource_provider_uuid", "aggregate_uuid"])
        .execute();
      await db.schema
        .createTable("consumers")
        .addColumn("uuid", uuid, (c) => c.primaryKey())
        .addColumn("project_id", name, (c) => c.notNull())
        .addColumn("user_id", name, (c) => c.notNull())
        .addColumn("generation", types.integer, (c) => c.notNull())
        .addColumn("consumer_type", name)
        .execute();
      await db.schema
        .createTable("allocations")
        .addColumn("consumer_uuid", uuid, (c) => c.notNull())
        .addColumn("resource_provider_uuid", uuid, (c) => c.notNull())
        .addColumn("resource_class", name, (c) => c.notNull())
        .addColumn("used", types.integer, (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_allocations", ["consumer_uuid", "resource_provider_uuid", "resource_class"])
        .execute();
    },
  },
];

/** Row shapes of Placement's tables, for Kysely. */
export interface PlacementTables {
  resource_classes: { name: string };
  traits: { name: string };
  resource_providers: {
    uuid: string;
    name: string;
    parent_uuid: string | null;
    root_uuid: string;
    generation: number;
  };
  inventories: {
    resource_provider_uuid: string;
    resource_class: string;
    total: number;
    reserved: number;
    min_unit: number;
    max_unit: number;
    step_size: number;
    allocation_ratio: number;
  };
  provider_traits: { resource_provider_uuid: string; trait: string };
  provider_aggregates: { resource_provider_uuid: string; aggregate_uuid: string };
  consumers: {
    uuid: string;
    project_id: string;
    user_id: string;
    generation: number;
    consumer_type: string | null;
  };
  allocations: { consumer_uuid: string; resource_provider_uuid: string; resource_class: string; used: number };
}
