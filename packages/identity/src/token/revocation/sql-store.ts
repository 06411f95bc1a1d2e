/**
 * Revocation events on SQLite, PostgreSQL or MariaDB, so a revoked token stays revoked across
 * restarts and across processes sharing the database (each process's RevocationIndex refreshes
 * from here). One row per event: its attributes as JSON, `revoked_at` indexed for list and prune.
 */
import { newUuid } from "@stratus/core";
import type { Database, Migration } from "@stratus/core/db";
import type { Kysely } from "kysely";
import type { RevocationEvent } from "./event.js";
import type { RevocationStore } from "./store.js";

export const REVOCATION_NAMESPACE = "identity_revocation";

export const REVOCATION_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_revocation_event",
    up: async (db, { types }) => {
      await db.schema
        .createTable("revocation_event")
        .addColumn("id", types.string(36), (c) => c.primaryKey())
        .addColumn("revoked_at", types.timestamp, (c) => c.notNull())
        .addColumn("event", types.json, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex("ix_revocation_event_revoked_at")
        .on("revocation_event")
        .column("revoked_at")
        .execute();
    },
  },
];

interface Tables {
  revocation_event: { id: string; revoked_at: Date; event: Record<string, unknown> };
}

const DATES = ["expiresAt", "issuedBefore", "revokedAt"] as const;

function toEvent(stored: Record<string, unknown>): RevocationEvent {
  const out: Record<string, unknown> = { ...stored };
  for (const key of DATES) if (typeof out[key] === "string") out[key] = new Date(out[key] as string);
  return out as unknown as RevocationEvent;
}

export class SqlRevocationStore implements RevocationStore {
  readonly #db: Kysely<Tables>;

  /** `database` must have REVOCATION_MIGRATIONS applied (namespace REVOCATION_NAMESPACE). */
  constructor(database: Database<unknown>) {
    this.#db = database.kysely as unknown as Kysely<Tables>;
  }

  async add(event: RevocationEvent): Promise<void> {
    const stored: Record<string, unknown> = { ...event };
    for (const key of DATES) {
      const value = event[key];
      if (value instanceof Date) stored[key] = value.toISOString();
    }
    await this.#db
      .insertInto("revocation_event")
      .values({ id: newUuid(), revoked_at: event.revokedAt, event: stored })
      .execute();
  }

  async list(options: { readonly revokedSince?: Date } = {}): Promise<RevocationEvent[]> {
    let q = this.#db.selectFrom("revocation_event").select(["event", "revoked_at"]).orderBy("revoked_at");
    if (options.revokedSince) q = q.where("revoked_at", ">=", options.revokedSince);
    return (await q.execute()).map((row) => toEvent(row.event));
  }

  async prune(revokedBefore: Date): Promise<number> {
    const result = await this.#db
      .deleteFrom("revocation_event")
      .where("revoked_at", "<", revokedBefore)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
