/**
 * Writes a report's provider tree into Placement (the part of Nova's resource tracker and report
 * client that follows `update_provider_tree`): creates missing providers, replaces inventories,
 * traits and aggregates that changed, each write checked against the generation just read. When
 * another writer bumped a generation first (409 `placement.concurrent_update`), the provider is
 * read again and the change recomputed, so an operator's trait added meanwhile survives.
 * PCI children gone from the report are deleted only while nothing is allocated on them.
 */
import { StratusError } from "@stratus/core/errors";
import { concurrentUpdate, PLACEMENT_CODES, placementBadRequest } from "../placement/errors.js";
import { type Inventory, withInventoryDefaults } from "../placement/model.js";
import type { ProviderRecord } from "../placement/provider-store.js";
import type { PlacementState } from "../placement/state.js";
import type { PlacementStore } from "../placement/store.js";
import { type DesiredProvider, desiredTree, pciProviderPrefix } from "./desired-tree.js";
import type { HypervisorReport } from "./hypervisor-report.js";

/** What one sync did. */
export interface ProviderTreeSyncResult {
  /** Providers created or changed, in write order. */
  readonly written: readonly string[];
  /** PCI child providers deleted because their device is gone. */
  readonly deleted: readonly string[];
  /** PCI child providers whose device is gone but which still hold allocations (kept for now). */
  readonly retained: readonly string[];
  /** Writes retried after a generation conflict. */
  readonly retries: number;
}

/** Trait prefixes the driver owns on the root; other traits (an operator's CUSTOM_ ones) are kept. */
const DRIVER_TRAIT_PREFIXES = ["HW_", "COMPUTE_"];

/**
 * Brings Placement in line with `report`. Idempotent: a second call with the same report writes
 * nothing. Throws conflict `placement.concurrent_update` after `maxRetries` lost races on one
 * provider, bad_request for unknown standard traits, and whatever the store throws while saving.
 */
export async function syncProviderTree(
  store: PlacementStore,
  report: HypervisorReport,
  maxRetries = 3,
): Promise<ProviderTreeSyncResult> {
  const written: string[] = [];
  const deleted: string[] = [];
  const retained: string[] = [];
  let retries = 0;
  const desired = desiredTree(report);
  for (const want of desired) {
    for (let attempt = 0; ; attempt++) {
      try {
        if (await writeProvider(store, want)) written.push(want.uuid);
        break;
      } catch (error) {
        if (!isGenerationConflict(error) || attempt >= maxRetries) throw error;
        retries++;
      }
    }
  }
  const wanted = new Set(desired.map((d) => d.uuid));
  const prefix = pciProviderPrefix(report);
  const gone = store.state
    .listProviders()
    .filter((p) => p.parentUuid === report.nodeUuid && p.name.startsWith(prefix) && !wanted.has(p.uuid));
  for (const p of gone) {
    if (hasAllocations(store.state, p.uuid)) {
      retained.push(p.uuid);
      continue;
    }
    try {
      await store.write((s) => s.deleteProvider(p.uuid), { providers: [p.uuid] });
      deleted.push(p.uuid);
    } catch (error) {
      // A claim landed between the check and the delete: keep it, as above.
      if (!StratusError.is(error) || error.details["errorCode"] !== PLACEMENT_CODES.inventoryInUse) throw error;
      retained.push(p.uuid);
    }
  }
  return { written, deleted, retained, retries };
}

/** One provider's create-or-update; returns whether anything was written. */
async function writeProvider(store: PlacementStore, want: DesiredProvider): Promise<boolean> {
  const current = store.state.providerRecord(want.uuid);
  const traits = current === undefined ? [...want.traits] : mergedTraits(current, want);
  const inventories = Object.fromEntries(
    Object.entries(want.inventories).map(([rc, i]) => [rc, withInventoryDefaults(i)]),
  );
  const invChanged = current === undefined || !sameInventories(current.inventories, inventories);
  const traitsChanged = current === undefined ? traits.length > 0 : !sameList(current.traits, traits);
  const aggsChanged =
    current === undefined ? want.aggregates.length > 0 : !sameList(current.aggregates, want.aggregates);
  if (current !== undefined && !invChanged && !traitsChanged && !aggsChanged) return false;
  const generation = current?.generation ?? 0;
  const customTraits = traits.filter((t) => t.startsWith("CUSTOM_"));
  await store.write(
    (s) => {
      // Checks first: a write refused half-way would leave the state half-changed.
      const unknown = traits.filter((t) => !t.startsWith("CUSTOM_") && !s.hasTrait(t));
      if (unknown.length > 0) throw placementBadRequest(`No such trait(s): ${unknown.join(", ")}.`);
      for (const t of customTraits) s.createTrait(t);
      if (current === undefined) {
        if (s.providerRecord(want.uuid) !== undefined)
          throw concurrentUpdate(`resource provider ${want.uuid} was created by another writer`);
        s.createProvider({ uuid: want.uuid, name: want.name, parentUuid: want.parentUuid });
      }
      let g = generation;
      if (invChanged) g = s.setInventories(want.uuid, g, want.inventories);
      if (traitsChanged) g = s.setTraits(want.uuid, g, traits);
      if (aggsChanged) s.setAggregates(want.uuid, g, want.aggregates);
    },
    { providers: [want.uuid], traits: customTraits },
  );
  return true;
}

/** The report's traits plus what others put on the provider outside the driver's prefixes. */
function mergedTraits(current: ProviderRecord, want: DesiredProvider): string[] {
  if (want.parentUuid !== null) return [...want.traits];
  const kept = current.traits.filter((t) => !DRIVER_TRAIT_PREFIXES.some((p) => t.startsWith(p)));
  return [...new Set([...kept, ...want.traits])].sort();
}

function hasAllocations(state: PlacementState, uuid: string): boolean {
  return Object.values(state.usages(uuid)).some((n) => n > 0);
}

function sameInventories(a: Readonly<Record<string, Inventory>>, b: Readonly<Record<string, Inventory>>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  if (!sameList(ka, kb)) return false;
  return ka.every((rc) => {
    const x = a[rc]!;
    const y = b[rc]!;
    return (Object.keys(y) as (keyof Inventory)[]).every((f) => x[f] === y[f]);
  });
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  const sa = [...a].sort();
  const sb = [...b].sort();
  return sa.length === sb.length && sa.every((x, i) => x === sb[i]);
}

function isGenerationConflict(error: unknown): boolean {
  return StratusError.is(error) && error.details["errorCode"] === PLACEMENT_CODES.concurrentUpdate;
}
