/**
 * Persistence of roles, implication rules and assignments: the ports the assignment service needs
 * and their SQL implementations on `@stratus/core/db`.
 */
import type { Database } from "@stratus/core/db";
import { StratusError } from "@stratus/core/errors";
import { type AssignmentSchema, GLOBAL_ROLE_SENTINEL } from "./migrations.js";
import type { Assignment, AssignmentType, ImpliedRule, Role } from "./model.js";

/** Roles and implication rules. */
export interface RoleRepository {
  /** The role `id`, or null. */
  get(id: string): Promise<Role | null>;
  /** Roles ordered by id; `domainId` null: only global roles; undefined: all. */
  list(filter?: { readonly name?: string; readonly domainId?: string | null }): Promise<Role[]>;
  /** Inserts a role; throws `conflict` for a name taken in the same domain (or among global roles). */
  create(role: Role): Promise<void>;
  /** Replaces name, description and extra; throws `conflict` for a taken name. */
  update(role: Role): Promise<void>;
  /** Deletes the role and every rule that names it; idempotent. */
  delete(id: string): Promise<void>;
  /** Every implication rule. */
  listRules(): Promise<ImpliedRule[]>;
  /** Adds a rule; throws `conflict` when it exists. */
  createRule(rule: ImpliedRule): Promise<void>;
  /** Removes a rule; returns false when there was none. */
  deleteRule(rule: ImpliedRule): Promise<boolean>;
}

/** Assignment rows. */
export interface AssignmentRepository {
  /** Stores an assignment; storing an existing one again is a no-op (Keystone's grants are idempotent). */
  add(assignment: Assignment): Promise<void>;
  /** Removes one assignment; returns false when it did not exist. */
  remove(assignment: Assignment): Promise<boolean>;
  /** Every assignment (the assignment service indexes them in memory). */
  listAll(): Promise<Assignment[]>;
  /** Removes every assignment whose actor, target or role is `id` in `column`; returns them. */
  removeWhere(column: "actor" | "target" | "role", id: string): Promise<Assignment[]>;
}

const isUnique = (err: unknown) => StratusError.is(err) && err.code === "conflict";

type RoleRow = AssignmentSchema["role"];
const roleOf = (r: RoleRow): Role => ({
  id: r.id,
  name: r.name,
  domainId: r.domain_id === GLOBAL_ROLE_SENTINEL ? null : r.domain_id,
  description: r.description,
  extra: (r.extra ?? {}) as Record<string, unknown>,
});
const rowOf = (r: Role): RoleRow => ({
  id: r.id,
  name: r.name,
  domain_id: r.domainId ?? GLOBAL_ROLE_SENTINEL,
  description: r.description,
  extra: { ...r.extra },
});

/** Roles in SQL tables `role` and `implied_role`. */
export class SqlRoleRepository implements RoleRepository {
  constructor(private readonly db: Database<AssignmentSchema>) {}

  async get(id: string): Promise<Role | null> {
    const row = await this.db.kysely.selectFrom("role").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : roleOf(row);
  }

  async list(filter: { readonly name?: string; readonly domainId?: string | null } = {}): Promise<Role[]> {
    let q = this.db.kysely.selectFrom("role").selectAll();
    if (filter.name !== undefined) q = q.where("name", "=", filter.name);
    if (filter.domainId !== undefined) q = q.where("domain_id", "=", filter.domainId ?? GLOBAL_ROLE_SENTINEL);
    return (await q.orderBy("id").execute()).map(roleOf);
  }

  async create(role: Role): Promise<void> {
    await this.db.kysely.insertInto("role").values(rowOf(role)).execute();
  }

  async update(role: Role): Promise<void> {
    const { id, ...set } = rowOf(role);
    await this.db.kysely.updateTable("role").set(set).where("id", "=", id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.transaction(async (trx) => {
      await trx
        .deleteFrom("implied_role")
        .where((eb) => eb.or([eb("prior_role_id", "=", id), eb("implied_role_id", "=", id)]))
        .execute();
      await trx.deleteFrom("role").where("id", "=", id).execute();
    });
  }

  async listRules(): Promise<ImpliedRule[]> {
    const rows = await this.db.kysely
      .selectFrom("implied_role")
      .selectAll()
      .orderBy("prior_role_id")
      .orderBy("implied_role_id")
      .execute();
    return rows.map((r) => ({ priorRoleId: r.prior_role_id, impliedRoleId: r.implied_role_id }));
  }

  async createRule(rule: ImpliedRule): Promise<void> {
    await this.db.kysely
      .insertInto("implied_role")
      .values({ prior_role_id: rule.priorRoleId, implied_role_id: rule.impliedRoleId })
      .execute();
  }

  async deleteRule(rule: ImpliedRule): Promise<boolean> {
    const result = await this.db.kysely
      .deleteFrom("implied_role")
      .where("prior_role_id", "=", rule.priorRoleId)
      .where("implied_role_id", "=", rule.impliedRoleId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

type AssignmentRow = AssignmentSchema["assignment"];
const assignmentRow = (a: Assignment): AssignmentRow => ({
  type: a.type,
  actor_id: a.actorId,
  target_id: a.targetId,
  role_id: a.roleId,
  inherited: a.inherited,
});
const assignmentOfRow = (r: AssignmentRow): Assignment => ({
  type: r.type as AssignmentType,
  actorId: r.actor_id,
  targetId: r.target_id,
  roleId: r.role_id,
  inherited: Boolean(r.inherited),
});
const COLUMN = { actor: "actor_id", target: "target_id", role: "role_id" } as const;

/** Assignments in SQL table `assignment`. */
export class SqlAssignmentRepository implements AssignmentRepository {
  constructor(private readonly db: Database<AssignmentSchema>) {}

  async add(assignment: Assignment): Promise<void> {
    try {
      await this.db.kysely.insertInto("assignment").values(assignmentRow(assignment)).execute();
    } catch (err) {
      if (!isUnique(err)) throw err;
    }
  }

  async remove(a: Assignment): Promise<boolean> {
    const result = await this.db.kysely
      .deleteFrom("assignment")
      .where("type", "=", a.type)
      .where("actor_id", "=", a.actorId)
      .where("target_id", "=", a.targetId)
      .where("role_id", "=", a.roleId)
      .where("inherited", "=", a.inherited)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listAll(): Promise<Assignment[]> {
    const rows = await this.db.kysely
      .selectFrom("assignment")
      .selectAll()
      .orderBy("type")
      .orderBy("actor_id")
      .orderBy("target_id")
      .orderBy("role_id")
      .execute();
    return rows.map(assignmentOfRow);
  }

  async removeWhere(column: "actor" | "target" | "role", id: string): Promise<Assignment[]> {
    return this.db.transaction(async (trx) => {
      const rows = await trx.selectFrom("assignment").selectAll().where(COLUMN[column], "=", id).execute();
      await trx.deleteFrom("assignment").where(COLUMN[column], "=", id).execute();
      return rows.map(assignmentOfRow);
    });
  }
}
