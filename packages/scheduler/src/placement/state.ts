import { badRequest, type StratusError } from "@stratus/core/errors";
import { concurrentUpdate, PLACEMENT_CODES, placementConflict, unableToAllocate } from "./errors.js";
import { getOrCreate } from "./map-util.js";
import {
  type ClaimRequest,
  type ConsumerAllocations,
  capacityOf,
  type Inventory,
  type ReshapeInventories,
  type Resources,
  withInventoryDefaults,
} from "./model.js";
import { type ProviderNode, type ProviderRecord, ProviderStore } from "./provider-store.js";

/** The whole of Placement's state as plain data (what a persistence layer saves and loads). */
export interface PlacementSnapshot {
  /** Created CUSTOM_ resource classes. */
  readonly resourceClasses: readonly string[];
  /** Created CUSTOM_ traits. */
  readonly traits: readonly string[];
  /** Every provider; parents may come in any order relative to children. */
  readonly providers: readonly ProviderRecord[];
  /** Every consumer with allocations. */
  readonly consumers: readonly ConsumerAllocations[];
}

/**
 * Placement's state in memory: providers (see ProviderStore) plus allocations per consumer.
 * Every method is synchronous, so each write is atomic; races between readers and writers
 * are settled by provider and consumer generations, as in Placement.
 *
 * ```ts
 * const state = new PlacementState();
 * state.createProvider({ uuid: rp, name: "compute1" });
 * state.setInventories(rp, 0, { VCPU: { total: 8 } });
 * state.claim(vm, { allocations: { [rp]: { VCPU: 2 } }, consumerGeneration: null, projectId, userId });
 * ```
 */
export class PlacementState extends ProviderStore {
  private readonly consumers = new Map<string, ConsumerAllocations>();

  /** Every consumer with allocations (live records: read, do not keep across writes). */
  consumerRecords(): IterableIterator<ConsumerAllocations> {
    return this.consumers.values();
  }

  /** Everything, as plain data. */
  snapshot(): PlacementSnapshot {
    return {
      resourceClasses: this.customResourceClasses(),
      traits: this.customTraitNames(),
      providers: [...this.nodes.keys()].map((u) => this.providerRecord(u)!),
      consumers: [...this.consumers.values()],
    };
  }

  /** Replaces everything with a snapshot (generations as saved, usages recomputed from the allocations). */
  restore(snapshot: PlacementSnapshot): void {
    this.loadProviders(snapshot.resourceClasses, snapshot.traits, snapshot.providers);
    this.consumers.clear();
    for (const c of snapshot.consumers) {
      this.consumers.set(c.consumerUuid, c);
      for (const [rp, res] of Object.entries(c.allocations)) {
        const node = this.nodes.get(rp);
        if (node === undefined) continue;
        for (const [rc, n] of Object.entries(res)) node.usages.set(rc, (node.usages.get(rc) ?? 0) + n);
      }
    }
  }

  /** A consumer's allocations, or undefined when it has none. */
  getAllocations(consumerUuid: string): ConsumerAllocations | undefined {
    return this.consumers.get(consumerUuid);
  }

  /** Allocations on one provider per consumer UUID (GET /resource_providers/{uuid}/allocations). Throws notFound. */
  providerAllocations(uuid: string): Record<string, Resources> {
    this.node(uuid);
    const out: Record<string, Resources> = {};
    for (const c of this.consumers.values()) {
      const mine = c.allocations[uuid];
      if (mine !== undefined) out[c.consumerUuid] = mine;
    }
    return out;
  }

  /** Usages of one provider per resource class (0 for classes with inventory but no allocations). Throws notFound. */
  usages(uuid: string): Record<string, number> {
    const node = this.node(uuid);
    const out: Record<string, number> = {};
    for (const rc of node.inventories.keys()) out[rc] = node.usages.get(rc) ?? 0;
    return out;
  }

  /** Usages summed over a project's (and optionally one user's) consumers (GET /usages). */
  projectUsages(projectId: string, userId?: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.consumers.values()) {
      if (c.projectId !== projectId || (userId !== undefined && c.userId !== userId)) continue;
      for (const res of Object.values(c.allocations)) {
        for (const [rc, n] of Object.entries(res)) out[rc] = (out[rc] ?? 0) + n;
      }
    }
    return out;
  }

  /**
   * Replaces one consumer's allocations across providers, atomically (PUT /allocations/{consumer}).
   * Returns the consumer's new generation (or null when the allocations were emptied and the
   * consumer removed). Throws conflict `placement.concurrent_update` on a stale consumer generation,
   * conflict "Unable to allocate inventory: ..." when an amount does not fit, badRequest on bad amounts.
   */
  claim(consumerUuid: string, request: ClaimRequest): number | null {
    return this.claimMany({ [consumerUuid]: request })[consumerUuid] ?? null;
  }

  /**
   * Replaces the allocations of several consumers at once, all or nothing (POST /allocations).
   * Returns each consumer's new generation (null for consumers whose allocations were emptied).
   * Throws like `claim`; on any failure nothing is changed.
   */
  claimMany(requests: Readonly<Record<string, ClaimRequest>>): Record<string, number | null> {
    const delta = this.planClaims(requests, (node, rc) => node.inventories.get(rc));
    return this.applyClaims(requests, delta);
  }

  /**
   * Replaces the inventories of some providers and the allocations of some consumers in one step,
   * all or nothing (POST /reshaper): allocations may move onto inventories created here and off
   * inventories removed here. Capacity and constraints are checked against the new inventories.
   * Returns each consumer's new generation like `claimMany`. Throws notFound for an unknown
   * provider in `inventories`, conflict `placement.concurrent_update` on a stale provider or
   * consumer generation, conflict `placement.inventory.inuse` when an inventory removed here
   * would keep allocations, and like `claimMany`; on any failure nothing is changed.
   */
  reshape(
    inventories: Readonly<Record<string, ReshapeInventories>>,
    requests: Readonly<Record<string, ClaimRequest>>,
  ): Record<string, number | null> {
    const next = new Map<string, Map<string, Inventory>>();
    for (const [rp, want] of Object.entries(inventories)) {
      const node = this.node(rp);
      if (node.generation !== want.generation) {
        throw concurrentUpdate(
          `resource provider generation conflict for provider ${rp}: actual: ${node.generation}, given: ${want.generation}`,
        );
      }
      const invs = new Map<string, Inventory>();
      for (const [rc, input] of Object.entries(want.inventories)) {
        if (!this.hasResourceClass(rc)) throw noSuchResourceClass(rc);
        const inv = withInventoryDefaults(input);
        checkReshapedInventory(rp, rc, inv);
        invs.set(rc, inv);
      }
      next.set(rp, invs);
    }
    const delta = this.planClaims(requests, (node, rc) => (next.get(node.uuid) ?? node.inventories).get(rc));
    for (const [rp, invs] of next) {
      const node = this.nodes.get(rp)!;
      const changes = delta.get(rp);
      for (const rc of new Set([...node.usages.keys(), ...(changes?.keys() ?? [])])) {
        const used = (node.usages.get(rc) ?? 0) + (changes?.get(rc) ?? 0);
        if (used > 0 && !invs.has(rc)) {
          throw placementConflict(
            `update conflict: Inventory for '${rc}' on resource provider '${rp}' in use.`,
            PLACEMENT_CODES.inventoryInUse,
          );
        }
      }
    }
    // Everything checked: the writes below cannot fail.
    const out = this.applyClaims(requests, delta);
    for (const [rp, want] of Object.entries(inventories)) {
      this.setInventories(rp, this.nodes.get(rp)!.generation, want.inventories);
    }
    return out;
  }

  /** Checks consumer generations, amounts and capacity; returns the net change per provider and class. */
  private planClaims(
    requests: Readonly<Record<string, ClaimRequest>>,
    inventoryOf: (node: ProviderNode, rc: string) => Inventory | undefined,
  ): Map<string, Map<string, number>> {
    const entries = Object.entries(requests);
    for (const [consumer, req] of entries) this.checkConsumerGeneration(consumer, req.consumerGeneration);
    // Net change per provider and class: new amounts minus the consumers' current ones.
    const delta = new Map<string, Map<string, number>>();
    const add = (rp: string, rc: string, n: number) => {
      const m = getOrCreate(delta, rp, () => new Map<string, number>());
      m.set(rc, (m.get(rc) ?? 0) + n);
    };
    for (const [consumer, req] of entries) {
      const old = this.consumers.get(consumer);
      if (old !== undefined) {
        for (const [rp, res] of Object.entries(old.allocations))
          for (const [rc, n] of Object.entries(res)) add(rp, rc, -n);
      }
      for (const [rp, res] of Object.entries(req.allocations)) {
        const node = this.nodeForAllocation(rp);
        for (const [rc, n] of Object.entries(res)) {
          this.checkAmount(node, rc, n, inventoryOf(node, rc));
          add(rp, rc, n);
        }
      }
    }
    for (const [rp, m] of delta) {
      const node = this.nodes.get(rp);
      if (node === undefined) continue;
      for (const [rc, d] of m) {
        const inv = inventoryOf(node, rc);
        // Freeing capacity always succeeds, even when the provider is already over (ratio lowered).
        if (d > 0 && inv !== undefined && (node.usages.get(rc) ?? 0) + d > capacityOf(inv)) {
          throw unableToAllocate(
            `Unable to create allocation for '${rc}' on resource provider '${rp}'. The requested amount would exceed the capacity.`,
          );
        }
      }
    }
    return delta;
  }

  /** Applies checked claims: usages, provider generations, consumer records. */
  private applyClaims(
    requests: Readonly<Record<string, ClaimRequest>>,
    delta: Map<string, Map<string, number>>,
  ): Record<string, number | null> {
    for (const [rp, m] of delta) {
      const node = this.nodes.get(rp);
      if (node === undefined) continue;
      let changed = false;
      for (const [rc, d] of m) {
        if (d === 0) continue;
        changed = true;
        const next = (node.usages.get(rc) ?? 0) + d;
        if (next === 0) node.usages.delete(rc);
        else node.usages.set(rc, next);
      }
      if (changed) node.generation++;
    }
    const out: Record<string, number | null> = {};
    for (const [consumer, req] of Object.entries(requests)) {
      const allocations = Object.fromEntries(
        Object.entries(req.allocations).filter(([, res]) => Object.keys(res).length > 0),
      );
      if (Object.keys(allocations).length === 0) {
        this.consumers.delete(consumer);
        out[consumer] = null;
        continue;
      }
      const current = this.consumers.get(consumer);
      const generation = current === undefined ? 0 : current.generation + 1;
      const consumerType = req.consumerType ?? current?.consumerType;
      this.consumers.set(consumer, {
        consumerUuid: consumer,
        generation,
        projectId: req.projectId,
        userId: req.userId,
        allocations,
        ...(consumerType === undefined ? {} : { consumerType }),
      });
      out[consumer] = generation;
    }
    return out;
  }

  /** Removes a consumer's allocations (DELETE /allocations/{consumer}); returns false if it had none. */
  deleteAllocations(consumerUuid: string): boolean {
    const c = this.consumers.get(consumerUuid);
    if (c === undefined) return false;
    this.claim(consumerUuid, {
      allocations: {},
      consumerGeneration: c.generation,
      projectId: c.projectId,
      userId: c.userId,
    });
    return true;
  }

  private checkConsumerGeneration(consumer: string, expected: number | null): void {
    const current = this.consumers.get(consumer);
    // Placement's wording: "expected" is the server's generation, "got" the caller's.
    if (current === undefined) {
      if (expected !== null) throw concurrentUpdate(`consumer generation conflict - expected null but got ${expected}`);
      return;
    }
    if (current.generation !== expected) {
      throw concurrentUpdate(
        `consumer generation conflict - expected ${current.generation} but got ${expected === null ? "None" : expected}`,
      );
    }
  }

  private nodeForAllocation(rp: string): ProviderNode {
    const node = this.nodes.get(rp);
    if (node === undefined) {
      throw badRequest(`Allocation for resource provider '${rp}' that does not exist.`);
    }
    return node;
  }

  private checkAmount(node: ProviderNode, rc: string, n: number, inv: Inventory | undefined): void {
    if (!Number.isInteger(n) || n < 1) {
      throw badRequest(
        `Invalid allocation amount for '${rc}' on resource provider '${node.uuid}': must be an integer >= 1. Got: ${n}`,
      );
    }
    if (!this.hasResourceClass(rc)) throw noSuchResourceClass(rc);
    if (inv === undefined) {
      throw unableToAllocate(`Inventory for '${rc}' on resource provider '${node.uuid}' invalid.`);
    }
    if (n < inv.min_unit || n > inv.max_unit || n % inv.step_size !== 0) {
      throw unableToAllocate(
        `Unable to create allocation for '${rc}' on resource provider '${node.uuid}'. The requested amount would violate inventory constraints.`,
      );
    }
  }
}

/** A 400 for a resource class that does not exist; `details.notFound` lets routes word it as Placement does. */
export function noSuchResourceClass(rc: string): StratusError {
  return badRequest(`No such resource class ${rc}.`, {
    details: { errorCode: PLACEMENT_CODES.undefined, notFound: "resource_class" },
  });
}

/** The checks ProviderStore.setInventories makes, done before a reshape changes anything. */
function checkReshapedInventory(rp: string, rc: string, inv: Inventory): void {
  const counts = [inv.total, inv.reserved, inv.min_unit, inv.max_unit, inv.step_size];
  if (
    counts.some((n) => !Number.isInteger(n) || n < 0) ||
    [inv.total, inv.min_unit, inv.max_unit, inv.step_size].some((n) => n < 1)
  ) {
    throw badRequest(`Bad inventory ${rc} for resource provider ${rp}: counts must be integers >= 1 (reserved >= 0).`);
  }
  if (!(inv.allocation_ratio > 0) || !Number.isFinite(inv.allocation_ratio)) {
    throw badRequest(`Bad inventory ${rc} for resource provider ${rp}: allocation_ratio must be a positive number.`);
  }
  if (inv.reserved > inv.total) {
    throw unableToAllocate(
      `Invalid inventory for '${rc}' on resource provider '${rp}'. The reserved value is greater than total.`,
    );
  }
  if (inv.min_unit > inv.max_unit)
    throw badRequest(`Bad inventory ${rc} for resource provider ${rp}: min_unit must be <= max_unit.`);
}
