/**
 * A TaskRepository on SQL (SQLite, PostgreSQL, MariaDB), in the image service's database: the
 * columns a list filters and sorts on, and the whole task as JSON. Updates read the row under a
 * lock (`SELECT ... FOR UPDATE` on PostgreSQL and MariaDB), so two API nodes never lose a write.
 */
import type { Database, TransactionOptions } from "@stratus/core/db";
import { conflict, notFound, StratusError } from "@stratus/core/errors";
import type { Kysely } from "kysely";
import { IMAGE_MIGRATIONS, type ImageTables } from "./sql-migrations.js";
import type { ImageTask, TaskListRequest, TaskRepository } from "./tasks.js";

type TaskDb = Kysely<ImageTables>;
type TaskRow = ImageTables["image_tasks"];

const missing = (id: string) => notFound(`Task with identifier ${id} not found`);
const toTask = (row: Pick<TaskRow, "record">): ImageTask => JSON.parse(row.record) as ImageTask;
const toRow = (task: ImageTask): TaskRow => ({
  id: task.id,
  type: task.type,
  status: task.status,
  owner: task.owner,
  image_id: task.image_id,
  expires_at: task.expires_at,
  created_at: task.created_at,
  updated_at: task.updated_at,
  record: JSON.stringify(task),
});

/**
 * Tasks in SQL. `open` migrates the image namespace (shared with SqlImageRepository on the same
 * database, which owns and closes it).
 */
export class SqlTaskRepository implements TaskRepository {
  private constructor(private readonly db: Database<ImageTables>) {}

  static async open(db: Database<unknown>): Promise<SqlTaskRepository> {
    await db.migrate("image", IMAGE_MIGRATIONS);
    return new SqlTaskRepository(db as unknown as Database<ImageTables>);
  }

  private get q(): TaskDb {
    return this.db.kysely as unknown as TaskDb;
  }

  async get(id: string): Promise<ImageTask | null> {
    const row = await this.q.selectFrom("image_tasks").select("record").where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toTask(row);
  }

  async create(task: ImageTask): Promise<void> {
    try {
      await this.q.insertInto("image_tasks").values(toRow(task)).execute();
    } catch (error) {
      if (StratusError.is(error) && error.code === "conflict")
        throw conflict(`Task with identifier ${task.id} already exists.`);
      throw error;
    }
  }

  async update(id: string, change: (current: ImageTask) => ImageTask): Promise<ImageTask> {
    const options: TransactionOptions = {
      maxAttempts: 5,
      ...(this.db.engine === "mysql" ? { isolationLevel: "read committed" as const } : {}),
    };
    return this.db.transaction(async (trx) => {
      const t = trx as unknown as TaskDb;
      const query = t.selectFrom("image_tasks").select("record").where("id", "=", id);
      const row = await (this.db.engine === "sqlite" ? query : query.forUpdate()).executeTakeFirst();
      if (row === undefined) throw missing(id);
      const next = change(toTask(row));
      const { id: _id, ...rest } = toRow(next);
      await t.updateTable("image_tasks").set(rest).where("id", "=", id).execute();
      return next;
    }, options);
  }

  async list(request: TaskListRequest): Promise<readonly ImageTask[]> {
    const key = request.sortKey ?? "created_at";
    const dir = request.sortDir ?? "desc";
    let query = this.q.selectFrom("image_tasks").select(["id", "record"]);
    if (request.owner !== undefined)
      query = request.owner === null ? query.where("owner", "is", null) : query.where("owner", "=", request.owner);
    if (request.status !== undefined) query = query.where("status", "=", request.status);
    if (request.type !== undefined) query = query.where("type", "=", request.type);
    const liveAt = request.liveAt;
    if (liveAt !== undefined)
      query = query.where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">=", liveAt)]));
    // a missing expires_at sorts as the empty string, as in the memory implementation
    const sortColumn = key === "expires_at" ? "expires_at" : key;
    const rows = await query
      .orderBy(
        (eb) => (sortColumn === "expires_at" ? eb.fn.coalesce("expires_at", eb.val("")) : eb.ref(sortColumn)),
        dir,
      )
      .orderBy("id", dir)
      .execute();
    let start = 0;
    if (request.marker !== undefined && request.marker !== null) {
      const at = rows.findIndex((r) => r.id === request.marker);
      if (at < 0) throw missing(request.marker);
      start = at + 1;
    }
    return rows.slice(start, start + request.limit).map(toTask);
  }

  async listByImage(imageId: string): Promise<readonly ImageTask[]> {
    const rows = await this.q
      .selectFrom("image_tasks")
      .select("record")
      .where("image_id", "=", imageId)
      .orderBy("created_at")
      .orderBy("id")
      .execute();
    return rows.map(toTask);
  }
}
