/** Migrations of the users area, namespace `identity_users`. Append only. */
import type { Migration } from "@stratus/core/db";

/** The migration namespace (table `stratus_migrations_identity_users`). */
export const IDENTITY_USERS_NAMESPACE = "identity_users";

export const IDENTITY_USERS_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_users_groups",
    up: async (db, { types }) => {
      await db.schema
        .createTable("iu_user")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("domain_id", types.string(64), (c) => c.notNull())
        .addColumn("name", types.string(255), (c) => c.notNull())
        .addColumn("enabled", types.boolean, (c) => c.notNull())
        .addColumn("default_project_id", types.string(64))
        .addColumn("extra", types.json)
        .addColumn("options", types.json)
        .addColumn("password_hash", types.string(255))
        .addColumn("password_created_at", types.timestamp)
        .addColumn("password_expires_at", types.timestamp)
        .addColumn("password_self_service", types.boolean, (c) => c.notNull())
        .addColumn("failed_auth_count", types.integer, (c) => c.notNull().defaultTo(0))
        .addColumn("failed_auth_at", types.timestamp)
        .addColumn("created_at", types.timestamp, (c) => c.notNull())
        .addColumn("generation", types.integer, (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint("iu_user_domain_name", ["domain_id", "name"])
        .execute();
      // `openstack user show NAME` lists by name without a domain.
      await db.schema.createIndex("iu_user_name").on("iu_user").column("name").execute();
      await db.schema
        .createTable("iu_password_history")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("user_id", types.string(64), (c) => c.notNull().references("iu_user.id").onDelete("cascade"))
        .addColumn("password_hash", types.string(255), (c) => c.notNull())
        .addColumn("created_at", types.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex("iu_password_history_user").on("iu_password_history").column("user_id").execute();
      await db.schema
        .createTable("iu_group")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("domain_id", types.string(64), (c) => c.notNull())
        .addColumn("name", types.string(255), (c) => c.notNull())
        .addColumn("description", types.text)
        .addColumn("extra", types.json)
        .addUniqueConstraint("iu_group_domain_name", ["domain_id", "name"])
        .execute();
      await db.schema
        .createTable("iu_membership")
        .addColumn("user_id", types.string(64), (c) => c.notNull().references("iu_user.id").onDelete("cascade"))
        .addColumn("group_id", types.string(64), (c) => c.notNull().references("iu_group.id").onDelete("cascade"))
        .addPrimaryKeyConstraint("iu_membership_pk", ["user_id", "group_id"])
        .execute();
      await db.schema.createIndex("iu_membership_group").on("iu_membership").column("group_id").execute();
    },
  },
  {
    name: "0002_credentials",
    up: async (db, { types }) => {
      await db.schema
        .createTable("iu_application_credential")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("name", types.string(255), (c) => c.notNull())
        .addColumn("description", types.text)
        .addColumn("user_id", types.string(64), (c) => c.notNull())
        .addColumn("project_id", types.string(64))
        .addColumn("system", types.string(64))
        .addColumn("secret_hash", types.string(255), (c) => c.notNull())
        .addColumn("expires_at", types.timestamp)
        .addColumn("unrestricted", types.boolean, (c) => c.notNull())
        .addColumn("role_ids", types.json, (c) => c.notNull())
        .addColumn("access_rules", types.json)
        .addUniqueConstraint("iu_app_cred_user_name", ["user_id", "name"])
        .execute();
      await db.schema
        .createTable("iu_credential")
        .addColumn("id", types.string(64), (c) => c.primaryKey())
        .addColumn("user_id", types.string(64), (c) => c.notNull())
        .addColumn("project_id", types.string(64))
        .addColumn("type", types.string(255), (c) => c.notNull())
        .addColumn("encrypted_blob", types.text, (c) => c.notNull())
        .addColumn("key_hash", types.string(64), (c) => c.notNull())
        .addColumn("extra", types.json)
        .execute();
      await db.schema.createIndex("iu_credential_user").on("iu_credential").column("user_id").execute();
    },
  },
];
