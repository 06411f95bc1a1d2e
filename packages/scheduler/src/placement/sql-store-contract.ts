import type { Database } from "@stratus/core/db";
import { StratusError } from "@stratus/core/errors";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PLACEMENT_MIGRATIONS } from "./sql-migrations.js";
import type { PlacementDb } from "./sql-rows.js";
import { SqlPlacementStore } from "./sql-store.js";
import type { PlacementState } from "./state.js";
import { claimNew, rejection, uuidOf, withCompute } from "./store-contract.js";

const TABLES = [
  "resource_classes",
  "traits",
  "resource_providers",
  "inventories",
  "provider_traits",
  "provider_aggregates",
  "consumers",
  "allocations",
] as const;

/** Migrates `db` and deletes every Placement row, so a shared test database starts empty. */
export async function emptyPlacementTables(db: Database<unknown>): Promise<void> {
  await db.migrate("placement", PLACEMENT_MIGRATIONS);
  const k = db.kysely as unknown as PlacementDb;
  for (const table of TABLES) await k.deleteFrom(table).execute();
}

/** Everything a state holds, usages included, in a form `toEqual` compares. */
export function everything(state: PlacementState): unknown {
  const snap = state.snapshot();
  return {
    ...snap,
    providers: [...snap.providers]
      .sort((a, b) => a.uuid.localeCompare(b.uuid))
      .map((p) => ({ ...p, usages: state.usages(p.uuid) })),
    consumers: [...snap.consumers].sort((a, b) => a.consumerUuid.localeCompare(b.consumerUuid)),
  };
}

const ROOT = uuidOf(1, 1);
const CHILD = uuidOf(1, 2);
const GRANDCHILD = uuidOf(1, 3);
const OTHER = uuidOf(1, 4);
const AGG = uuidOf(7, 1);
const VM = uuidOf(2, 1);
const VM2 = uuidOf(2, 2);
const owner = { projectId: "p1", userId: "u1" };

/** A tree with ratios, traits, aggregates, custom names and two consumers, written through `store`. */
async function populate(store: SqlPlacementStore): Promise<void> {
  await store.write(
    (s) => {
      s.createResourceClass("CUSTOM_FPGA");
      s.createTrait("CUSTOM_RACK_7");
    },
    { resourceClasses: ["CUSTOM_FPGA"], traits: ["CUSTOM_RACK_7"] },
  );
  await store.write(
    (s) => {
      s.createProvider({ uuid: ROOT, name: "compute1" });
      s.createProvider({ uuid: CHILD, name: "compute1_numa0", parentUuid: ROOT });
      s.createProvider({ uuid: GRANDCHILD, name: "compute1_numa0_pf0", parentUuid: CHILD });
      s.setInventories(ROOT, 0, { DISK_GB: { total: 2000, reserved: 100, allocation_ratio: 1.1 } });
      s.setInventories(CHILD, 0, {
        VCPU: { total: 16, reserved: 2, allocation_ratio: 16, max_unit: 8 },
        MEMORY_MB: { total: 65536, min_unit: 512, step_size: 512, allocation_ratio: 1.5 },
      });
      s.setInventories(GRANDCHILD, 0, { CUSTOM_FPGA: { total: 4 } });
      s.setTraits(ROOT, 1, ["HW_CPU_X86_AVX2", "CUSTOM_RACK_7", "COMPUTE_STATUS_DISABLED"]);
      s.setAggregates(ROOT, 2, [AGG, uuidOf(7, 2)]);
      s.setAggregates(GRANDCHILD, 1, [AGG]);
    },
    { providers: [ROOT, CHILD, GRANDCHILD] },
  );
  await store.write(
    (s) =>
      s.claim(VM, {
        allocations: {
          [ROOT]: { DISK_GB: 20 },
          [CHILD]: { VCPU: 4, MEMORY_MB: 2048 },
          [GRANDCHILD]: { CUSTOM_FPGA: 1 },
        },
        consumerGeneration: null,
        ...owner,
        consumerType: "INSTANCE",
      }),
    { consumers: [VM] },
  );
  // A second write to the same consumer: generation 1, and one provider dropped.
  await store.write(
    (s) =>
      s.claim(VM, {
        allocations: { [ROOT]: { DISK_GB: 40 }, [CHILD]: { VCPU: 4, MEMORY_MB: 2048 } },
        consumerGeneration: 0,
        ...owner,
      }),
    { consumers: [VM] },
  );
  await store.write(
    (s) =>
      s.claim(VM2, { allocations: { [CHILD]: { VCPU: 2 } }, consumerGeneration: null, projectId: "p2", userId: "u2" }),
    { consumers: [VM2] },
  );
}

/**
 * What only a durable store shows: the state survives reopening, deletes remove rows, and two
 * stores on one database (two API nodes) settle races by generation. `connect` opens a new
 * connection to the same database each time it is called.
 */
export function runSqlPlacementStoreSuite(name: string, connect: () => Promise<Database<unknown>>): void {
  describe(`SqlPlacementStore (${name})`, () => {
    const open: SqlPlacementStore[] = [];
    const openStore = async () => {
      const store = await SqlPlacementStore.open(await connect());
      open.push(store);
      return store;
    };
    /** Rows of `table` as they are in the database now. */
    const rows = async (table: (typeof TABLES)[number]) => {
      const db = await connect();
      try {
        return await (db.kysely as unknown as PlacementDb).selectFrom(table).selectAll().execute();
      } finally {
        await db.close();
      }
    };
    beforeEach(async () => {
      const db = await connect();
      await emptyPlacementTables(db);
      await db.close();
    });
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });

    it("everything survives reopening the database: trees, inventories with ratios, traits, aggregates, custom names, consumers, generations and usages", async () => {
      const first = await openStore();
      await populate(first);
      const want = everything(first.state);
      const again = await openStore();
      expect(everything(again.state)).toEqual(want);
      expect(again.state.usages(CHILD)).toEqual({ VCPU: 6, MEMORY_MB: 2048 });
      expect(again.state.getInventories(CHILD).MEMORY_MB?.allocation_ratio).toBe(1.5);
      expect(again.state.getInventories(ROOT).DISK_GB?.allocation_ratio).toBe(1.1);
      expect(again.state.getProvider(GRANDCHILD)).toMatchObject({ parentUuid: CHILD, rootUuid: ROOT });
      expect(again.state.getAllocations(VM)).toMatchObject({ generation: 1, consumerType: "INSTANCE" });
      expect(again.state.getAllocations(VM2)).toMatchObject({ generation: 0, projectId: "p2" });
      expect(again.state.getAllocations(VM2)).not.toHaveProperty("consumerType");
      expect(again.state.getProvider(ROOT).generation).toBe(first.state.getProvider(ROOT).generation);
    });

    it("deleting allocations, providers and custom names removes their rows", async () => {
      const store = await openStore();
      await populate(store);
      await store.write((s) => s.deleteAllocations(VM), { consumers: [VM] });
      await store.write(
        (s) => {
          s.deleteProvider(GRANDCHILD);
          s.deleteResourceClass("CUSTOM_FPGA");
        },
        { providers: [GRANDCHILD], resourceClasses: ["CUSTOM_FPGA"] },
      );
      await store.write(
        (s) => {
          s.setTraits(ROOT, s.getProvider(ROOT).generation, []);
          s.deleteTrait("CUSTOM_RACK_7");
        },
        { providers: [ROOT], traits: ["CUSTOM_RACK_7"] },
      );
      expect((await rows("consumers")).map((r) => r.uuid)).toEqual([VM2]);
      expect(await rows("allocations")).toEqual([
        { consumer_uuid: VM2, resource_provider_uuid: CHILD, resource_class: "VCPU", used: 2 },
      ]);
      expect((await rows("resource_providers")).map((r) => r.uuid).sort()).toEqual([ROOT, CHILD]);
      expect((await rows("inventories")).map((r) => r.resource_provider_uuid).sort()).toEqual([ROOT, CHILD, CHILD]);
      expect(await rows("provider_aggregates")).toHaveLength(2);
      expect(await rows("provider_traits")).toEqual([]);
      expect(await rows("resource_classes")).toEqual([]);
      expect(await rows("traits")).toEqual([]);
      expect(everything((await openStore()).state)).toEqual(everything(store.state));
    });

    it("rewriting a consumer with the same amounts saves though the provider rows do not change (generation kept)", async () => {
      const store = await openStore();
      await withCompute(store, OTHER, "compute2", 8);
      await claimNew(store, VM, OTHER, 2);
      const again = { allocations: { [OTHER]: { VCPU: 2 } }, ...owner };
      await store.write((s) => s.claim(VM, { ...again, consumerGeneration: 0 }), { consumers: [VM] });
      await store.write((s) => s.claim(VM, { ...again, consumerGeneration: 1 }), { consumers: [VM] });
      expect(store.state.getProvider(OTHER).generation).toBe(2);
      expect((await openStore()).state.getAllocations(VM)?.generation).toBe(2);
    });

    it("a write through a second store after the first changed the same provider fails with 409 concurrent_update and reloads the truth", async () => {
      const a = await openStore();
      await withCompute(a, OTHER, "compute2", 8);
      const b = await openStore();
      await a.write((s) => s.setTraits(OTHER, 1, ["HW_CPU_X86_SSE42"]), { providers: [OTHER] });
      const err = await rejection(b.write((s) => s.setAggregates(OTHER, 1, [AGG]), { providers: [OTHER] }));
      expect(err).toMatchObject({ code: "conflict", details: { errorCode: "placement.concurrent_update" } });
      expect(everything(b.state)).toEqual(everything(a.state));
      expect(b.state.getTraits(OTHER)).toEqual(["HW_CPU_X86_SSE42"]);
      expect(b.state.getAggregates(OTHER)).toEqual([]);
      // Retried with the generation it now reads, the write goes through.
      await b.write((s) => s.setAggregates(OTHER, 2, [AGG]), { providers: [OTHER] });
      expect(everything((await openStore()).state)).toEqual(everything(b.state));
    });

    it("a claim through a second store on a provider whose usage the first changed fails with 409 and reloads", async () => {
      const a = await openStore();
      await withCompute(a, OTHER, "compute2", 8);
      const b = await openStore();
      await claimNew(a, VM, OTHER, 6);
      const err = await rejection(claimNew(b, VM2, OTHER, 6));
      expect(err.details.errorCode).toBe("placement.concurrent_update");
      expect(b.state.usages(OTHER).VCPU).toBe(6);
      // Now it knows the provider is nearly full: the retry is refused as Placement does.
      expect((await rejection(claimNew(b, VM2, OTHER, 6))).message).toMatch(/^Unable to allocate inventory/);
    });

    it("creating a consumer another store created first fails with 409 concurrent_update, not a database error", async () => {
      const a = await openStore();
      await withCompute(a, OTHER, "compute2", 8);
      await withCompute(a, ROOT, "compute1", 8);
      const b = await openStore();
      await claimNew(a, VM, OTHER, 1);
      const err = await rejection(claimNew(b, VM, ROOT, 1));
      expect(err.details.errorCode).toBe("placement.concurrent_update");
      expect(b.state.getAllocations(VM)?.allocations).toEqual({ [OTHER]: { VCPU: 1 } });
    });

    it.each([
      ["the parent is deleted first, then a child is created under it elsewhere", "delete-first"],
      ["a child is created first, then its parent is deleted elsewhere", "child-first"],
    ])("no orphan provider when %s: the second writer gets 409 concurrent_update", async (_name, order) => {
      const a = await openStore();
      await withCompute(a, ROOT, "compute1", 8);
      const b = await openStore();
      const remove = () => a.write((s) => s.deleteProvider(ROOT), { providers: [ROOT] });
      const addChild = () =>
        b.write((s) => s.createProvider({ uuid: CHILD, name: "numa0", parentUuid: ROOT }), { providers: [CHILD] });
      const [first, second] = order === "delete-first" ? [remove, addChild] : [addChild, remove];
      await first();
      expect((await rejection(second())).details.errorCode).toBe("placement.concurrent_update");
      const truth = everything((await openStore()).state);
      expect(everything(a.state)).toEqual(truth);
      expect(everything(b.state)).toEqual(truth);
    });

    it("two stores racing 80 claims (retrying on 409) for room for 30 never over-commit: exactly 30 win and the database agrees", async () => {
      const a = await openStore();
      await withCompute(a, OTHER, "compute2", 30);
      const b = await openStore();
      const claimWithRetry = async (store: SqlPlacementStore, consumer: string): Promise<boolean> => {
        for (let attempt = 0; attempt < 200; attempt++) {
          try {
            await claimNew(store, consumer, OTHER, 1);
            return true;
          } catch (err) {
            if (!StratusError.is(err) || err.code !== "conflict") throw err;
            // A lost race (409 concurrent_update, or a lock the database gave up waiting for) is worth
            // another try; "Unable to allocate inventory" is final.
            if (!err.retryable) return false;
          }
        }
        throw new Error(`claim for ${consumer} starved`);
      };
      const won = await Promise.all(
        Array.from({ length: 80 }, (_, i) => claimWithRetry(i % 2 === 0 ? a : b, uuidOf(3, i))),
      );
      const winners = won.flatMap((w, i) => (w ? [uuidOf(3, i)] : []));
      expect(winners).toHaveLength(30);
      const truth = (await openStore()).state;
      expect(truth.usages(OTHER).VCPU).toBe(30);
      expect(
        truth
          .snapshot()
          .consumers.map((c) => c.consumerUuid)
          .sort(),
      ).toEqual(winners.sort());
      expect(truth.getProvider(OTHER).generation).toBe(1 + 30);
    });
  });
}
