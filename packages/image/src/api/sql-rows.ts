/**
 * How SqlImageRepository maps records to rows and a list request to SQL: the filter (with the
 * visibility and membership rule), the order with a stable id tie-break, and the keyset condition
 * "after the marker" that the memory repository's `matchesFilter` and `compareBy` define.
 */
import type { Database, Engine } from "@stratus/core/db";
import type { Expression, ExpressionBuilder, SelectQueryBuilder, SqlBool } from "kysely";
import { sql } from "kysely";
import type { Image, ImageMember, ImageStatus, MemberStatus, Visibility } from "./model.js";
import type { ImageFilter, TimeComparison } from "./repository.js";
import type { SortKey, SortSpec } from "./sort.js";
import type { ImageTables } from "./sql-migrations.js";

/** Kysely on the image tables (a transaction is one too). */
export type ImageDb = Database<ImageTables>["kysely"];
export type ImageRow = ImageTables["images"];
type Eb = ExpressionBuilder<ImageTables, "images">;
type ImageQuery<O> = SelectQueryBuilder<ImageTables, "images", O>;

const num = (v: number | string | null): number | null => (v === null ? null : Number(v));

/** The record a row and its child rows describe. */
export function toImage(row: ImageRow, tags: readonly string[], properties: Readonly<Record<string, string>>): Image {
  return {
    id: row.id,
    name: row.name,
    status: row.status as ImageStatus,
    visibility: row.visibility as Visibility,
    protected: Boolean(row.protected),
    os_hidden: Boolean(row.os_hidden),
    checksum: row.checksum,
    os_hash_algo: row.os_hash_algo,
    os_hash_value: row.os_hash_value,
    size: num(row.size),
    virtual_size: num(row.virtual_size),
    disk_format: row.disk_format,
    container_format: row.container_format,
    min_disk: Number(row.min_disk),
    min_ram: Number(row.min_ram),
    owner: row.owner,
    tags,
    created_at: row.created_at,
    updated_at: row.updated_at,
    properties,
  };
}

/** The `images` row of a record (tags and properties live in their own tables). */
export function imageRow(image: Image): ImageRow {
  const i = image;
  return {
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    protected: i.protected,
    os_hidden: i.os_hidden,
    checksum: i.checksum,
    os_hash_algo: i.os_hash_algo,
    os_hash_value: i.os_hash_value,
    size: i.size,
    virtual_size: i.virtual_size,
    disk_format: i.disk_format,
    container_format: i.container_format,
    min_disk: i.min_disk,
    min_ram: i.min_ram,
    owner: i.owner,
    created_at: i.created_at,
    updated_at: i.updated_at,
  };
}

/** The `image_tags` rows of a record, in its order, each tag once. */
export const tagRows = (image: Image) =>
  [...new Set(image.tags)].map((value, position) => ({ image_id: image.id, value, position }));

/** The `image_properties` rows of a record, in its key order. */
export const propertyRows = (image: Image) =>
  Object.entries(image.properties).map(([name, value], position) => ({ image_id: image.id, name, value, position }));

export const toMember = (row: ImageTables["image_members"]): ImageMember => ({
  ...row,
  status: row.status as MemberStatus,
});

/** A condition no row meets (an empty `in` list). */
const NONE = sql<SqlBool>`1 = 0`;
const OPS = { eq: "=", neq: "<>", gt: ">", gte: ">=", lt: "<", lte: "<=" } as const;

function time(eb: Eb, column: "images.created_at" | "images.updated_at", c: TimeComparison) {
  // Both sides are `Date#toISOString` text, which orders as the instants do.
  return eb(column, OPS[c.op], c.at);
}

function hasTag(eb: Eb, tag: string) {
  const rows = eb
    .selectFrom("image_tags")
    .select(sql<number>`1`.as("one"))
    .whereRef("image_tags.image_id", "=", "images.id")
    .where("image_tags.value", "=", tag);
  return eb.exists(rows);
}

function hasProperty(eb: Eb, name: string, value: string) {
  const rows = eb
    .selectFrom("image_properties")
    .select(sql<number>`1`.as("one"))
    .whereRef("image_properties.image_id", "=", "images.id")
    .where("image_properties.name", "=", name)
    .where("image_properties.value", "=", value);
  return eb.exists(rows);
}

function attributeConditions(eb: Eb, f: ImageFilter): Expression<SqlBool>[] {
  const out: Expression<SqlBool>[] = [];
  const inList = (column: "images.name" | "images.id", values: readonly string[] | undefined) => {
    if (values !== undefined) out.push(values.length === 0 ? NONE : eb(column, "in", [...values]));
  };
  inList("images.name", f.names);
  inList("images.id", f.ids);
  if (f.name !== undefined) out.push(eb("images.name", "=", f.name));
  if (f.diskFormat !== undefined) out.push(eb("images.disk_format", "=", f.diskFormat));
  if (f.containerFormat !== undefined) out.push(eb("images.container_format", "=", f.containerFormat));
  if (f.owner !== undefined) out.push(eb("images.owner", "=", f.owner));
  if (f.checksum !== undefined) out.push(eb("images.checksum", "=", f.checksum));
  if (f.osHashValue !== undefined) out.push(eb("images.os_hash_value", "=", f.osHashValue));
  if (f.protected !== undefined) out.push(eb("images.protected", "=", f.protected));
  if (f.size !== undefined) out.push(eb("images.size", "=", f.size));
  if (f.sizeMin !== undefined) out.push(eb("images.size", ">=", f.sizeMin));
  if (f.sizeMax !== undefined) out.push(eb("images.size", "<=", f.sizeMax));
  if (f.minDisk !== undefined) out.push(eb("images.min_disk", "=", f.minDisk));
  if (f.minRam !== undefined) out.push(eb("images.min_ram", "=", f.minRam));
  for (const tag of f.tags ?? []) out.push(hasTag(eb, tag));
  for (const [k, v] of Object.entries(f.properties ?? {})) out.push(hasProperty(eb, k, v));
  if (f.createdAt !== undefined) out.push(time(eb, "images.created_at", f.createdAt));
  if (f.updatedAt !== undefined) out.push(time(eb, "images.updated_at", f.updatedAt));
  if (f.status !== undefined) out.push(eb("images.status", "=", f.status));
  if (f.visibility !== undefined) out.push(eb("images.visibility", "=", f.visibility));
  if (f.osHidden !== undefined) out.push(eb("images.os_hidden", "=", f.osHidden));
  return out;
}

/** Glance's rule for what a project sees: its own, public, asked-for community, shared with it. */
function visibleCondition(eb: Eb, project: string | null, f: ImageFilter): Expression<SqlBool> {
  const branches: Expression<SqlBool>[] = [
    project === null ? eb("images.owner", "is", null) : eb("images.owner", "=", project),
    eb("images.visibility", "=", "public"),
  ];
  if (f.visibility === "community") branches.push(eb("images.visibility", "=", "community"));
  if (project) {
    const wanted = f.memberStatus ?? "accepted";
    const member = eb
      .selectFrom("image_members")
      .select(sql<number>`1`.as("one"))
      .whereRef("image_members.image_id", "=", "images.id")
      .where("image_members.member_id", "=", project)
      .$if(wanted !== "all", (q) => q.where("image_members.status", "=", wanted));
    branches.push(eb.and([eb("images.visibility", "=", "shared"), eb.exists(member)]));
  }
  return eb.or(branches);
}

/** `query` narrowed to the images that pass `f`, all in SQL. */
export function whereFilter<O>(query: ImageQuery<O>, f: ImageFilter): ImageQuery<O> {
  return query.where((eb) => {
    const all = attributeConditions(eb, f);
    if (f.visibleTo !== undefined) all.push(visibleCondition(eb, f.visibleTo, f));
    return eb.and(all);
  });
}

/** The sort keys with the id appended (last direction) unless present, as `compareBy` does. */
export function fullSort(specs: readonly SortSpec[]): readonly SortSpec[] {
  const last = specs.at(-1)?.dir ?? "desc";
  return specs.some((s) => s.key === "id") ? specs : [...specs, { key: "id", dir: last }];
}

/**
 * `query` in the order of `keys`, nulls first on ascending keys and last on descending ones (the
 * default of SQLite and MariaDB; PostgreSQL is told).
 */
export function orderBy<O>(query: ImageQuery<O>, keys: readonly SortSpec[], engine: Engine): ImageQuery<O> {
  let q = query;
  for (const { key, dir } of keys) {
    const column = `images.${key}` as const;
    if (engine !== "postgres") q = q.orderBy(column, dir);
    else q = q.orderBy(column, (ob) => (dir === "asc" ? ob.asc().nullsFirst() : ob.desc().nullsLast()));
  }
  return q;
}

const sortValue = (row: ImageRow, key: SortKey): string | number | null => (key === "size" ? num(row.size) : row[key]);

/** Rows that come after `marker` in the order of `keys` (keyset pagination, null-aware). */
export function afterMarker<O>(query: ImageQuery<O>, keys: readonly SortSpec[], marker: ImageRow): ImageQuery<O> {
  return query.where((eb) => {
    const equal = ({ key }: SortSpec) => {
      const v = sortValue(marker, key);
      return v === null ? eb(`images.${key}`, "is", null) : eb(`images.${key}`, "=", v);
    };
    const beyond = ({ key, dir }: SortSpec): Expression<SqlBool> => {
      const v = sortValue(marker, key);
      const column = `images.${key}` as const;
      if (dir === "asc") return v === null ? eb(column, "is not", null) : eb(column, ">", v);
      return v === null ? NONE : eb.or([eb(column, "<", v), eb(column, "is", null)]);
    };
    return eb.or(keys.map((k, i) => eb.and([...keys.slice(0, i).map(equal), beyond(k)])));
  });
}
