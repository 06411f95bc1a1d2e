/**
 * An ImageRepository on SQL (SQLite, PostgreSQL, MariaDB) through `@stratus/core/db`. Lists are
 * filtered, ordered and paged in SQL; updates read the row under a lock (`SELECT ... FOR UPDATE`
 * on PostgreSQL and MariaDB, SQLite's immediate transactions elsewhere), so several API nodes on
 * one database never lose each other's writes.
 */
import type { Database, TransactionOptions } from "@stratus/core/db";
import { conflict, notFound, StratusError } from "@stratus/core/errors";
import type { Image, ImageMember } from "./model.js";
import type { ImageListRequest, ImageRepository, ImageUsage } from "./repository.js";
import { DEFAULT_SORT } from "./sort.js";
import { IMAGE_MIGRATIONS, type ImageTables } from "./sql-migrations.js";
import {
  afterMarker,
  fullSort,
  type ImageDb,
  type ImageRow,
  imageRow,
  orderBy,
  propertyRows,
  tagRows,
  toImage,
  toMember,
  whereFilter,
} from "./sql-rows.js";

const missing = (id: string) => notFound(`No image found with ID ${id}`);
const notMember = (imageId: string, memberId: string) => notFound(`${memberId} is not a member of image ${imageId}`);
const isUnique = (err: unknown) =>
  StratusError.is(err) && err.code === "conflict" && (err.details as { kind?: string } | undefined)?.kind === "unique";

/** Rows per INSERT: well under every engine's bound-parameter limit. */
const CHUNK = 200;
async function insertChunked(
  db: ImageDb,
  table: "image_tags" | "image_properties",
  rows: readonly ImageTables["image_tags" | "image_properties"][],
) {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as ImageTables["image_properties"][])
      .execute();
  }
}

const sameList = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Image records in SQL. `open` migrates the database (namespace `image`); the repository owns it
 * from then on (`close` closes it).
 *
 * ```ts
 * const repository = await SqlImageRepository.open(await openDatabase({ engine: "sqlite", path: "images.db" }));
 * ```
 */
export class SqlImageRepository implements ImageRepository {
  private constructor(private readonly db: Database<ImageTables>) {}

  /** Migrates `db` and returns a repository on it. Throws the database's errors (translated). */
  static async open(db: Database<unknown>): Promise<SqlImageRepository> {
    await db.migrate("image", IMAGE_MIGRATIONS);
    return new SqlImageRepository(db as unknown as Database<ImageTables>);
  }

  /** Closes the database; idempotent. */
  close(): Promise<void> {
    return this.db.close();
  }

  /** A transaction that retries deadlocks; MariaDB reads committed data after a row lock. */
  private tx<T>(fn: (trx: ImageDb) => Promise<T>): Promise<T> {
    const options: TransactionOptions = {
      maxAttempts: 5,
      ...(this.db.engine === "mysql" ? { isolationLevel: "read committed" as const } : {}),
    };
    return this.db.transaction((trx) => fn(trx as unknown as ImageDb), options);
  }

  /** Rows of `ids` as records, in the given order, with their tags and properties. */
  private async hydrate(db: ImageDb, rows: readonly ImageRow[]): Promise<Image[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const tags = await db
      .selectFrom("image_tags")
      .selectAll()
      .where("image_id", "in", ids)
      .orderBy("image_id")
      .orderBy("position")
      .execute();
    const props = await db
      .selectFrom("image_properties")
      .selectAll()
      .where("image_id", "in", ids)
      .orderBy("image_id")
      .orderBy("position")
      .execute();
    return rows.map((row) => {
      const properties: Record<string, string> = {};
      for (const p of props) if (p.image_id === row.id) properties[p.name] = p.value;
      return toImage(
        row,
        tags.filter((t) => t.image_id === row.id).map((t) => t.value),
        properties,
      );
    });
  }

  private async lockedRow(db: ImageDb, id: string): Promise<ImageRow | undefined> {
    const query = db.selectFrom("images").selectAll().where("id", "=", id);
    return (this.db.engine === "sqlite" ? query : query.forUpdate()).executeTakeFirst();
  }

  async get(id: string): Promise<Image | null> {
    return this.tx(async (db) => {
      const row = await db.selectFrom("images").selectAll().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : ((await this.hydrate(db, [row]))[0] ?? null);
    });
  }

  async create(image: Image): Promise<void> {
    try {
      await this.tx(async (db) => {
        await db.insertInto("images").values(imageRow(image)).execute();
        await insertChunked(db, "image_tags", tagRows(image));
        await insertChunked(db, "image_properties", propertyRows(image));
      });
    } catch (err) {
      if (isUnique(err)) throw conflict(`Image with identifier ${image.id} already exists!`);
      throw err;
    }
  }

  async update(id: string, change: (current: Image) => Image): Promise<Image> {
    return this.tx(async (db) => {
      const row = await this.lockedRow(db, id);
      if (row === undefined) throw missing(id);
      const [current] = await this.hydrate(db, [row]);
      const next = { ...change(current!), id };
      await db.updateTable("images").set(imageRow(next)).where("id", "=", id).execute();
      if (!sameList(current!.tags, next.tags)) {
        await db.deleteFrom("image_tags").where("image_id", "=", id).execute();
        await insertChunked(db, "image_tags", tagRows(next));
      }
      const entries = (i: Image) => Object.entries(i.properties).flat();
      if (!sameList(entries(current!), entries(next))) {
        await db.deleteFrom("image_properties").where("image_id", "=", id).execute();
        await insertChunked(db, "image_properties", propertyRows(next));
      }
      return next;
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.tx(async (db) => {
      for (const table of ["image_members", "image_tags", "image_properties"] as const) {
        await db.deleteFrom(table).where("image_id", "=", id).execute();
      }
      const result = await db.deleteFrom("images").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async list(request: ImageListRequest): Promise<readonly Image[]> {
    const keys = fullSort(request.sort ?? DEFAULT_SORT);
    return this.tx(async (db) => {
      const filtered = whereFilter(db.selectFrom("images").selectAll(), request.filter);
      let query = orderBy(filtered, keys, this.db.engine).limit(request.limit);
      if (request.marker !== null) {
        // The marker must be an image the same filter lets through, as in the memory repository.
        const marker = await filtered.where("images.id", "=", request.marker).executeTakeFirst();
        if (marker === undefined) throw missing(request.marker);
        query = afterMarker(query, keys, marker);
      }
      return this.hydrate(db, await query.execute());
    });
  }

  async usage(owner: string): Promise<ImageUsage> {
    const row = await this.db.kysely
      .selectFrom("images")
      .select((eb) => [eb.fn.countAll().as("images"), eb.fn.sum("size").as("bytes")])
      .where("owner", "=", owner)
      .executeTakeFirstOrThrow();
    return { images: Number(row.images), bytes: Number(row.bytes ?? 0) };
  }

  async addMember(member: ImageMember): Promise<void> {
    try {
      await this.tx(async (db) => {
        if ((await this.lockedRow(db, member.image_id)) === undefined) throw missing(member.image_id);
        await db
          .insertInto("image_members")
          .values({ ...member })
          .execute();
      });
    } catch (err) {
      if (isUnique(err)) throw conflict(`Member ${member.member_id} already exists on image ${member.image_id}`);
      throw err;
    }
  }

  async getMember(imageId: string, memberId: string): Promise<ImageMember | null> {
    const row = await this.db.kysely
      .selectFrom("image_members")
      .selectAll()
      .where("image_id", "=", imageId)
      .where("member_id", "=", memberId)
      .executeTakeFirst();
    return row === undefined ? null : toMember(row);
  }

  async listMembers(imageId: string): Promise<readonly ImageMember[]> {
    const rows = await this.db.kysely
      .selectFrom("image_members")
      .selectAll()
      .where("image_id", "=", imageId)
      .orderBy("created_at")
      .orderBy("member_id")
      .execute();
    return rows.map(toMember);
  }

  async updateMember(
    imageId: string,
    memberId: string,
    change: (current: ImageMember) => ImageMember,
  ): Promise<ImageMember> {
    return this.tx(async (db) => {
      const query = db
        .selectFrom("image_members")
        .selectAll()
        .where("image_id", "=", imageId)
        .where("member_id", "=", memberId);
      const row = await (this.db.engine === "sqlite" ? query : query.forUpdate()).executeTakeFirst();
      if (row === undefined) throw notMember(imageId, memberId);
      const next = { ...change(toMember(row)), image_id: imageId, member_id: memberId };
      await db
        .updateTable("image_members")
        .set({ status: next.status, created_at: next.created_at, updated_at: next.updated_at })
        .where("image_id", "=", imageId)
        .where("member_id", "=", memberId)
        .execute();
      return next;
    });
  }

  async deleteMember(imageId: string, memberId: string): Promise<boolean> {
    const result = await this.db.kysely
      .deleteFrom("image_members")
      .where("image_id", "=", imageId)
      .where("member_id", "=", memberId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
