/**
 * Schema of the resource area (namespace `identity_resource`): projects (domains included, as
 * Keystone stores them) and their tags. The first migration creates the default domain.
 */
import type { Migration } from "@stratus/core/db";
import { DEFAULT_DOMAIN_ID, DEFAULT_DOMAIN_NAME } from "./model.js";

/** The migration namespace of projects and domains. */
export const RESOURCE_NAMESPACE = "identity_resource";

/**
 * Domains store this in `domain_id` (as Keystone's NULL_DOMAIN_ID) so that the (domain_id, name)
 * unique key also makes domain names unique: NULLs never collide in a unique index.
 */
export const ROOT_DOMAIN_SENTINEL = "<<keystone.domain.root>>";

/** Rows of the resource tables. */
export interface ResourceSchema {
  project: {
    id: string;
    name: string;
    domain_id: string;
    description: string | null;
    enabled: boolean;
    parent_id: string | null;
    is_domain: boolean;
    extra: unknown;
    generation: number;
  };
  project_tag: { project_id: string; name: string; position: number };
}

export const RESOURCE_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_project",
    up: async (db, { types }) => {
      await db.schema
        .createTable("project")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("name", types.string(64), (c) => c.notNull())
        .addColumn("domain_id", types.string(64), (c) => c.notNull())
        .addColumn("description", types.text)
        .addColumn("enabled", types.boolean, (c) => c.notNull())
        .addColumn("parent_id", types.string(64))
        .addColumn("is_domain", types.boolean, (c) => c.notNull())
        .addColumn("extra", types.json)
        .addColumn("generation", types.integer, (c) => c.notNull())
        .addUniqueConstraint("project_domain_id_name_key", ["domain_id", "name"])
        .execute();
      await db.schema.createIndex("project_parent_id_idx").on("project").column("parent_id").execute();
      await db.schema
        .createTable("project_tag")
        .addColumn("project_id", types.string(64), (c) => c.notNull())
        .addColumn("name", types.string(255), (c) => c.notNull())
        .addColumn("position", types.integer, (c) => c.notNull())
        .addPrimaryKeyConstraint("project_tag_pkey", ["project_id", "name"])
        .execute();
      await db.schema.createIndex("project_tag_name_idx").on("project_tag").column("name").execute();
    },
  },
  {
    name: "0002_default_domain",
    up: async (db) => {
      await db
        .insertInto("project")
        .values({
          id: DEFAULT_DOMAIN_ID,
          name: DEFAULT_DOMAIN_NAME,
          domain_id: ROOT_DOMAIN_SENTINEL,
          description: "The default domain",
          enabled: true,
          parent_id: null,
          is_domain: true,
          extra: {},
          generation: 1,
        })
        .execute();
    },
  },
];
