/** Credentials on SQL; blobs arrive and leave encrypted. */
import type { Database } from "@stratus/core/db";
import type { Kysely, Selectable } from "kysely";
import type { CredentialFilter, StoredCredential } from "../../domain/credential.js";
import type { CredentialRepository } from "../../ports.js";
import type { CredentialTable, IdentityUsersSchema } from "./schema.js";

const toStored = (row: Selectable<CredentialTable>): StoredCredential => ({
  id: row.id,
  userId: row.user_id,
  projectId: row.project_id,
  type: row.type,
  encryptedBlob: row.encrypted_blob,
  keyHash: row.key_hash,
  extra: row.extra ?? {},
});

/** The CredentialRepository on a Database holding the identity_users migrations. */
export class SqlCredentialRepository implements CredentialRepository {
  private readonly db: Kysely<IdentityUsersSchema>;

  constructor(database: Database<IdentityUsersSchema>) {
    this.db = database.kysely;
  }

  async insert(c: StoredCredential): Promise<void> {
    await this.db
      .insertInto("iu_credential")
      .values({
        id: c.id,
        user_id: c.userId,
        project_id: c.projectId,
        type: c.type,
        encrypted_blob: c.encryptedBlob,
        key_hash: c.keyHash,
        extra: Object.keys(c.extra).length === 0 ? null : { ...c.extra },
      })
      .execute();
  }

  async get(id: string): Promise<StoredCredential | undefined> {
    const row = await this.db.selectFrom("iu_credential").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : toStored(row);
  }

  async list(filter: CredentialFilter): Promise<StoredCredential[]> {
    let query = this.db.selectFrom("iu_credential").selectAll();
    if (filter.userId !== undefined) query = query.where("user_id", "=", filter.userId);
    if (filter.type !== undefined) query = query.where("type", "=", filter.type);
    return (await query.orderBy("id").execute()).map(toStored);
  }

  async updateBlob(id: string, encryptedBlob: string, keyHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable("iu_credential")
      .set({ encrypted_blob: encryptedBlob, key_hash: keyHash })
      .where("id", "=", id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom("iu_credential").where("id", "=", id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async deleteForUser(userId: string): Promise<number> {
    const result = await this.db.deleteFrom("iu_credential").where("user_id", "=", userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
