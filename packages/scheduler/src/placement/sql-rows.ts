import type { Database, Engine } from "@stratus/core/db";
import type { ConsumerAllocations, Inventory } from "./model.js";
import type { ProviderRecord } from "./provider-store.js";
import type { PlacementTables } from "./sql-migrations.js";
import type { PlacementSnapshot } from "./state.js";

/** Kysely on Placement's tables (a transaction is one too). */
export type PlacementDb = Database<PlacementTables>["kysely"];

/** What one write saves: each touched entity with its generation before and its state after. */
export interface SaveSet {
  /** `after`: the full record (inventories, traits, aggregates rewritten), only the new generation, or undefined when deleted. */
  readonly providers: readonly {
    readonly uuid: string;
    readonly before: number | undefined;
    readonly after: ProviderRecord | number | undefined;
  }[];
  readonly consumers: readonly {
    readonly uuid: string;
    readonly before: ConsumerAllocations | undefined;
    readonly after: ConsumerAllocations | undefined;
  }[];
  /**
   * Parents (saved, not otherwise written here) that providers created or moved here now hang
   * from, with their saved generation: their rows are locked and checked so that another node
   * cannot delete them at the same time and leave an orphan.
   */
  readonly parents: readonly { readonly uuid: string; readonly generation: number }[];
  readonly resourceClasses: readonly { readonly name: string; readonly before: boolean; readonly after: boolean }[];
  readonly traits: readonly { readonly name: string; readonly before: boolean; readonly after: boolean }[];
}

/** A guarded row had another generation (or was gone): another node wrote it first. */
export class StaleGeneration extends Error {
  override readonly name = "StaleGeneration";
}

const byUuid = <T extends { readonly uuid: string }>(a: T, b: T) => (a.uuid < b.uuid ? -1 : a.uuid > b.uuid ? 1 : 0);

type LooseDb = Database<Record<string, Record<string, unknown>>>["kysely"];

/** Rows per INSERT: well under every engine's bound-parameter limit. */
const CHUNK = 500;

async function insertMany<T extends keyof PlacementTables & string>(
  db: PlacementDb,
  table: T,
  rows: readonly PlacementTables[T][],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    // The rows are checked by the signature; Kysely cannot follow a generic table name.
    const chunk = rows.slice(i, i + CHUNK) as Record<string, unknown>[];
    await (db as unknown as LooseDb).insertInto(table).values(chunk).execute();
  }
}

type ChildTable = "inventories" | "provider_traits" | "provider_aggregates";

async function deleteChildren(db: PlacementDb, uuids: readonly string[]): Promise<void> {
  if (uuids.length === 0) return;
  for (const table of ["inventories", "provider_traits", "provider_aggregates"] as const satisfies ChildTable[]) {
    await db
      .deleteFrom(table)
      .where("resource_provider_uuid", "in", [...uuids])
      .execute();
  }
}

const stale = (what: string, uuid: string, generation: number) =>
  new StaleGeneration(
    `${what} ${uuid} was changed by another writer since generation ${generation}; reload it and try again.`,
  );

/**
 * Writes one SaveSet: custom names, then consumers and providers in uuid order (the same lock order
 * on every node), each existing row updated only if it still has its `before` generation. Throws
 * StaleGeneration when one has not; rows of the touched entities are replaced, not merged.
 */
export async function saveChanges(db: PlacementDb, engine: Engine, set: SaveSet): Promise<void> {
  await saveNames(db, engine, "resource_classes", set.resourceClasses);
  await saveNames(db, engine, "traits", set.traits);
  await saveConsumers(db, set.consumers);
  await saveProviders(db, set.providers, set.parents);
}

async function saveNames(
  db: PlacementDb,
  engine: Engine,
  table: "resource_classes" | "traits",
  names: SaveSet["traits"],
): Promise<void> {
  const created = names.filter((n) => n.after && !n.before).map((n) => ({ name: n.name }));
  const deleted = names.filter((n) => n.before && !n.after).map((n) => n.name);
  if (deleted.length > 0) await db.deleteFrom(table).where("name", "in", deleted).execute();
  if (created.length === 0) return;
  // Creating a name is idempotent: another node may have created it already.
  const insert = db.insertInto(table).values(created);
  await (engine === "mysql" ? insert.ignore() : insert.onConflict((oc) => oc.column("name").doNothing())).execute();
}

async function saveConsumers(db: PlacementDb, consumers: SaveSet["consumers"]): Promise<void> {
  const rewritten: string[] = [];
  const inserted: PlacementTables["consumers"][] = [];
  const allocations: PlacementTables["allocations"][] = [];
  for (const { uuid, before, after } of [...consumers].sort(byUuid)) {
    if (before === after) continue; // touched, but the write left it as it was
    if (after === undefined) {
      const r = await db
        .deleteFrom("consumers")
        .where("uuid", "=", uuid)
        .where("generation", "=", before!.generation)
        .executeTakeFirst();
      if (Number(r.numDeletedRows) !== 1) throw stale("consumer", uuid, before!.generation);
      rewritten.push(uuid);
      continue;
    }
    const row = consumerRow(after);
    if (before === undefined) inserted.push(row);
    else {
      const r = await db
        .updateTable("consumers")
        .set(row)
        .where("uuid", "=", uuid)
        .where("generation", "=", before.generation)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw stale("consumer", uuid, before.generation);
      rewritten.push(uuid);
    }
    for (const [rp, res] of Object.entries(after.allocations)) {
      for (const [rc, used] of Object.entries(res)) {
        allocations.push({ consumer_uuid: uuid, resource_provider_uuid: rp, resource_class: rc, used });
      }
    }
  }
  await insertMany(db, "consumers", inserted);
  if (rewritten.length > 0) await db.deleteFrom("allocations").where("consumer_uuid", "in", rewritten).execute();
  await insertMany(db, "allocations", allocations);
}

const consumerRow = (c: ConsumerAllocations): PlacementTables["consumers"] => ({
  uuid: c.consumerUuid,
  project_id: c.projectId,
  user_id: c.userId,
  generation: c.generation,
  consumer_type: c.consumerType ?? null,
});

async function saveProviders(
  db: PlacementDb,
  providers: SaveSet["providers"],
  parents: SaveSet["parents"],
): Promise<void> {
  const sorted = [...providers].sort(byUuid);
  const rewritten: string[] = [];
  const inserted: PlacementTables["resource_providers"][] = [];
  const records: ProviderRecord[] = [];
  // Deletes first, so a name freed here can be taken by a provider created in the same write.
  for (const { uuid, before, after } of sorted) {
    if (after !== undefined || before === undefined) continue;
    const r = await db
      .deleteFrom("resource_providers")
      .where("uuid", "=", uuid)
      .where("generation", "=", before)
      .executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw stale("resource provider", uuid, before);
    rewritten.push(uuid);
  }
  if (rewritten.length > 0) {
    // A child another node created meanwhile (it changes no generation of ours) forbids the delete.
    const orphan = await db
      .selectFrom("resource_providers")
      .select(["uuid", "parent_uuid"])
      .where("parent_uuid", "in", rewritten)
      .executeTakeFirst();
    if (orphan !== undefined) {
      throw new StaleGeneration(
        `resource provider ${orphan.parent_uuid} got child ${orphan.uuid} from another writer; reload it and try again.`,
      );
    }
  }
  for (const { uuid, generation } of [...parents].sort(byUuid)) {
    // Same generation written back: a row lock, and a check that the parent is still there as we knew it.
    const r = await db
      .updateTable("resource_providers")
      .set({ generation })
      .where("uuid", "=", uuid)
      .where("generation", "=", generation)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw stale("resource provider", uuid, generation);
  }
  for (const { uuid, before, after } of sorted) {
    if (after === undefined) continue;
    const generation = typeof after === "number" ? after : after.generation;
    const row = typeof after === "number" ? { generation } : providerRow(after);
    if (typeof after !== "number") records.push(after);
    if (before === undefined) {
      inserted.push(providerRow(after as ProviderRecord));
      continue;
    }
    const r = await db
      .updateTable("resource_providers")
      .set(row)
      .where("uuid", "=", uuid)
      .where("generation", "=", before)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw stale("resource provider", uuid, before);
    if (typeof after !== "number") rewritten.push(uuid);
  }
  await insertMany(db, "resource_providers", inserted);
  await deleteChildren(db, rewritten);
  await insertMany(
    db,
    "inventories",
    records.flatMap((p) => Object.entries(p.inventories).map(([rc, inv]) => inventoryRow(p.uuid, rc, inv))),
  );
  await insertMany(
    db,
    "provider_traits",
    records.flatMap((p) => p.traits.map((trait) => ({ resource_provider_uuid: p.uuid, trait }))),
  );
  await insertMany(
    db,
    "provider_aggregates",
    records.flatMap((p) => p.aggregates.map((a) => ({ resource_provider_uuid: p.uuid, aggregate_uuid: a }))),
  );
}

const providerRow = (p: ProviderRecord): PlacementTables["resource_providers"] => ({
  uuid: p.uuid,
  name: p.name,
  parent_uuid: p.parentUuid,
  root_uuid: p.rootUuid,
  generation: p.generation,
});

const inventoryRow = (uuid: string, rc: string, inv: Inventory): PlacementTables["inventories"] => ({
  resource_provider_uuid: uuid,
  resource_class: rc,
  ...inv,
});

/** Reads every table into a snapshot for PlacementState.restore (usages are recomputed there). */
export async function loadSnapshot(db: PlacementDb): Promise<PlacementSnapshot> {
  const classes = await db.selectFrom("resource_classes").select("name").execute();
  const traits = await db.selectFrom("traits").select("name").execute();
  const rps = await db.selectFrom("resource_providers").selectAll().execute();
  const invs = await db.selectFrom("inventories").selectAll().execute();
  const rpTraits = await db.selectFrom("provider_traits").selectAll().execute();
  const rpAggs = await db.selectFrom("provider_aggregates").selectAll().execute();
  const consumers = await db.selectFrom("consumers").selectAll().execute();
  const allocs = await db.selectFrom("allocations").selectAll().execute();

  const group = <R, V>(rows: readonly R[], key: (r: R) => string, value: (r: R) => V) => {
    const out = new Map<string, V[]>();
    for (const r of rows) {
      const k = key(r);
      const list = out.get(k);
      if (list === undefined) out.set(k, [value(r)]);
      else list.push(value(r));
    }
    return out;
  };
  const invBy = group(
    invs,
    (r) => r.resource_provider_uuid,
    (r): [string, Inventory] => [
      r.resource_class,
      {
        total: Number(r.total),
        reserved: Number(r.reserved),
        min_unit: Number(r.min_unit),
        max_unit: Number(r.max_unit),
        step_size: Number(r.step_size),
        allocation_ratio: Number(r.allocation_ratio),
      },
    ],
  );
  const traitBy = group(
    rpTraits,
    (r) => r.resource_provider_uuid,
    (r) => r.trait,
  );
  const aggBy = group(
    rpAggs,
    (r) => r.resource_provider_uuid,
    (r) => r.aggregate_uuid,
  );
  const allocBy = group(
    allocs,
    (r) => r.consumer_uuid,
    (r) => r,
  );
  return {
    resourceClasses: classes.map((r) => r.name).sort(),
    traits: traits.map((r) => r.name).sort(),
    providers: rps.map(
      (r): ProviderRecord => ({
        uuid: r.uuid,
        name: r.name,
        parentUuid: r.parent_uuid,
        rootUuid: r.root_uuid,
        generation: Number(r.generation),
        inventories: Object.fromEntries(invBy.get(r.uuid) ?? []),
        traits: (traitBy.get(r.uuid) ?? []).sort(),
        aggregates: (aggBy.get(r.uuid) ?? []).sort(),
      }),
    ),
    consumers: consumers.map((c): ConsumerAllocations => {
      const allocations: Record<string, Record<string, number>> = {};
      for (const a of allocBy.get(c.uuid) ?? []) {
        const onProvider = allocations[a.resource_provider_uuid] ?? {};
        onProvider[a.resource_class] = Number(a.used);
        allocations[a.resource_provider_uuid] = onProvider;
      }
      return {
        consumerUuid: c.uuid,
        generation: Number(c.generation),
        projectId: c.project_id,
        userId: c.user_id,
        allocations,
        ...(c.consumer_type === null ? {} : { consumerType: c.consumer_type }),
      };
    }),
  };
}
