import { badRequest } from "@stratus/core/errors";
import { concurrentUpdate, unableToAllocate } from "./errors.js";
import { getOrCreate } from "./map-util.js";
import { type ClaimRequest, type ConsumerAllocations, capacityOf, type Resources } from "./model.js";
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
          this.checkAmount(node, rc, n);
          add(rp, rc, n);
        }
      }
    }
    for (const [rp, m] of delta) {
      const node = this.nodes.get(rp);
      if (node === undefined) continue;
      for (const [rc, d] of m) {
        const inv = node.inventories.get(rc);
        // Freeing capacity always succeeds, even when the provider is already over (ratio lowered).
        if (d > 0 && inv !== undefined && (node.usages.get(rc) ?? 0) + d > capacityOf(inv)) {
          throw unableToAllocate(
            `Unable to create allocation for '${rc}' on resource provider '${rp}'. The requested amount would exceed the capacity.`,
          );
        }
      }
    }
    // All checks passed: apply.
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
    for (const [consumer, req] of entries) {
      const allocations = Object.fromEntries(
        Object.entries(req.allocations).filter(([, res]) => Object.keys(res).length > 0),
      );
      if (Object.keys(allocations).length === 0) {
        this.consumers.delete(consumer);
        out[consumer] = null;
        continue;
      }
      const generation = req.consumerGeneration === null ? 0 : req.consumerGeneration + 1;
      this.consumers.set(consumer, {
        consumerUuid: consumer,
        generation,
        projectId: req.projectId,
        userId: req.userId,
        allocations,
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
    if (expected === null && current !== undefined) {
      throw concurrentUpdate(`consumer generation conflict - expected null but got ${current.generation}`);
    }
    if (expected !== null && current?.generation !== expected) {
      throw concurrentUpdate(
        `consumer generation conflict - expected ${expected} but got ${current === undefined ? "null" : current.generation}`,
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

  private checkAmount(node: ProviderNode, rc: string, n: number): void {
    if (!Number.isInteger(n) || n < 1) {
      throw badRequest(
        `Invalid allocation amount for '${rc}' on resource provider '${node.uuid}': must be an integer >= 1. Got: ${n}`,
      );
    }
    const inv = node.inventories.get(rc);
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
