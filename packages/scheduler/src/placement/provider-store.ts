import { badRequest, notFound } from "@stratus/core/errors";
import { concurrentUpdate, PLACEMENT_CODES, placementConflict } from "./errors.js";
import { validateInventory } from "./inventory-rules.js";
import { getOrCreate } from "./map-util.js";
import { type Inventory, type InventoryInput, type ResourceProvider, withInventoryDefaults } from "./model.js";
import { isCustomName, isStandardResourceClass, isStandardTrait } from "./names.js";
import type { ProviderNode, ProviderRecord } from "./provider-node.js";

export type { ProviderNode, ProviderRecord } from "./provider-node.js";

function addTo(index: Map<string, Set<string>>, key: string, uuid: string): void {
  getOrCreate(index, key, () => new Set()).add(uuid);
}

/**
 * Resource providers in trees with their inventories, traits and aggregates, indexed by
 * resource class, trait and aggregate. Every write checks and bumps the provider generation.
 */
export class ProviderStore {
  protected readonly nodes = new Map<string, ProviderNode>();
  private readonly names = new Map<string, string>();
  private readonly byClass = new Map<string, Set<string>>();
  /** The same index as `byClass`, holding the records: changed only with it (indexClass, unindexClass). */
  private readonly byClassNode = new Map<string, Set<ProviderNode>>();
  private readonly byTrait = new Map<string, Set<string>>();
  private readonly byAggregate = new Map<string, Set<string>>();
  private readonly customClasses = new Set<string>();
  private readonly customTraits = new Set<string>();
  private readonly rootSet = new Set<string>();

  /** Creates a CUSTOM_ resource class; idempotent. Throws badRequest for a malformed name. */
  createResourceClass(name: string): void {
    if (!isCustomName(name)) throw badRequest(`Resource class name must match CUSTOM_[A-Z0-9_]+. Got: ${name}`);
    this.customClasses.add(name);
  }

  /** True for a standard class or a created custom one. */
  hasResourceClass(name: string): boolean {
    return isStandardResourceClass(name) || this.customClasses.has(name);
  }

  /** Creates a CUSTOM_ trait; idempotent. Throws badRequest for a malformed name. */
  createTrait(name: string): void {
    if (!isCustomName(name)) throw badRequest(`Trait name must match CUSTOM_[A-Z0-9_]+. Got: ${name}`);
    this.customTraits.add(name);
  }

  /** True for a standard trait or a created custom one. */
  hasTrait(name: string): boolean {
    return isStandardTrait(name) || this.customTraits.has(name);
  }

  /** Creates a provider (a root, or a child of `parentUuid`). Throws conflict on a taken uuid or name. */
  createProvider(input: { uuid: string; name: string; parentUuid?: string | null }): ResourceProvider {
    if (this.nodes.has(input.uuid)) {
      throw placementConflict(
        `Conflicting resource provider uuid: ${input.uuid} already exists.`,
        PLACEMENT_CODES.duplicateName,
      );
    }
    if (this.names.has(input.name)) {
      throw placementConflict(
        `Conflicting resource provider name: ${input.name} already exists.`,
        PLACEMENT_CODES.duplicateName,
      );
    }
    const parentUuid = input.parentUuid ?? null;
    const parent = parentUuid === null ? undefined : this.nodes.get(parentUuid);
    if (parentUuid !== null && parent === undefined) {
      throw badRequest(`parent provider UUID ${parentUuid} does not exist.`);
    }
    const node: ProviderNode = {
      uuid: input.uuid,
      name: input.name,
      parentUuid,
      rootUuid: parent?.rootUuid ?? input.uuid,
      generation: 0,
      inventories: new Map(),
      usages: new Map(),
      traits: new Set(),
      aggregates: new Set(),
      children: new Set(),
    };
    this.nodes.set(node.uuid, node);
    this.names.set(node.name, node.uuid);
    parent?.children.add(node.uuid);
    if (parent === undefined) this.rootSet.add(node.uuid);
    return this.view(node);
  }

  /** The provider with `uuid`. Throws notFound. */
  getProvider(uuid: string): ResourceProvider {
    return this.view(this.node(uuid));
  }

  /** All providers, in creation order. */
  listProviders(): ResourceProvider[] {
    return [...this.nodes.values()].map((n) => this.view(n));
  }

  /** Deletes a provider without children or allocations. Throws notFound or conflict. */
  deleteProvider(uuid: string): void {
    const node = this.node(uuid);
    if (node.children.size > 0)
      throw placementConflict(
        `Unable to delete parent resource provider ${uuid}: It has child resource providers.`,
        "placement.resource_provider.cannot_delete_parent",
      );
    if ([...node.usages.values()].some((u) => u > 0)) {
      throw placementConflict(
        `Unable to delete resource provider ${uuid}: Resource provider has allocations.`,
        PLACEMENT_CODES.inventoryInUse,
      );
    }
    for (const rc of node.inventories.keys()) this.unindexClass(rc, node);
    for (const t of node.traits) this.byTrait.get(t)?.delete(uuid);
    for (const a of node.aggregates) this.byAggregate.get(a)?.delete(uuid);
    if (node.parentUuid !== null) this.nodes.get(node.parentUuid)?.children.delete(uuid);
    this.rootSet.delete(uuid);
    this.names.delete(node.name);
    this.nodes.delete(uuid);
  }

  /** Inventories of a provider per class. Throws notFound. */
  getInventories(uuid: string): Record<string, Inventory> {
    return Object.fromEntries(this.node(uuid).inventories);
  }

  /**
   * Replaces all inventories of a provider (PUT .../inventories). Returns the new generation.
   * Throws conflict `placement.concurrent_update` on a stale generation, `placement.inventory.inuse`
   * when removing a class that has allocations, badRequest for unknown classes or bad values.
   */
  setInventories(uuid: string, generation: number, inventories: Readonly<Record<string, InventoryInput>>): number {
    const node = this.node(uuid);
    this.checkGeneration(node, generation);
    const next = new Map<string, Inventory>();
    for (const [rc, input] of Object.entries(inventories)) {
      if (!this.hasResourceClass(rc)) throw badRequest(`Unknown resource class in inventory: ${rc}`);
      const inv = withInventoryDefaults(input);
      validateInventory(rc, inv);
      next.set(rc, inv);
    }
    for (const [rc, used] of node.usages) {
      if (used > 0 && !next.has(rc)) {
        throw placementConflict(
          `Unable to update inventory for resource provider ${uuid}: Inventory for '${rc}' on resource provider '${uuid}' in use.`,
          PLACEMENT_CODES.inventoryInUse,
        );
      }
    }
    for (const rc of node.inventories.keys()) this.unindexClass(rc, node);
    node.inventories.clear();
    for (const [rc, inv] of next) {
      node.inventories.set(rc, inv);
      this.indexClass(rc, node);
    }
    return ++node.generation;
  }

  /** Traits of a provider, sorted. Throws notFound. */
  getTraits(uuid: string): string[] {
    return [...this.node(uuid).traits].sort();
  }

  /** Replaces a provider's traits; returns the new generation. Throws conflict on a stale generation, badRequest on unknown traits. */
  setTraits(uuid: string, generation: number, traits: readonly string[]): number {
    const node = this.node(uuid);
    this.checkGeneration(node, generation);
    const unknown = traits.filter((t) => !this.hasTrait(t));
    if (unknown.length > 0) throw badRequest(`No such trait(s): ${unknown.join(", ")}.`);
    for (const t of node.traits) this.byTrait.get(t)?.delete(uuid);
    node.traits = new Set(traits);
    for (const t of node.traits) addTo(this.byTrait, t, uuid);
    return ++node.generation;
  }

  /** Aggregate UUIDs of a provider, sorted. Throws notFound. */
  getAggregates(uuid: string): string[] {
    return [...this.node(uuid).aggregates].sort();
  }

  /**
   * Replaces a provider's aggregates; returns the new generation. Throws conflict on a stale
   * generation. `bumpGeneration` false (PUT .../aggregates before 1.19) leaves the generation as is.
   */
  setAggregates(uuid: string, generation: number, aggregates: readonly string[], bumpGeneration = true): number {
    const node = this.node(uuid);
    this.checkGeneration(node, generation);
    for (const a of node.aggregates) this.byAggregate.get(a)?.delete(uuid);
    node.aggregates = new Set(aggregates);
    for (const a of node.aggregates) addTo(this.byAggregate, a, uuid);
    return bumpGeneration ? ++node.generation : node.generation;
  }

  /** Created custom resource classes, sorted. */
  customResourceClasses(): string[] {
    return [...this.customClasses].sort();
  }

  /** Created custom traits, sorted. */
  customTraitNames(): string[] {
    return [...this.customTraits].sort();
  }

  /** A provider with its inventories, traits and aggregates as plain data (for persistence), or undefined. */
  providerRecord(uuid: string): ProviderRecord | undefined {
    const n = this.nodes.get(uuid);
    if (n === undefined) return undefined;
    return {
      ...this.view(n),
      inventories: Object.fromEntries(n.inventories),
      traits: [...n.traits].sort(),
      aggregates: [...n.aggregates].sort(),
    };
  }

  /**
   * Empties the store and loads providers (parents before children) and custom names as they were
   * saved, generations included; no generation checks. Usages start at zero (PlacementState
   * recomputes them from allocations).
   */
  protected loadProviders(
    customClasses: readonly string[],
    customTraits: readonly string[],
    providers: readonly ProviderRecord[],
  ): void {
    this.nodes.clear();
    this.names.clear();
    this.byClass.clear();
    this.byClassNode.clear();
    this.byTrait.clear();
    this.byAggregate.clear();
    this.rootSet.clear();
    this.customClasses.clear();
    this.customTraits.clear();
    for (const c of customClasses) this.customClasses.add(c);
    for (const t of customTraits) this.customTraits.add(t);
    const pending = new Map(providers.map((p) => [p.uuid, p]));
    const place = (p: ProviderRecord): void => {
      if (this.nodes.has(p.uuid)) return;
      pending.delete(p.uuid);
      if (p.parentUuid !== null) {
        const parent = pending.get(p.parentUuid);
        if (parent !== undefined) place(parent);
      }
      this.createProvider({ uuid: p.uuid, name: p.name, parentUuid: p.parentUuid });
      const node = this.nodes.get(p.uuid)!;
      for (const [rc, inv] of Object.entries(p.inventories)) {
        node.inventories.set(rc, inv);
        this.indexClass(rc, node);
      }
      node.traits = new Set(p.traits);
      for (const t of node.traits) addTo(this.byTrait, t, p.uuid);
      node.aggregates = new Set(p.aggregates);
      for (const a of node.aggregates) addTo(this.byAggregate, a, p.uuid);
      node.generation = p.generation;
    };
    for (const p of providers) place(p);
  }

  /**
   * Renames and/or moves a provider (PUT /resource_providers/{uuid}); the generation is unchanged,
   * as in Placement. `parentUuid` undefined keeps the parent. Without `allowReparenting` (before
   * 1.37) only a root may gain a parent. Throws notFound, conflict `placement.duplicate_name` on a
   * taken name, badRequest for an unknown parent, a loop or a forbidden move.
   */
  updateProvider(
    uuid: string,
    changes: { readonly name?: string; readonly parentUuid?: string | null },
    allowReparenting: boolean,
  ): ResourceProvider {
    const node = this.node(uuid);
    const refuse = (action: string, reason: string) =>
      badRequest(`Unable to save resource provider ${uuid}: Object action ${action} failed because: ${reason}`);
    const name = changes.name;
    if (name !== undefined && name !== node.name && this.names.has(name)) {
      throw placementConflict(`Conflicting resource provider ${name} already exists.`, PLACEMENT_CODES.duplicateName);
    }
    const parentUuid = changes.parentUuid;
    let parent: ProviderNode | undefined;
    if (parentUuid !== undefined && parentUuid !== node.parentUuid) {
      if (parentUuid === null) {
        if (!allowReparenting) throw refuse("update", "un-parenting a provider is not currently allowed.");
      } else {
        parent = this.nodes.get(parentUuid);
        if (parent === undefined) throw refuse("create", "parent provider UUID does not exist.");
        if (node.parentUuid !== null && !allowReparenting) {
          throw refuse("update", "re-parenting a provider is not currently allowed.");
        }
        if (this.subtreeOf(uuid).includes(parentUuid)) {
          throw refuse("update", "creating loop in the provider tree is not allowed.");
        }
      }
    }
    if (name !== undefined && name !== node.name) {
      this.names.delete(node.name);
      this.names.set(name, uuid);
      node.name = name;
    }
    if (parentUuid !== undefined && parentUuid !== node.parentUuid) {
      if (node.parentUuid !== null) this.nodes.get(node.parentUuid)?.children.delete(uuid);
      else this.rootSet.delete(uuid);
      node.parentUuid = parentUuid;
      if (parent === undefined) this.rootSet.add(uuid);
      else parent.children.add(uuid);
      const root = parent?.rootUuid ?? uuid;
      for (const u of this.subtreeOf(uuid)) this.nodes.get(u)!.rootUuid = root;
    }
    return this.view(node);
  }

  /** UUIDs of a provider and all its descendants, the provider first. Throws notFound. */
  subtreeOf(uuid: string): string[] {
    const out = [this.node(uuid).uuid];
    for (let i = 0; i < out.length; i++) out.push(...this.nodes.get(out[i]!)!.children);
    return out;
  }

  /**
   * Renames a custom resource class that no inventory uses (PUT /resource_classes/{name} at
   * 1.2-1.6). Throws notFound, badRequest for a standard class, conflict when the new name exists
   * or the class is in use (Placement would rename in place; allocations here hold class names).
   */
  renameResourceClass(from: string, to: string): void {
    if (!this.hasResourceClass(from)) throw notFound(`No such resource class ${from}.`);
    if (isStandardResourceClass(from)) throw badRequest(`Cannot update standard resource class ${from}`);
    if (this.hasResourceClass(to)) throw placementConflict(`Resource class already exists: ${to}`);
    if (this.providersWithClass(from).size > 0) {
      throw placementConflict(`Cannot rename resource class ${from}. Class is in use in inventory.`);
    }
    this.createResourceClass(to);
    this.customClasses.delete(from);
  }

  /** Deletes a custom resource class. Throws notFound, badRequest for a standard one, conflict when in use. */
  deleteResourceClass(name: string): void {
    if (!this.hasResourceClass(name)) throw notFound(`No such resource class ${name}.`);
    if (isStandardResourceClass(name)) {
      throw badRequest(`Error in delete resource class: Cannot delete standard resource class ${name}.`);
    }
    if (this.providersWithClass(name).size > 0) {
      throw placementConflict(
        `Error in delete resource class: Cannot delete resource class ${name}. Class is in use in inventory.`,
      );
    }
    this.customClasses.delete(name);
    this.byClass.delete(name);
    this.byClassNode.delete(name);
  }

  /** Deletes a custom trait. Throws notFound, badRequest for a standard one, conflict when a provider has it. */
  deleteTrait(name: string): void {
    if (!this.hasTrait(name)) throw notFound(`No such trait(s): ${name}.`);
    if (isStandardTrait(name)) throw badRequest(`Cannot delete standard trait ${name}.`);
    if (this.providersWithTrait(name).size > 0) {
      throw placementConflict(`The trait ${name} is in use by a resource provider.`);
    }
    this.customTraits.delete(name);
    this.byTrait.delete(name);
  }

  /** Internal record of a provider, or undefined (for the candidates engine; do not mutate). */
  peek(uuid: string): ProviderNode | undefined {
    return this.nodes.get(uuid);
  }

  /** UUIDs of providers with an inventory of `rc` (index; do not mutate). */
  providersWithClass(rc: string): ReadonlySet<string> {
    return this.byClass.get(rc) ?? EMPTY;
  }

  /**
   * Records of the providers with an inventory of `rc`, in the order of `providersWithClass(rc)`
   * (index; do not mutate): the candidates engine walks it without a lookup per UUID.
   */
  nodesWithClass(rc: string): ReadonlySet<ProviderNode> {
    return this.byClassNode.get(rc) ?? EMPTY_NODES;
  }

  /** UUIDs of providers having `trait` (index; do not mutate). */
  providersWithTrait(trait: string): ReadonlySet<string> {
    return this.byTrait.get(trait) ?? EMPTY;
  }

  /** UUIDs of providers in aggregate `agg` (index; do not mutate). */
  providersInAggregate(agg: string): ReadonlySet<string> {
    return this.byAggregate.get(agg) ?? EMPTY;
  }

  /** UUIDs of root providers (index; do not mutate). */
  rootUuids(): ReadonlySet<string> {
    return this.rootSet;
  }

  private indexClass(rc: string, node: ProviderNode): void {
    addTo(this.byClass, rc, node.uuid);
    getOrCreate(this.byClassNode, rc, () => new Set()).add(node);
  }

  private unindexClass(rc: string, node: ProviderNode): void {
    this.byClass.get(rc)?.delete(node.uuid);
    this.byClassNode.get(rc)?.delete(node);
  }

  protected node(uuid: string): ProviderNode {
    const node = this.nodes.get(uuid);
    if (node === undefined) throw notFound(`No resource provider with uuid ${uuid} found`);
    return node;
  }

  protected checkGeneration(node: ProviderNode, generation: number): void {
    if (node.generation !== generation) {
      throw concurrentUpdate(
        `resource provider generation conflict: expected ${generation} but ${node.uuid} is at ${node.generation}. Please update the generation and try again.`,
      );
    }
  }

  private view(n: ProviderNode): ResourceProvider {
    return { uuid: n.uuid, name: n.name, parentUuid: n.parentUuid, rootUuid: n.rootUuid, generation: n.generation };
  }
}

const EMPTY: ReadonlySet<string> = new Set();
const EMPTY_NODES: ReadonlySet<ProviderNode> = new Set();
