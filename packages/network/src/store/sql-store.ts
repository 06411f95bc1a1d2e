/**
 * SqlNeutronStore: Neutron's records in SQLite, PostgreSQL or MariaDB (namespace `network`), so
 * networks, ports and their addresses survive a restart and OVN can be resynced from them.
 *
 * It is a write-through cache: every record is loaded at open into a MemoryNeutronStore that
 * serves all reads; each change is written to the database first and reaches the cache only once
 * the database took it (a failed write leaves both as they were). IP allocations and segment
 * claims are also unique in the database, so two writers can never hold one address. One Neutron
 * server per database: a second process would not see the first one's writes in its cache.
 */
import type { Database, Migration } from "@stratus/core/db";
import { translateDbError } from "@stratus/core/db";
import type { QuotaResource } from "../config.js";
import type { ResourceKind } from "../domain/driver.js";
import { MemoryNeutronStore } from "./memory-store.js";
import type { IpAllocation, NeutronStore, StoredRecords } from "./store.js";

export const NETWORK_MIGRATIONS: readonly Migration[] = [
  {
    name: "0001_neutron_records",
    up: async (db, { types }) => {
      await db.schema
        .createTable("neutron_records")
        .addColumn("kind", types.string(32), (c) => c.notNull())
        .addColumn("id", types.string(64), (c) => c.notNull())
        .addColumn("seq", types.bigint, (c) => c.notNull())
        .addColumn("body", types.text, (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_neutron_records", ["kind", "id"])
        .execute();
      await db.schema
        .createTable("neutron_ip_allocations")
        .addColumn("subnet_id", types.string(64), (c) => c.notNull())
        .addColumn("ip_address", types.string(64), (c) => c.notNull())
        .addColumn("port_id", types.string(64), (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_neutron_ip_allocations", ["subnet_id", "ip_address"])
        .execute();
      await db.schema
        .createTable("neutron_segments")
        .addColumn("segment_key", types.string(255), (c) => c.primaryKey())
        .execute();
      await db.schema
        .createTable("neutron_quotas")
        .addColumn("project_id", types.string(64), (c) => c.notNull())
        .addColumn("resource", types.string(64), (c) => c.notNull())
        .addColumn("quota_limit", types.bigint, (c) => c.notNull())
        .addPrimaryKeyConstraint("pk_neutron_quotas", ["project_id", "resource"])
        .execute();
    },
  },
];

interface Tables {
  neutron_records: { kind: string; id: string; seq: number; body: string };
  neutron_ip_allocations: { subnet_id: string; ip_address: string; port_id: string };
  neutron_segments: { segment_key: string };
  neutron_quotas: { project_id: string; resource: string; quota_limit: number };
}

export class SqlNeutronStore extends MemoryNeutronStore implements NeutronStore {
  private seq = 0;

  private constructor(private readonly db: Database<Tables>) {
    super();
  }

  /** Migrates and loads everything into the cache. Rejects when the database is unreachable. */
  static async open(database: Database<unknown>): Promise<SqlNeutronStore> {
    const db = database as Database<Tables>;
    await db.migrate("network", NETWORK_MIGRATIONS);
    const store = new SqlNeutronStore(db);
    const k = db.kysely;
    const cache = store.cache();
    for (const r of await k.selectFrom("neutron_records").selectAll().orderBy("seq").execute()) {
      await cache.insert(r.kind as ResourceKind, JSON.parse(r.body) as never);
      store.seq = Math.max(store.seq, Number(r.seq));
    }
    for (const a of await k.selectFrom("neutron_ip_allocations").selectAll().execute()) await cache.allocateIp(a);
    for (const s of await k.selectFrom("neutron_segments").selectAll().execute())
      await cache.claimSegment(s.segment_key);
    const quotas = new Map<string, Partial<Record<QuotaResource, number>>>();
    for (const q of await k.selectFrom("neutron_quotas").selectAll().execute()) {
      quotas.set(q.project_id, { ...quotas.get(q.project_id), [q.resource]: Number(q.quota_limit) });
    }
    for (const [project, limits] of quotas) await cache.setQuotas(project, limits);
    return store;
  }

  /** Closes the database. */
  async close(): Promise<void> {
    await this.db.close();
  }

  override async insert<K extends ResourceKind>(kind: K, record: StoredRecords[K]): Promise<void> {
    if (await super.get(kind, record.id)) return super.insert(kind, record); // the cache's conflict error
    const seq = ++this.seq;
    await this.write(() =>
      this.db.kysely
        .insertInto("neutron_records")
        .values({ kind, id: record.id, seq, body: JSON.stringify(record) })
        .execute(),
    );
    await super.insert(kind, record);
  }

  override async update<K extends ResourceKind>(
    kind: K,
    id: string,
    change: (current: StoredRecords[K]) => StoredRecords[K],
  ): Promise<StoredRecords[K]> {
    const before = await super.get(kind, id);
    const next = await super.update(kind, id, change);
    try {
      await this.write(() =>
        this.db.kysely
          .updateTable("neutron_records")
          .set({ body: JSON.stringify(next) })
          .where("kind", "=", kind)
          .where("id", "=", id)
          .execute(),
      );
    } catch (err) {
      if (before) await super.update(kind, id, () => structuredClone(before));
      throw err;
    }
    return next;
  }

  override async remove<K extends ResourceKind>(kind: K, id: string): Promise<StoredRecords[K] | undefined> {
    await this.write(() =>
      this.db.kysely.deleteFrom("neutron_records").where("kind", "=", kind).where("id", "=", id).execute(),
    );
    return super.remove(kind, id);
  }

  override async allocateIp(a: IpAllocation): Promise<boolean> {
    if ((await super.listAllocations({ subnet_id: a.subnet_id })).some((x) => x.ip_address === a.ip_address))
      return false;
    try {
      await this.db.kysely
        .insertInto("neutron_ip_allocations")
        .values({ ...a })
        .execute();
    } catch (err) {
      if (translateDbError(this.engine(), err).details?.kind === "unique") return false;
      throw translateDbError(this.engine(), err);
    }
    return super.allocateIp(a);
  }

  override async releaseIp(subnetId: string, ipAddress: string): Promise<void> {
    await this.write(() =>
      this.db.kysely
        .deleteFrom("neutron_ip_allocations")
        .where("subnet_id", "=", subnetId)
        .where("ip_address", "=", ipAddress)
        .execute(),
    );
    await super.releaseIp(subnetId, ipAddress);
  }

  override async claimSegment(key: string): Promise<boolean> {
    if (!(await super.claimSegment(key))) return false;
    try {
      await this.db.kysely.insertInto("neutron_segments").values({ segment_key: key }).execute();
      return true;
    } catch (err) {
      await super.releaseSegment(key);
      if (translateDbError(this.engine(), err).details?.kind === "unique") return false;
      throw translateDbError(this.engine(), err);
    }
  }

  override async releaseSegment(key: string): Promise<void> {
    await this.write(() => this.db.kysely.deleteFrom("neutron_segments").where("segment_key", "=", key).execute());
    await super.releaseSegment(key);
  }

  override async setQuotas(projectId: string, limits: Partial<Record<QuotaResource, number>>): Promise<void> {
    await this.db.transaction(async (trx) => {
      for (const [resource, limit] of Object.entries(limits)) {
        if (limit === undefined) continue;
        await trx
          .deleteFrom("neutron_quotas")
          .where("project_id", "=", projectId)
          .where("resource", "=", resource)
          .execute();
        await trx
          .insertInto("neutron_quotas")
          .values({ project_id: projectId, resource, quota_limit: limit })
          .execute();
      }
    });
    await super.setQuotas(projectId, limits);
  }

  override async deleteQuotas(projectId: string): Promise<void> {
    await this.write(() => this.db.kysely.deleteFrom("neutron_quotas").where("project_id", "=", projectId).execute());
    await super.deleteQuotas(projectId);
  }

  private cache(): MemoryNeutronStore {
    // the cache is this object's own memory-store half: bypass the SQL overrides while loading
    return {
      insert: (kind: ResourceKind, r: never) => MemoryNeutronStore.prototype.insert.call(this, kind, r),
      allocateIp: (a: IpAllocation) => MemoryNeutronStore.prototype.allocateIp.call(this, a),
      claimSegment: (k: string) => MemoryNeutronStore.prototype.claimSegment.call(this, k),
      setQuotas: (p: string, l: Partial<Record<QuotaResource, number>>) =>
        MemoryNeutronStore.prototype.setQuotas.call(this, p, l),
    } as unknown as MemoryNeutronStore;
  }

  private engine() {
    return this.db.engine;
  }

  private async write(fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      throw translateDbError(this.engine(), err);
    }
  }
}
