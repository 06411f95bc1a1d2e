/**
 * Quota management (quotas, quota_details): per-project limits over Neutron's defaults, usage.
 */
import { DEFAULT_QUOTAS, QUOTA_RESOURCES, type QuotaResource, quotaLimits } from "../config.js";
import { neutronError } from "../domain/faults.js";
import type { Caller, NeutronContext } from "./context.js";

export type QuotaSet = Record<QuotaResource, number>;
export type QuotaDetails = Record<QuotaResource, { limit: number; used: number; reserved: number }>;

const forbidden = (message: string) => neutronError("forbidden", "HTTPForbidden", message);

export class QuotaService {
  constructor(private readonly ctx: NeutronContext) {}

  private assertMayRead(caller: Caller, project: string): void {
    if (!caller.isAdmin && caller.projectId !== project)
      throw forbidden("Only admin is authorized to access quotas for another tenant");
  }

  private assertAdmin(caller: Caller): void {
    if (!caller.isAdmin) throw forbidden("Only admin can view or configure quota");
  }

  /** The effective limits of a project. */
  async get(caller: Caller, project: string): Promise<QuotaSet> {
    this.assertMayRead(caller, project);
    return quotaLimits(this.ctx.config, await this.ctx.store.getQuotas(project));
  }

  /** The configured defaults (what a project without overrides gets). */
  defaults(): QuotaSet {
    return quotaLimits(this.ctx.config, {});
  }

  /** Limits with usage (reserved is always 0: reservations are not kept). */
  async details(caller: Caller, project: string): Promise<QuotaDetails> {
    const limits = await this.get(caller, project);
    const out = {} as QuotaDetails;
    for (const r of QUOTA_RESOURCES)
      out[r] = { limit: limits[r], used: (await this.ctx.store.list(r, { project_id: project })).length, reserved: 0 };
    return out;
  }

  /** Admin only: the projects with overrides and their effective limits. */
  async list(caller: Caller): Promise<Array<QuotaSet & { project_id: string; tenant_id: string }>> {
    this.assertAdmin(caller);
    const out = [];
    for (const project of await this.ctx.store.listQuotaProjects())
      out.push({ ...(await this.get(caller, project)), project_id: project, tenant_id: project });
    return out;
  }

  /** Admin only: sets overrides (-1 = unlimited); returns the effective limits. */
  async update(caller: Caller, project: string, limits: Partial<QuotaSet>): Promise<QuotaSet> {
    this.assertAdmin(caller);
    await this.ctx.store.setQuotas(project, limits);
    return this.get(caller, project);
  }

  /** Admin only: back to the defaults (idempotent). */
  async reset(caller: Caller, project: string): Promise<void> {
    this.assertAdmin(caller);
    await this.ctx.store.deleteQuotas(project);
  }
}

export { DEFAULT_QUOTAS };
