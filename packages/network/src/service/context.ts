/**
 * What every Neutron use case shares: the store, the mechanism driver, config, clock, ids, the
 * per-key locks that serialize allocation, quotas, and the commit-then-apply step.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { StratusError } from "@stratus/core/errors";
import { type NetworkApiConfig, type QuotaResource, quotaLimits } from "../config.js";
import type { MechanismDriver, ResourceChange } from "../domain/driver.js";
import { httpBadRequest, neutronError } from "../domain/faults.js";
import type { StandardAttrs } from "../domain/model.js";
import type { NeutronStore } from "../store/store.js";

/** Who acts: the caller's project and whether policy treats them as an admin. */
export interface Caller {
  readonly projectId: string | null;
  readonly isAdmin: boolean;
}

/** Runs functions one at a time per key (in arrival order); other keys run in parallel. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every earlier `run` of the same key settled; returns its result. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await next;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

export interface ServiceDeps {
  readonly store: NeutronStore;
  readonly driver: MechanismDriver;
  readonly config: NetworkApiConfig;
  readonly now: () => Date;
  readonly newId: () => string;
  /** Random bytes (MAC generation). */
  readonly randomBytes: (n: number) => Uint8Array;
}

export const defaultServiceDeps = (
  store: NeutronStore,
  driver: MechanismDriver,
  config: NetworkApiConfig,
): ServiceDeps => ({
  store,
  driver,
  config,
  now: () => new Date(),
  newId: randomUUID,
  randomBytes: (n) => randomBytes(n),
});

/** RFC 3339 without fractional seconds, as Neutron renders timestamps. */
export const timestamp = (d: Date): string => `${d.toISOString().slice(0, 19)}Z`;

export class NeutronContext {
  readonly locks = new KeyedMutex();
  constructor(readonly deps: ServiceDeps) {}

  get store(): NeutronStore {
    return this.deps.store;
  }
  get config(): NetworkApiConfig {
    return this.deps.config;
  }

  /** Fresh standard attributes for a new resource. */
  standardAttrs(description: string | undefined): StandardAttrs {
    const now = timestamp(this.deps.now());
    return {
      id: this.deps.newId(),
      created_at: now,
      updated_at: now,
      revision_number: 0,
      tags: [],
      description: description ?? "",
    };
  }

  /** `record` with its revision bumped and updated_at set (every update). */
  bumped<T extends StandardAttrs>(record: T): T {
    return { ...record, revision_number: record.revision_number + 1, updated_at: timestamp(this.deps.now()) };
  }

  /**
   * The project a new resource belongs to: the body's project_id/tenant_id (admins only when it is
   * another project, 400 as Neutron's API layer answers) or the caller's.
   */
  owningProject(caller: Caller, body: { project_id?: string | undefined; tenant_id?: string | undefined }): string {
    if (body.project_id !== undefined && body.tenant_id !== undefined && body.project_id !== body.tenant_id)
      throw httpBadRequest("'project_id' and 'tenant_id' do not match");
    const asked = body.project_id ?? body.tenant_id;
    if (asked !== undefined && asked !== caller.projectId && !caller.isAdmin)
      throw httpBadRequest(
        "Specifying 'project_id' or 'tenant_id' other than the authenticated project in request requires admin or advsvc privileges",
      );
    const project = asked ?? caller.projectId;
    if (project === null) throw httpBadRequest("Running without keystone AuthN requires that tenant_id is specified");
    return project;
  }

  /** Throws 409 OverQuota when `project` already holds its limit of `resource` (-1 = unlimited). */
  async checkQuota(project: string, resource: QuotaResource, adding = 1): Promise<void> {
    const limits = quotaLimits(this.config, await this.store.getQuotas(project));
    const limit = limits[resource];
    if (limit < 0) return;
    const used = (await this.store.list(resource, { project_id: project })).length;
    if (used + adding > limit)
      throw neutronError("over_quota", "OverQuota", `Quota exceeded for resources: ['${resource}'].`);
  }

  /**
   * Runs `create` with `project`'s quota of `resource` checked (409 OverQuota) and held: creates of
   * one project and resource are serialized, so concurrent creates cannot overshoot the limit.
   */
  async withQuota<T>(project: string, resource: QuotaResource, create: () => Promise<T>): Promise<T> {
    return this.locks.run(`quota:${project}:${resource}`, async () => {
      await this.checkQuota(project, resource);
      return create();
    });
  }

  /** Asks the driver whether it can do `change`; nothing is written yet. */
  async validate(change: ResourceChange): Promise<void> {
    await this.deps.driver.validate?.(change, this.store);
  }

  /**
   * Applies a committed change on the backend. On failure `undo` (if given) reverts the database
   * (creates) and the caller gets 503 ServiceUnavailable naming the driver; updates and deletes stay
   * committed (the backend is expected to be resynced) but still answer 503.
   */
  async apply(change: ResourceChange, undo?: () => Promise<void>): Promise<void> {
    try {
      await this.deps.driver.apply(change, this.store);
    } catch (err) {
      if (undo !== undefined) await undo();
      const what = `${change.op} ${change.kind} ${change.current.id}`;
      const reason = StratusError.is(err) ? `: ${err.message}` : "";
      throw neutronError(
        "backend_unavailable",
        "ServiceUnavailable",
        `The ${this.deps.driver.name} mechanism driver failed to ${what}${reason}${undo === undefined ? " (the change is kept and will be resynced)" : " (the change was undone)"}.`,
        err,
      );
    }
  }
}
