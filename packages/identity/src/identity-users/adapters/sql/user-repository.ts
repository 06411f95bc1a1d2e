/** Users on SQL (SQLite, PostgreSQL, MariaDB) through core's Kysely. */

import { newHexId } from "@stratus/core";
import type { Database } from "@stratus/core/db";
import { updateWithGeneration } from "@stratus/core/db";
import { type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool, sql } from "kysely";
import type { NameMatch, User, UserFilter, UserOptions } from "../../domain/user.js";
import type { UserRepository } from "../../ports.js";
import type { IdentityUsersSchema, UserTable } from "./schema.js";

type Row = Selectable<UserTable>;
type Eb = ExpressionBuilder<IdentityUsersSchema, "iu_user">;

const toUser = (row: Row): User => ({
  id: row.id,
  domainId: row.domain_id,
  name: row.name,
  enabled: row.enabled,
  defaultProjectId: row.default_project_id,
  extra: row.extra ?? {},
  options: (row.options ?? {}) as UserOptions,
  passwordHash: row.password_hash,
  passwordCreatedAt: row.password_created_at,
  passwordExpiresAt: row.password_expires_at,
  passwordSelfService: row.password_self_service,
  failedAuthCount: Number(row.failed_auth_count),
  failedAuthAt: row.failed_auth_at,
  createdAt: row.created_at,
  generation: Number(row.generation),
});

const emptyToNull = (o: Readonly<Record<string, unknown>>) => (Object.keys(o).length === 0 ? null : { ...o });

const mutable = (user: User) => ({
  name: user.name,
  enabled: user.enabled,
  default_project_id: user.defaultProjectId,
  extra: emptyToNull(user.extra),
  options: emptyToNull(user.options),
  password_hash: user.passwordHash,
  password_created_at: user.passwordCreatedAt,
  password_expires_at: user.passwordExpiresAt,
  password_self_service: user.passwordSelfService,
  failed_auth_count: user.failedAuthCount,
  failed_auth_at: user.failedAuthAt,
});

// LIKE wildcards in a user's filter value are literal characters. "!" escapes on every engine
// (SQLite has no default escape character, and backslash means different things elsewhere).
const likeEscape = (s: string) => s.replace(/[!%_]/g, (c) => `!${c}`);

function nameCondition(eb: Eb, match: NameMatch): Expression<SqlBool> {
  if (match.kind === "exact") return eb("iu_user.name", "=", match.value);
  const body = likeEscape(match.caseSensitive ? match.value : match.value.toLowerCase());
  const pattern = match.kind === "contains" ? `%${body}%` : match.kind === "startswith" ? `${body}%` : `%${body}`;
  const column = match.caseSensitive ? eb.ref("iu_user.name") : eb.fn<string>("lower", [eb.ref("iu_user.name")]);
  return sql<SqlBool>`${column} like ${pattern} escape '!'`;
}

const OPS = { lt: "<", lte: "<=", gt: ">", gte: ">=", eq: "=", neq: "<>" } as const;

/** The UserRepository on a Database holding the identity_users migrations. */
export class SqlUserRepository implements UserRepository {
  private readonly db: Kysely<IdentityUsersSchema>;

  constructor(private readonly database: Database<IdentityUsersSchema>) {
    this.db = database.kysely;
  }

  async insert(user: User): Promise<void> {
    await this.db
      .insertInto("iu_user")
      .values({ id: user.id, domain_id: user.domainId, created_at: user.createdAt, ...mutable(user) })
      .execute();
  }

  async get(id: string): Promise<User | undefined> {
    const row = await this.db.selectFrom("iu_user").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async getByName(domainId: string, name: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom("iu_user")
      .selectAll()
      .where("domain_id", "=", domainId)
      .where("name", "=", name)
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async list(filter: UserFilter): Promise<User[]> {
    let query = this.db.selectFrom("iu_user").selectAll("iu_user");
    if (filter.groupId !== undefined) {
      query = query
        .innerJoin("iu_membership", "iu_membership.user_id", "iu_user.id")
        .where("iu_membership.group_id", "=", filter.groupId);
    }
    if (filter.domainId !== undefined) query = query.where("iu_user.domain_id", "=", filter.domainId);
    if (filter.enabled !== undefined) query = query.where("iu_user.enabled", "=", filter.enabled);
    const { name, passwordExpiresAt: expiry } = filter;
    if (name !== undefined) query = query.where((eb) => nameCondition(eb, name));
    if (expiry !== undefined) query = query.where("iu_user.password_expires_at", OPS[expiry.op], expiry.at);
    query = query.orderBy("iu_user.id");
    if (filter.limit !== undefined) query = query.limit(filter.limit);
    return (await query.execute()).map(toUser);
  }

  async update(user: User): Promise<void> {
    await updateWithGeneration(this.db, {
      table: "iu_user",
      key: { id: user.id },
      expectedGeneration: user.generation - 1,
      set: mutable(user),
    });
  }

  async recordFailedAuth(id: string, at: Date): Promise<void> {
    await this.db
      .updateTable("iu_user")
      .set((eb) => ({ failed_auth_count: eb("failed_auth_count", "+", 1), failed_auth_at: at }))
      .where("id", "=", id)
      .execute();
  }

  async resetFailedAuth(id: string): Promise<void> {
    await this.db
      .updateTable("iu_user")
      .set({ failed_auth_count: 0, failed_auth_at: null })
      .where("id", "=", id)
      .where("failed_auth_count", ">", 0)
      .execute();
  }

  async delete(id: string): Promise<boolean> {
    return this.database.transaction(async (trx) => {
      await trx.deleteFrom("iu_membership").where("user_id", "=", id).execute();
      await trx.deleteFrom("iu_password_history").where("user_id", "=", id).execute();
      const result = await trx.deleteFrom("iu_user").where("id", "=", id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async passwordHistory(id: string, count: number): Promise<string[]> {
    if (count <= 0) return [];
    const rows = await this.db
      .selectFrom("iu_password_history")
      .select("password_hash")
      .where("user_id", "=", id)
      .orderBy("created_at", "desc")
      .limit(count)
      .execute();
    return rows.map((r) => r.password_hash);
  }

  async addPasswordHistory(id: string, hash: string, at: Date, keep: number): Promise<void> {
    await this.db
      .insertInto("iu_password_history")
      .values({ id: newHexId(), user_id: id, password_hash: hash, created_at: at })
      .execute();
    const stale = await this.db
      .selectFrom("iu_password_history")
      .select("id")
      .where("user_id", "=", id)
      .orderBy("created_at", "desc")
      .offset(Math.max(keep, 0))
      .limit(1000)
      .execute();
    if (stale.length > 0)
      await this.db
        .deleteFrom("iu_password_history")
        .where(
          "id",
          "in",
          stale.map((r) => r.id),
        )
        .execute();
  }
}
