/** Groups and memberships on SQL. */
import type { Database } from "@stratus/core/db";
import type { Kysely, Selectable } from "kysely";
import type { Group, GroupFilter } from "../../domain/group.js";
import type { GroupRepository } from "../../ports.js";
import type { GroupTable, IdentityUsersSchema } from "./schema.js";

const toGroup = (row: Selectable<GroupTable>): Group => ({
  id: row.id,
  domainId: row.domain_id,
  name: row.name,
  description: row.description,
  extra: row.extra ?? {},
});

const extraColumn = (extra: Readonly<Record<string, unknown>>) =>
  Object.keys(extra).length === 0 ? null : { ...extra };

/** The GroupRepository on a Database holding the identity_users migrations. */
export class SqlGroupRepository implements GroupRepository {
  private readonly db: Kysely<IdentityUsersSchema>;

  constructor(private readonly database: Database<IdentityUsersSchema>) {
    this.db = database.kysely;
  }

  async insert(group: Group): Promise<void> {
    await this.db
      .insertInto("iu_group")
      .values({
        id: group.id,
        domain_id: group.domainId,
        name: group.name,
        description: group.description,
        extra: extraColumn(group.extra),
      })
      .execute();
  }

  async get(id: string): Promise<Group | undefined> {
    const row = await this.db.selectFrom("iu_group").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toGroup(row);
  }

  async list(filter: GroupFilter): Promise<Group[]> {
    let query = this.db.selectFrom("iu_group").selectAll("iu_group");
    if (filter.userId !== undefined) {
      query = query
        .innerJoin("iu_membership", "iu_membership.group_id", "iu_group.id")
        .where("iu_membership.user_id", "=", filter.userId);
    }
    if (filter.domainId !== undefined) query = query.where("iu_group.domain_id", "=", filter.domainId);
    if (filter.name !== undefined) query = query.where("iu_group.name", "=", filter.name);
    return (await query.orderBy("iu_group.id").execute()).map(toGroup);
  }

  async update(group: Group): Promise<void> {
    await this.db
      .updateTable("iu_group")
      .set({ name: group.name, description: group.description, extra: extraColumn(group.extra) })
      .where("id", "=", group.id)
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    return this.database.transaction(async (trx) => {
      await trx.deleteFrom("iu_membership").where("group_id", "=", id).execute();
      const result = await trx.deleteFrom("iu_group").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async addMember(groupId: string, userId: string): Promise<void> {
    if (await this.isMember(groupId, userId)) return;
    try {
      await this.db.insertInto("iu_membership").values({ user_id: userId, group_id: groupId }).execute();
    } catch (err) {
      // A concurrent add of the same membership won: the pair exists, which is what we wanted.
      if (!(await this.isMember(groupId, userId))) throw err;
    }
  }

  async removeMember(groupId: string, userId: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom("iu_membership")
      .where("group_id", "=", groupId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async isMember(groupId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom("iu_membership")
      .select("user_id")
      .where("group_id", "=", groupId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  async groupIdsOfUser(userId: string): Promise<string[]> {
    const rows = await this.db.selectFrom("iu_membership").select("group_id").where("user_id", "=", userId).execute();
    return rows.map((r) => r.group_id);
  }

  async memberIds(groupId: string): Promise<string[]> {
    const rows = await this.db.selectFrom("iu_membership").select("user_id").where("group_id", "=", groupId).execute();
    return rows.map((r) => r.user_id);
  }
}
