/** Application credentials on SQL. */
import type { Database } from "@stratus/core/db";
import type { Kysely, Selectable } from "kysely";
import type { AccessRule, ApplicationCredential } from "../../domain/app-cred.js";
import type { ApplicationCredentialRepository } from "../../ports.js";
import type { ApplicationCredentialTable, IdentityUsersSchema } from "./schema.js";

const toAppCred = (row: Selectable<ApplicationCredentialTable>): ApplicationCredential => ({
  id: row.id,
  name: row.name,
  description: row.description,
  userId: row.user_id,
  projectId: row.project_id,
  system: row.system,
  secretHash: row.secret_hash,
  expiresAt: row.expires_at,
  unrestricted: row.unrestricted,
  roleIds: row.role_ids,
  accessRules: row.access_rules === null ? null : (row.access_rules as AccessRule[]),
});

/** The ApplicationCredentialRepository on a Database holding the identity_users migrations. */
export class SqlApplicationCredentialRepository implements ApplicationCredentialRepository {
  private readonly db: Kysely<IdentityUsersSchema>;

  constructor(database: Database<IdentityUsersSchema>) {
    this.db = database.kysely;
  }

  async insert(a: ApplicationCredential): Promise<void> {
    await this.db
      .insertInto("iu_application_credential")
      .values({
        id: a.id,
        name: a.name,
        description: a.description,
        user_id: a.userId,
        project_id: a.projectId,
        system: a.system,
        secret_hash: a.secretHash,
        expires_at: a.expiresAt,
        unrestricted: a.unrestricted,
        role_ids: [...a.roleIds],
        access_rules: a.accessRules === null ? null : a.accessRules.map((r) => ({ ...r })),
      })
      .execute();
  }

  async get(id: string): Promise<ApplicationCredential | undefined> {
    const row = await this.db
      .selectFrom("iu_application_credential")
      .selectAll()
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? undefined : toAppCred(row);
  }

  async listForUser(userId: string, filter: { readonly name?: string } = {}): Promise<ApplicationCredential[]> {
    let query = this.db.selectFrom("iu_application_credential").selectAll().where("user_id", "=", userId);
    if (filter.name !== undefined) query = query.where("name", "=", filter.name);
    return (await query.orderBy("id").execute()).map(toAppCred);
  }

  async countForUser(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom("iu_application_credential")
      .select((eb) => eb.fn.countAll().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("iu_application_credential").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(userId: string, projectId?: string): Promise<string[]> {
    let select = this.db.selectFrom("iu_application_credential").select("id").where("user_id", "=", userId);
    if (projectId !== undefined) select = select.where("project_id", "=", projectId);
    const ids = (await select.execute()).map((r) => r.id);
    if (ids.length > 0) await this.db.deleteFrom("iu_application_credential").where("id", "in", ids).execute();
    return ids;
  }
}
