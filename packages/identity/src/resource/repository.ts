/**
 * Where projects live: the port the resource service needs, and its SQL implementation on
 * `@stratus/core/db` (SQLite, PostgreSQL, MariaDB).
 */
import type { Database } from "@stratus/core/db";
import { conflict } from "@stratus/core/errors";
import { type ResourceSchema, ROOT_DOMAIN_SENTINEL } from "./migrations.js";
import type { Project, ProjectFilter } from "./model.js";

/** A project as read, with the generation that guards its next update. */
export interface StoredProject {
  /** The project. */
  readonly project: Project;
  /** Compare-and-swap token for `update`. */
  readonly generation: number;
}

/** Persistence of projects (domains included). */
export interface ProjectRepository {
  /** The project with `id` (domains included), or null. */
  get(id: string): Promise<StoredProject | null>;
  /** The project named `name` in `domainId` (null: the domain named `name`), or null. */
  getByName(name: string, domainId: string | null): Promise<Project | null>;
  /** Projects matching every given filter, ordered by id. */
  list(filter?: ProjectFilter): Promise<Project[]>;
  /** Inserts a project; throws `conflict` when the name is taken in its domain or the id exists. */
  create(project: Project): Promise<void>;
  /**
   * Replaces the stored fields of `project` if its generation is still `expectedGeneration`.
   * Throws `conflict` on a lost race or a duplicate name, `not_found` when it is gone.
   */
  update(project: Project, expectedGeneration: number): Promise<void>;
  /** Deletes the projects (and their tags); unknown ids are ignored. */
  delete(ids: readonly string[]): Promise<void>;
}

type Row = ResourceSchema["project"];

const toRow = (p: Project): Omit<Row, "generation"> => ({
  id: p.id,
  name: p.name,
  domain_id: p.domainId ?? ROOT_DOMAIN_SENTINEL,
  description: p.description,
  enabled: p.enabled,
  parent_id: p.parentId,
  is_domain: p.isDomain,
  extra: { ...p.extra },
});

const fromRow = (row: Row, tags: readonly string[]): Project => ({
  id: row.id,
  name: row.name,
  domainId: row.domain_id === ROOT_DOMAIN_SENTINEL ? null : row.domain_id,
  description: row.description,
  enabled: Boolean(row.enabled),
  parentId: row.parent_id,
  isDomain: Boolean(row.is_domain),
  tags,
  extra: (row.extra ?? {}) as Record<string, unknown>,
});

/** Projects in SQL tables `project` and `project_tag` (see RESOURCE_MIGRATIONS). */
export class SqlProjectRepository implements ProjectRepository {
  constructor(private readonly db: Database<ResourceSchema>) {}

  async get(id: string): Promise<StoredProject | null> {
    const row = await this.db.kysely.selectFrom("project").selectAll().where("id", "=", id).executeTakeFirst();
    if (row === undefined) return null;
    const tags = await this.tagsOf([id]);
    return { project: fromRow(row, tags.get(id) ?? []), generation: Number(row.generation) };
  }

  async getByName(name: string, domainId: string | null): Promise<Project | null> {
    const row = await this.db.kysely
      .selectFrom("project")
      .selectAll()
      .where("name", "=", name)
      .where("domain_id", "=", domainId ?? ROOT_DOMAIN_SENTINEL)
      .executeTakeFirst();
    if (row === undefined) return null;
    return fromRow(row, (await this.tagsOf([row.id])).get(row.id) ?? []);
  }

  async list(filter: ProjectFilter = {}): Promise<Project[]> {
    if (filter.ids !== undefined && filter.ids.length === 0) return [];
    let q = this.db.kysely.selectFrom("project").selectAll();
    if (filter.domainId !== undefined) q = q.where("domain_id", "=", filter.domainId);
    if (filter.parentId !== undefined) q = q.where("parent_id", "=", filter.parentId);
    if (filter.name !== undefined) q = q.where("name", "=", filter.name);
    if (filter.enabled !== undefined) q = q.where("enabled", "=", filter.enabled);
    if (filter.isDomain !== undefined) q = q.where("is_domain", "=", filter.isDomain);
    if (filter.ids !== undefined) q = q.where("id", "in", [...filter.ids]);
    const rows = await q.orderBy("id").execute();
    const tags = await this.tagsOf(rows.length > 200 ? null : rows.map((r) => r.id));
    return rows.map((row) => fromRow(row, tags.get(row.id) ?? []));
  }

  async create(project: Project): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx
        .insertInto("project")
        .values({ ...toRow(project), generation: 1 })
        .execute();
      await insertTags(trx, project.id, project.tags);
    });
  }

  async update(project: Project, expectedGeneration: number): Promise<void> {
    await this.db.transaction(async (trx) => {
      const { id: _id, ...set } = toRow(project);
      const result = await trx
        .updateTable("project")
        .set({ ...set, generation: expectedGeneration + 1 })
        .where("id", "=", project.id)
        .where("generation", "=", expectedGeneration)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw conflict(`Project ${project.id} was changed by someone else; reload it and try again.`, {
          details: { expectedGeneration },
        });
      }
      await trx.deleteFrom("project_tag").where("project_id", "=", project.id).execute();
      await insertTags(trx, project.id, project.tags);
    });
  }

  async delete(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.transaction(async (trx) => {
      await trx
        .deleteFrom("project_tag")
        .where("project_id", "in", [...ids])
        .execute();
      await trx
        .deleteFrom("project")
        .where("id", "in", [...ids])
        .execute();
    });
  }

  /** Tags per project id; null loads every tag (cheaper than a huge IN list). */
  private async tagsOf(ids: readonly string[] | null): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (ids !== null && ids.length === 0) return out;
    let q = this.db.kysely.selectFrom("project_tag").selectAll();
    if (ids !== null) q = q.where("project_id", "in", [...ids]);
    const rows = await q.orderBy("project_id").orderBy("position").execute();
    for (const row of rows) {
      const list = out.get(row.project_id) ?? [];
      list.push(row.name);
      out.set(row.project_id, list);
    }
    return out;
  }
}

type Trx = Parameters<Parameters<Database<ResourceSchema>["transaction"]>[0]>[0];

async function insertTags(trx: Trx, projectId: string, tags: readonly string[]): Promise<void> {
  if (tags.length === 0) return;
  await trx
    .insertInto("project_tag")
    .values(tags.map((name, position) => ({ project_id: projectId, name, position })))
    .execute();
}
