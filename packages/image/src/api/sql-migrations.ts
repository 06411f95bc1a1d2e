/**
 * The image service's tables (namespace `image`), named after Glance's own: `images`,
 * `image_tags`, `image_properties` and `image_members`. Timestamps are kept as the ISO strings
 * the API hands over (`Date#toISOString`, which sorts chronologically as text), so they read back
 * exactly. Strings compare and sort byte by byte on every engine, as JavaScript's `<` does: a
 * binary collation on MariaDB (whose default is case-insensitive) and `C` on PostgreSQL.
 */
import type { Migration, MigrationContext } from "@stratus/core/db";
import { sql } from "kysely";

/** A bounded string column that compares exactly (see the file comment). */
function exactString(context: MigrationContext, length: number) {
  return context.engine === "postgres" ? sql.raw(`varchar(${length}) collate "C"`) : context.types.string(length);
}

/** The table options every engine needs: MariaDB's binary collation (no-op elsewhere). */
const TABLE_END = sql.raw("default character set utf8mb4 collate utf8mb4_bin");

export const IMAGE_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_images",
    up: async (db, context) => {
      const { types, engine } = context;
      const id = exactString(context, 64);
      const name = exactString(context, 255);
      const short = exactString(context, 64);
      const end = <T extends { modifyEnd(e: typeof TABLE_END): T }>(b: T): T =>
        engine === "mysql" ? b.modifyEnd(TABLE_END) : b;
      await end(
        db.schema
          .createTable("images")
          .addColumn("id", id, (c) => c.primaryKey())
          .addColumn("name", name)
          .addColumn("status", short, (c) => c.notNull())
          .addColumn("visibility", short, (c) => c.notNull())
          .addColumn("protected", types.boolean, (c) => c.notNull())
          .addColumn("os_hidden", types.boolean, (c) => c.notNull())
          .addColumn("checksum", short)
          .addColumn("os_hash_algo", short)
          .addColumn("os_hash_value", exactString(context, 255))
          .addColumn("size", types.bigint)
          .addColumn("virtual_size", types.bigint)
          .addColumn("disk_format", short)
          .addColumn("container_format", short)
          .addColumn("min_disk", types.bigint, (c) => c.notNull())
          .addColumn("min_ram", types.bigint, (c) => c.notNull())
          .addColumn("owner", name)
          .addColumn("created_at", short, (c) => c.notNull())
          .addColumn("updated_at", short, (c) => c.notNull()),
      ).execute();
      await db.schema.createIndex("images_owner_idx").on("images").column("owner").execute();
      await db.schema.createIndex("images_created_at_idx").on("images").columns(["created_at", "id"]).execute();
      await end(
        db.schema
          .createTable("image_tags")
          .addColumn("image_id", id, (c) => c.notNull())
          .addColumn("value", name, (c) => c.notNull())
          .addColumn("position", types.integer, (c) => c.notNull())
          .addPrimaryKeyConstraint("pk_image_tags", ["image_id", "value"]),
      ).execute();
      await end(
        db.schema
          .createTable("image_properties")
          .addColumn("image_id", id, (c) => c.notNull())
          .addColumn("name", name, (c) => c.notNull())
          .addColumn("value", engine === "postgres" ? sql.raw(`text collate "C"`) : types.text, (c) => c.notNull())
          .addColumn("position", types.integer, (c) => c.notNull())
          .addPrimaryKeyConstraint("pk_image_properties", ["image_id", "name"]),
      ).execute();
      await end(
        db.schema
          .createTable("image_members")
          .addColumn("image_id", id, (c) => c.notNull())
          .addColumn("member_id", name, (c) => c.notNull())
          .addColumn("status", short, (c) => c.notNull())
          .addColumn("created_at", short, (c) => c.notNull())
          .addColumn("updated_at", short, (c) => c.notNull())
          .addPrimaryKeyConstraint("pk_image_members", ["image_id", "member_id"]),
      ).execute();
      await db.schema.createIndex("image_members_member_idx").on("image_members").column("member_id").execute();
    },
  },
  {
    // import tasks: the columns lists filter and sort on, and the whole record as JSON
    name: "0002_image_tasks",
    up: async (db, context) => {
      const short = exactString(context, 64);
      const table = db.schema
        .createTable("image_tasks")
        .addColumn("id", short, (c) => c.primaryKey())
        .addColumn("type", short, (c) => c.notNull())
        .addColumn("status", short, (c) => c.notNull())
        .addColumn("owner", exactString(context, 255))
        .addColumn("image_id", short)
        .addColumn("expires_at", short)
        .addColumn("created_at", short, (c) => c.notNull())
        .addColumn("updated_at", short, (c) => c.notNull())
        .addColumn("record", context.types.text, (c) => c.notNull());
      await (context.engine === "mysql" ? table.modifyEnd(TABLE_END) : table).execute();
      await db.schema.createIndex("image_tasks_image_idx").on("image_tasks").column("image_id").execute();
    },
  },
];

/** Row shapes of the image tables, for Kysely (bigints may read back as strings on PostgreSQL). */
export interface ImageTables {
  images: {
    id: string;
    name: string | null;
    status: string;
    visibility: string;
    protected: boolean;
    os_hidden: boolean;
    checksum: string | null;
    os_hash_algo: string | null;
    os_hash_value: string | null;
    size: number | string | null;
    virtual_size: number | string | null;
    disk_format: string | null;
    container_format: string | null;
    min_disk: number | string;
    min_ram: number | string;
    owner: string | null;
    created_at: string;
    updated_at: string;
  };
  image_tags: { image_id: string; value: string; position: number };
  image_properties: { image_id: string; name: string; value: string; position: number };
  image_members: { image_id: string; member_id: string; status: string; created_at: string; updated_at: string };
  image_tasks: {
    id: string;
    type: string;
    status: string;
    owner: string | null;
    image_id: string | null;
    expires_at: string | null;
    created_at: string;
    updated_at: string;
    record: string;
  };
}
