/**
 * Schema of the assignment area (namespace `identity_assignment`): roles, implication rules and
 * assignments (project, domain and system ones in one table, keyed as Keystone keys them).
 */
import type { Migration } from "@stratus/core/db";

/** The migration namespace of roles and assignments. */
export const ASSIGNMENT_NAMESPACE = "identity_assignment";

/** What global roles store in `domain_id` so (name, domain_id) is unique for them too (Keystone's `<<null>>`). */
export const GLOBAL_ROLE_SENTINEL = "<<null>>";

/** Rows of the assignment tables. */
export interface AssignmentSchema {
  role: { id: string; name: string; domain_id: string; description: string | null; extra: unknown };
  implied_role: { prior_role_id: string; implied_role_id: string };
  assignment: { type: string; actor_id: string; target_id: string; role_id: string; inherited: boolean };
}

export const ASSIGNMENT_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_role",
    up: async (db, { types }) => {
      await db.schema
        .createTable("role")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("name", types.string(255), (c) => c.notNull())
        .addColumn("domain_id", types.string(64), (c) => c.notNull())
        .addColumn("description", types.string(255))
        .addColumn("extra", types.json)
        .addUniqueConstraint("role_name_domain_id_key", ["name", "domain_id"])
        .execute();
      await db.schema
        .createTable("implied_role")
        .addColumn("prior_role_id", types.string(64), (c) => c.notNull())
        .addColumn("implied_role_id", types.string(64), (c) => c.notNull())
        .addPrimaryKeyConstraint("implied_role_pkey", ["prior_role_id", "implied_role_id"])
        .execute();
    },
  },
  {
    name: "0002_assignment",
    up: async (db, { types }) => {
      await db.schema
        .createTable("assignment")
        .addColumn("type", types.string(16), (c) => c.notNull())
        .addColumn("actor_id", types.string(64), (c) => c.notNull())
        .addColumn("target_id", types.string(64), (c) => c.notNull())
        .addColumn("role_id", types.string(64), (c) => c.notNull())
        .addColumn("inherited", types.boolean, (c) => c.notNull())
        .addPrimaryKeyConstraint("assignment_pkey", ["type", "actor_id", "target_id", "role_id", "inherited"])
        .execute();
      await db.schema.createIndex("assignment_actor_id_idx").on("assignment").column("actor_id").execute();
      await db.schema.createIndex("assignment_target_id_idx").on("assignment").column("target_id").execute();
      await db.schema.createIndex("assignment_role_id_idx").on("assignment").column("role_id").execute();
    },
  },
];
