/**
 * AssignmentService: grants (project, domain, system; direct or inherited), the role assignment
 * list, and the effective roles the token layer puts in tokens.
 *
 * Effective roles are computed from an in-memory AssignmentSnapshot (every assignment, role, rule
 * and project, indexed by actor) that is rebuilt lazily after any change made through these
 * services (see snapshot-cache.ts for other processes' writes), and memoized per (user, groups,
 * scope) until the next change: a token validation costs a Map lookup.
 */

import { Listeners } from "../resource/listeners.js";
import type { ResourceService } from "../resource/service.js";
import { assignedRoleIds, effectiveRoleRefs, type Scope, scopeKey } from "./effective.js";
import type { AssignmentEvents } from "./events.js";
import { listDirect, listEffective, type Membership, type RoleAssignmentQuery } from "./listing.js";
import { domainRoleMismatch, domainRoleOnSystem, roleAssignmentNotFound } from "./messages.js";
import {
  type Assignment,
  type AssignmentEntity,
  assignmentOf,
  type Grant,
  type Role,
  type RoleRef,
  targetKind,
} from "./model.js";
import type { GroupMembershipLookup } from "./ports.js";
import type { AssignmentRepository } from "./repository.js";
import type { RoleService } from "./role-service.js";
import { SnapshotCache } from "./snapshot-cache.js";

/** Dependencies and options of the assignment service. */
export interface AssignmentServiceDeps {
  /** Where assignments are stored. */
  readonly assignments: AssignmentRepository;
  /** Roles and implication rules. */
  readonly roles: RoleService;
  /** Domains and projects. */
  readonly resources: ResourceService;
  /** Group membership (implemented by identity-users). */
  readonly groups: GroupMembershipLookup;
  /** Reload the snapshot when older than this, to see other processes' writes (default 5000 ms). */
  readonly snapshotMaxAgeMs?: number;
}

/** What `effectiveRoles` needs to know. */
export interface EffectiveRolesRequest {
  /** The user. */
  readonly userId: string;
  /** The user's groups; looked up through GroupMembershipLookup when absent. */
  readonly groupIds?: readonly string[];
  /** The scope of the token. */
  readonly scope: Scope;
}

const actorIdOf = (a: Assignment) => a.actorId;

/** Grants, role assignment lists and effective roles. */
export class AssignmentService {
  /** Listeners for revocations (token layer). */
  readonly events = new Listeners<AssignmentEvents>();
  private readonly cache: SnapshotCache;
  private memo = new Map<string, RoleRef[]>();
  /** The snapshot the memo's answers were computed from: a new snapshot (reloaded or invalidated) starts a new memo. */
  private memoSnapshot: unknown = null;

  constructor(private readonly deps: AssignmentServiceDeps) {
    this.cache = new SnapshotCache(async () => {
      const [assignments, roles, rules, projects] = await Promise.all([
        deps.assignments.listAll(),
        deps.roles.listRoles(),
        deps.roles.listRoleInferenceRules(),
        deps.resources.listAll(),
      ]);
      return { assignments, roles, rules, projects };
    }, deps.snapshotMaxAgeMs ?? 5_000);
    deps.roles.onChange = () => this.invalidate();
    deps.roles.beforeDelete = async (roleId) => {
      await this.removeAll("role", roleId);
      await this.events.emit("role.deleted", { roleId });
    };
    const ev = deps.resources.events;
    ev.on("projects.changed", () => this.invalidate());
    ev.on("project.deleted", ({ projectId }) => this.removeAll("target", projectId));
    ev.on("domain.deleted", ({ domainId }) => this.removeAll("target", domainId));
  }

  /** Drops every cached snapshot and memoized result (call after writing the tables directly). */
  invalidate(): void {
    this.cache.invalidate();
  }

  /**
   * The roles a token for `userId` on `scope` carries: direct and group assignments, inherited ones
   * from parent projects and the domain, implied roles expanded, domain-specific roles left out;
   * sorted by name. Throws 404 for an unknown project. Fast: memoized until the next change.
   */
  async effectiveRoles(request: EffectiveRolesRequest): Promise<RoleRef[]> {
    const groupIds = request.groupIds ?? (await this.deps.groups.groupIdsOfUser(request.userId));
    const snap = await this.cache.get();
    if (this.memoSnapshot !== snap || this.memo.size > 100_000) {
      this.memo = new Map();
      this.memoSnapshot = snap;
    }
    const key = scopeKey(request.userId, groupIds, request.scope);
    const known = this.memo.get(key);
    if (known !== undefined) return known;
    const refs = effectiveRoleRefs(snap, assignedRoleIds(snap, [request.userId, ...groupIds], request.scope));
    this.memo.set(key, refs);
    return refs;
  }

  /**
   * Grants a role. Idempotent. Throws 404 for an unknown role, project or domain, 403 for a
   * domain-specific role on a project of another domain, 400 for a domain-specific role on the system.
   * (Users and groups are checked by the API through IdentityLookup.)
   */
  async createGrant(grant: Grant): Promise<void> {
    const role = await this.deps.roles.getRole(grant.roleId);
    const t = grant.target;
    if ("domainId" in t) await this.deps.resources.getDomain(t.domainId);
    if ("projectId" in t) {
      const project = await this.deps.resources.getProject(t.projectId);
      if (role.domainId !== null && project.domainId !== role.domainId) throw domainRoleMismatch(t.projectId, role.id);
    }
    if ("system" in t && role.domainId !== null) throw domainRoleOnSystem(role.id);
    await this.deps.assignments.add(assignmentOf(grant));
    this.invalidate();
  }

  /** Succeeds when the grant exists; 404 for an unknown role/target or a missing grant. */
  async checkGrant(grant: Grant): Promise<Role> {
    const role = await this.deps.roles.getRole(grant.roleId);
    await this.assertTarget(grant);
    const a = assignmentOf(grant);
    const snap = await this.cache.get();
    if (!snap.ofActor(a.actorId).some((b) => sameAssignment(a, b)))
      throw roleAssignmentNotFound(a.roleId, a.actorId, a.targetId);
    return role;
  }

  /** Revokes a grant and emits `assignment.removed`; 404 when it does not exist. */
  async deleteGrant(grant: Grant): Promise<void> {
    await this.deps.roles.getRole(grant.roleId);
    const a = assignmentOf(grant);
    const removed = await this.deps.assignments.remove(a);
    this.invalidate();
    if (!removed) throw roleAssignmentNotFound(a.roleId, a.actorId, a.targetId);
    await this.events.emit("assignment.removed", { assignment: a });
  }

  /** The roles granted to an actor on a target (direct or inherited ones); 404 for an unknown target. */
  async listGrants(grant: Omit<Grant, "roleId">): Promise<Role[]> {
    await this.assertTarget(grant);
    const a = assignmentOf({ ...grant, roleId: "" });
    const snap = await this.cache.get();
    const ids = snap
      .ofActor(a.actorId)
      .filter((b) => b.type === a.type && b.targetId === a.targetId && b.inherited === a.inherited)
      .map((b) => b.roleId);
    return ids.flatMap((id) => snap.roles.get(id) ?? []);
  }

  /** Keystone's list_role_assignments (direct or effective), in its internal entity shape. */
  async listRoleAssignments(query: RoleAssignmentQuery): Promise<AssignmentEntity[]> {
    const snap = await this.cache.get();
    const membership: Membership = this.deps.groups;
    return query.effective ? listEffective(snap, query, membership) : listDirect(snap, query);
  }

  /** Projects on which the user has any effective role (Keystone's list_projects_for_user). */
  async listProjectIdsForUser(userId: string): Promise<string[]> {
    const entries = await this.listRoleAssignments({ userId, effective: true });
    return [...new Set(entries.flatMap((e) => (e.projectId === undefined ? [] : [e.projectId])))];
  }

  /** Domains on which the user has any effective role (Keystone's list_domains_for_user). */
  async listDomainIdsForUser(userId: string): Promise<string[]> {
    const entries = await this.listRoleAssignments({ userId, effective: true });
    return [...new Set(entries.flatMap((e) => (e.domainId === undefined ? [] : [e.domainId])))];
  }

  /** Removes every assignment of a deleted user (identity-users calls it); emits events. */
  deleteUserAssignments(userId: string): Promise<void> {
    return this.removeAll("actor", userId);
  }

  /** Removes every assignment of a deleted group; emits events. */
  deleteGroupAssignments(groupId: string): Promise<void> {
    return this.removeAll("actor", groupId);
  }

  private async assertTarget(grant: Omit<Grant, "roleId">): Promise<void> {
    const t = grant.target;
    if ("domainId" in t) await this.deps.resources.getDomain(t.domainId);
    if ("projectId" in t) await this.deps.resources.getProject(t.projectId);
  }

  private async removeAll(column: "actor" | "target" | "role", id: string): Promise<void> {
    const removed = await this.deps.assignments.removeWhere(column, id);
    this.invalidate();
    for (const assignment of removed) await this.events.emit("assignment.removed", { assignment });
  }
}

const sameAssignment = (a: Assignment, b: Assignment) =>
  a.type === b.type &&
  actorIdOf(a) === actorIdOf(b) &&
  a.targetId === b.targetId &&
  a.roleId === b.roleId &&
  a.inherited === b.inherited &&
  targetKind(a) === targetKind(b);
