/**
 * RoleService: roles (global and domain-specific) and implication rules, with Keystone's rules
 * (assignment/core.py RoleManager). Changes invalidate the assignment snapshot through `onChange`.
 */
import { newHexId } from "@stratus/core";
import { badRequest, StratusError } from "@stratus/core/errors";
import {
  impliedRoleConflict,
  impliedRoleNotFound,
  invalidImpliedRole,
  roleConflict,
  roleNotFound,
} from "./messages.js";
import type { ImpliedRule, Role } from "./model.js";
import type { RoleRepository } from "./repository.js";

/** Options of the role service. */
export interface RoleServiceOptions {
  /** Keystone's `[assignment] prohibited_implied_role` (default `["admin"]`). */
  readonly prohibitedImpliedRoles?: readonly string[];
}

/** The fields of a new role. */
export interface RoleCreate {
  /** Explicit id; a new 32-hex id when absent. */
  readonly id?: string;
  /** The name. */
  readonly name: string;
  /** The owning domain of a domain-specific role; global when absent or null. */
  readonly domainId?: string | null;
  /** Description (null when absent). */
  readonly description?: string | null;
  /** Additional properties. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const isConflict = (err: unknown) => StratusError.is(err) && err.code === "conflict";

/** Roles and implied-role rules. */
export class RoleService {
  /** Called after every change (the assignment service invalidates its snapshot here). */
  onChange: () => void = () => {};
  /** Called before a role is deleted, to remove its assignments (set by the assignment service). */
  beforeDelete: (roleId: string) => Promise<void> = async () => {};
  private readonly prohibited: readonly string[];

  constructor(
    private readonly repo: RoleRepository,
    options: RoleServiceOptions = {},
  ) {
    this.prohibited = options.prohibitedImpliedRoles ?? ["admin"];
  }

  /** The role `id`; throws 404 `Could not find role: id.` */
  async getRole(id: string): Promise<Role> {
    const role = await this.repo.get(id);
    if (role === null) throw roleNotFound(id);
    return role;
  }

  /** Roles by name and/or domain (`domainId` null: global roles only; undefined: all). */
  listRoles(filter: { readonly name?: string; readonly domainId?: string | null } = {}): Promise<Role[]> {
    return this.repo.list(filter);
  }

  /** Roles with these ids, in the given order, unknown ones skipped. */
  async listRolesByIds(ids: Iterable<string>): Promise<Role[]> {
    const all = new Map((await this.repo.list()).map((r) => [r.id, r]));
    return [...new Set(ids)].flatMap((id) => all.get(id) ?? []);
  }

  /** Creates a role; throws 409 for a taken name. Like Keystone, does not check that the domain exists. */
  async createRole(input: RoleCreate): Promise<Role> {
    const domainId = input.domainId ?? null;
    const role: Role = {
      id: input.id ?? newHexId(),
      name: input.name,
      domainId,
      description: input.description ?? null,
      extra: input.extra ?? {},
    };
    try {
      await this.repo.create(role);
    } catch (err) {
      if (isConflict(err)) throw roleConflict(role.name, domainId);
      throw err;
    }
    this.onChange();
    return role;
  }

  /** The role named `name` (global, or in `domainId`), created when missing. Idempotent (bootstrap). */
  async ensureRole(name: string, domainId: string | null = null): Promise<Role> {
    const [found] = await this.repo.list({ name, domainId });
    if (found !== undefined) return found;
    try {
      return await this.createRole({ name, domainId });
    } catch (err) {
      const [raced] = isConflict(err) ? await this.repo.list({ name, domainId }) : [];
      if (raced === undefined) throw err;
      return raced;
    }
  }

  /** Updates name, description or extra; 400 for a changed domain, 409 for a taken name. */
  async updateRole(
    id: string,
    changes: { name?: string; description?: string | null; domainId?: string | null; extra?: Record<string, unknown> },
  ): Promise<Role> {
    const original = await this.getRole(id);
    if (changes.domainId !== undefined && changes.domainId !== original.domainId)
      throw badRequest("Update of `domain_id` is not allowed.");
    const role: Role = {
      ...original,
      ...(changes.name === undefined ? {} : { name: changes.name }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      extra: { ...original.extra, ...changes.extra },
    };
    try {
      await this.repo.update(role);
    } catch (err) {
      if (isConflict(err)) throw roleConflict(role.name, changes.domainId);
      throw err;
    }
    this.onChange();
    return role;
  }

  /** Deletes a role, its assignments and its rules; 404 for an unknown role. */
  async deleteRole(id: string): Promise<void> {
    await this.getRole(id);
    await this.beforeDelete(id);
    await this.repo.delete(id);
    this.onChange();
  }

  /** Adds `prior` implies `implied`; 404 for unknown roles, 403 for a prohibited or domain role, 409 when it exists. */
  async createImpliedRole(priorId: string, impliedId: string): Promise<ImpliedRule> {
    const implied = await this.getRole(impliedId);
    const prior = await this.getRole(priorId);
    if (this.prohibited.includes(implied.name)) throw invalidImpliedRole(`${impliedId} cannot be an implied roles.`);
    if (prior.domainId === null && implied.domainId !== null)
      throw invalidImpliedRole("Global role cannot imply a domain-specific role");
    const rule = { priorRoleId: priorId, impliedRoleId: impliedId };
    try {
      await this.repo.createRule(rule);
    } catch (err) {
      if (isConflict(err)) throw impliedRoleConflict();
      throw err;
    }
    this.onChange();
    return rule;
  }

  /** Adds the rule unless it exists. Idempotent (bootstrap's admin > member > reader). */
  async ensureImpliedRole(priorId: string, impliedId: string): Promise<ImpliedRule> {
    const rule = { priorRoleId: priorId, impliedRoleId: impliedId };
    const rules = await this.repo.listRules();
    if (rules.some((r) => r.priorRoleId === priorId && r.impliedRoleId === impliedId)) return rule;
    try {
      return await this.createImpliedRole(priorId, impliedId);
    } catch (err) {
      if (isConflict(err)) return rule;
      throw err;
    }
  }

  /** The rule; 404 `<prior> does not imply <implied>.` when absent. */
  async getImpliedRole(priorId: string, impliedId: string): Promise<ImpliedRule> {
    const rules = await this.repo.listRules();
    const rule = rules.find((r) => r.priorRoleId === priorId && r.impliedRoleId === impliedId);
    if (rule === undefined) throw impliedRoleNotFound(priorId, impliedId);
    return rule;
  }

  /** Roles directly implied by `priorId`. */
  async listImpliedRoles(priorId: string): Promise<ImpliedRule[]> {
    return (await this.repo.listRules()).filter((r) => r.priorRoleId === priorId);
  }

  /** Every rule. */
  listRoleInferenceRules(): Promise<ImpliedRule[]> {
    return this.repo.listRules();
  }

  /** Removes a rule; 404 when absent. Returns the removed rule. */
  async deleteImpliedRole(priorId: string, impliedId: string): Promise<ImpliedRule> {
    const rule = { priorRoleId: priorId, impliedRoleId: impliedId };
    if (!(await this.repo.deleteRule(rule))) throw impliedRoleNotFound(priorId, impliedId);
    this.onChange();
    return rule;
  }
}
