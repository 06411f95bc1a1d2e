import type { Database } from "@stratus/core/db";
import { StratusError } from "@stratus/core/errors";
import { concurrentUpdate } from "./errors.js";
import type { ConsumerAllocations } from "./model.js";
import type { ProviderRecord } from "./provider-store.js";
import { PLACEMENT_MIGRATIONS, type PlacementTables } from "./sql-migrations.js";
import { loadSnapshot, type PlacementDb, type SaveSet, StaleGeneration, saveChanges } from "./sql-rows.js";
import { type PlacementSnapshot, PlacementState } from "./state.js";
import type { PlacementStore, Touched } from "./store.js";

/** What a write looked like before `mutate` ran: enough to save it, and to undo it in memory. */
interface Before {
  /** Saved generation per provider to save (undefined: new); `full` ones also save inventories, traits, aggregates. */
  readonly providers: Map<
    string,
    { generation: number | undefined; record: ProviderRecord | undefined; full: boolean }
  >;
  readonly consumers: Map<string, ConsumerAllocations | undefined>;
  readonly resourceClasses: Map<string, boolean>;
  readonly traits: Map<string, boolean>;
}

/**
 * Placement's state kept in SQL (SQLite, PostgreSQL, MariaDB) and served from memory: reads go
 * to `state`; each write runs in memory, then saves exactly the rows it touched in one
 * transaction, guarded by the provider and consumer generations read before the write. Several
 * stores (API nodes) may share one database: the one that loses a race gets a 409
 * `placement.concurrent_update` and reloads everything from the database.
 *
 * ```ts
 * const store = await SqlPlacementStore.open(await openDatabase({ engine: "sqlite", path: "placement.db" }));
 * await store.write((s) => s.createProvider({ uuid: rp, name: "compute1" }), { providers: [rp] });
 * ```
 */
export class SqlPlacementStore implements PlacementStore {
  private tail: Promise<unknown> = Promise.resolve();
  /** Set when a failed save could not reload either: the next write reloads first. */
  private stale = false;
  /**
   * Every provider's generation as last loaded or saved. A write's guards come from here: the
   * providers a claim lands on are known only after it ran, when their generations have moved.
   */
  private readonly saved = new Map<string, number>();
  readonly state = new PlacementState();

  private constructor(private readonly db: Database<PlacementTables>) {}

  /**
   * Migrates `db` (namespace "placement") and loads every row into a fresh PlacementState. The
   * store owns `db` from then on (`close` closes it). Throws the database's errors (translated).
   */
  static async open(db: Database<unknown>): Promise<SqlPlacementStore> {
    await db.migrate("placement", PLACEMENT_MIGRATIONS);
    const store = new SqlPlacementStore(db as unknown as Database<PlacementTables>);
    await store.reload();
    return store;
  }

  write<T>(mutate: (state: PlacementState) => T, touched: Touched): Promise<T> {
    const run = this.tail.then(() => this.writeNow(mutate, touched));
    this.tail = run.catch(() => {});
    return run;
  }

  /** Waits for the writes in flight, then closes the database; idempotent. */
  async close(): Promise<void> {
    await this.tail;
    await this.db.close();
  }

  private async writeNow<T>(mutate: (state: PlacementState) => T, touched: Touched): Promise<T> {
    if (this.stale) {
      await this.reload();
      this.stale = false;
    }
    const before = this.recordBefore(touched);
    const result = mutate(this.state);
    const changes = this.saveSet(before);
    try {
      await this.db.transaction((trx) => saveChanges(trx as PlacementDb, this.db.engine, changes), {
        maxAttempts: 5,
        // MariaDB: row locks only on the rows written (no gap locks), so fewer deadlocks between nodes.
        // PostgreSQL's default is already read committed: naming it would cost a round trip.
        ...(this.db.engine === "mysql" ? { isolationLevel: "read committed" as const } : {}),
      });
    } catch (err) {
      await this.recover(before);
      throw asPlacementError(err);
    }
    for (const p of changes.providers) {
      if (p.after === undefined) this.saved.delete(p.uuid);
      else this.saved.set(p.uuid, typeof p.after === "number" ? p.after : p.after.generation);
    }
    return result;
  }

  private async reload(): Promise<void> {
    // One snapshot of every table, so generations and allocations agree with each other.
    const snapshot = await this.db.transaction((trx) => loadSnapshot(trx as PlacementDb), {
      isolationLevel: "repeatable read",
      maxAttempts: 3,
    });
    this.state.restore(snapshot);
    this.saved.clear();
    for (const p of snapshot.providers) this.saved.set(p.uuid, p.generation);
  }

  private recordBefore(touched: Touched): Before {
    const s = this.state;
    const providers: Before["providers"] = new Map();
    for (const uuid of touched.providers ?? []) {
      providers.set(uuid, { generation: this.saved.get(uuid), record: s.providerRecord(uuid), full: true });
    }
    const consumers: Before["consumers"] = new Map();
    for (const uuid of touched.consumers ?? []) {
      const c = s.getAllocations(uuid);
      consumers.set(uuid, c);
      for (const rp of Object.keys(c?.allocations ?? {})) this.addImplied(providers, rp);
    }
    return {
      providers,
      consumers,
      resourceClasses: new Map((touched.resourceClasses ?? []).map((n) => [n, s.hasResourceClass(n)])),
      traits: new Map((touched.traits ?? []).map((n) => [n, s.hasTrait(n)])),
    };
  }

  /** A provider whose generation changes with a consumer's allocations (its other rows do not). */
  private addImplied(providers: Before["providers"], uuid: string): void {
    if (providers.has(uuid)) return;
    const generation = this.saved.get(uuid);
    providers.set(uuid, { generation, record: undefined, full: generation === undefined });
  }

  /** The rows to write: touched entities as they are now, with the generations they had before. */
  private saveSet(before: Before): SaveSet {
    const s = this.state;
    // Providers the consumers' new allocations land on, known only after the write.
    for (const uuid of before.consumers.keys()) {
      for (const rp of Object.keys(s.getAllocations(uuid)?.allocations ?? {})) this.addImplied(before.providers, rp);
    }
    return {
      providers: [...before.providers].map(([uuid, b]) => {
        const node = s.peek(uuid);
        return {
          uuid,
          before: b.generation,
          after: node === undefined ? undefined : b.full ? s.providerRecord(uuid)! : node.generation,
        };
      }),
      consumers: [...before.consumers].map(([uuid, b]) => ({ uuid, before: b, after: s.getAllocations(uuid) })),
      parents: this.newParents(before),
      resourceClasses: [...before.resourceClasses].map(([name, had]) => ({
        name,
        before: had,
        after: s.hasResourceClass(name),
      })),
      traits: [...before.traits].map(([name, had]) => ({ name, before: had, after: s.hasTrait(name) })),
    };
  }

  /** Saved parents, not written here, that providers created or moved by this write now hang from. */
  private newParents(before: Before): { uuid: string; generation: number }[] {
    const out = new Map<string, number>();
    for (const [uuid, b] of before.providers) {
      const parent = this.state.peek(uuid)?.parentUuid ?? null;
      if (!b.full || parent === null || parent === (b.record?.parentUuid ?? null)) continue;
      const generation = this.saved.get(parent);
      if (!before.providers.has(parent) && generation !== undefined) out.set(parent, generation);
    }
    return [...out].map(([uuid, generation]) => ({ uuid, generation }));
  }

  /** After a failed save: the database's truth, or (database unreachable) the state before the write. */
  private async recover(before: Before): Promise<void> {
    try {
      await this.reload();
    } catch {
      this.state.restore(undo(this.state.snapshot(), before));
      this.stale = true;
    }
  }
}

/** The snapshot with the touched entities put back as they were before the write. */
function undo(now: PlacementSnapshot, before: Before): PlacementSnapshot {
  const providers = now.providers.filter((p) => !before.providers.has(p.uuid) || !before.providers.get(p.uuid)!.full);
  const restored = providers.map((p) => {
    const b = before.providers.get(p.uuid);
    return b === undefined || b.generation === undefined ? p : { ...p, generation: b.generation };
  });
  for (const b of before.providers.values()) if (b.full && b.record !== undefined) restored.push(b.record);
  const consumers = now.consumers.filter((c) => !before.consumers.has(c.consumerUuid));
  for (const c of before.consumers.values()) if (c !== undefined) consumers.push(c);
  const names = (current: readonly string[], had: Map<string, boolean>) => [
    ...current.filter((n) => !had.has(n)),
    ...[...had].filter(([, h]) => h).map(([n]) => n),
  ];
  return {
    resourceClasses: names(now.resourceClasses, before.resourceClasses),
    traits: names(now.traits, before.traits),
    providers: restored,
    consumers,
  };
}

function asPlacementError(err: unknown): unknown {
  if (err instanceof StaleGeneration) return concurrentUpdate(err.message);
  // Another node created the same provider, consumer or name first.
  if (StratusError.is(err) && err.details.kind === "unique") {
    return concurrentUpdate(`Another writer created the same record first; reload and try again. (${err.message})`);
  }
  return err;
}
