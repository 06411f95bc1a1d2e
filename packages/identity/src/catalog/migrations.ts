import type { Migration } from "@stratus/core/db";

/** The catalog's tables (namespace `identity_catalog`). Names and sizes follow Keystone's. */
export const CATALOG_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_catalog",
    up: async (db, { types }) => {
      await db.schema
        .createTable("region")
        .addColumn("id", types.string(255), (c) => c.primaryKey())
        .addColumn("description", types.string(255), (c) => c.notNull())
        .addColumn("parent_region_id", types.string(255))
        .addColumn("extra", types.json, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("service")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("type", types.string(255), (c) => c.notNull())
        .addColumn("enabled", types.boolean, (c) => c.notNull())
        .addColumn("extra", types.json, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable("endpoint")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("interface", types.string(8), (c) => c.notNull())
        .addColumn("service_id", types.string(64), (c) => c.notNull().references("service.id"))
        .addColumn("url", types.text, (c) => c.notNull())
        .addColumn("region_id", types.string(255), (c) => c.references("region.id"))
        .addColumn("enabled", types.boolean, (c) => c.notNull())
        .addColumn("extra", types.json, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("ix_endpoint_service_id").on("endpoint").column("service_id").execute();
    },
  },
];

/** Row shapes of the catalog's tables, for Kysely. */
export interface CatalogTables {
  region: { id: string; description: string; parent_region_id: string | null; extra: Record<string, unknown> };
  service: { id: string; type: string; enabled: boolean; extra: Record<string, unknown> };
  endpoint: {
    id: string;
    interface: string;
    service_id: string;
    url: string;
    region_id: string | null;
    enabled: boolean;
    extra: Record<string, unknown>;
  };
}
