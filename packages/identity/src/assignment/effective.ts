/**
 * Effective roles of a user on one scope, as Keystone puts them in a token: direct and group
 * assignments, inheritance from parent projects and the domain, implied roles, and no
 * domain-specific roles (those only imply others). Pure over a snapshot; O(assignments of the actors).
 */
import { projectNotFound } from "../resource/messages.js";
import type { Assignment, RoleRef } from "./model.js";
import { targetKind } from "./model.js";
import type { AssignmentSnapshot } from "./snapshot.js";

/** The scope a token is for. */
export type Scope = { readonly projectId: string } | { readonly domainId: string } | { readonly system: "all" };

/** A stable cache key for (actors, scope). */
export function scopeKey(userId: string, groupIds: readonly string[], scope: Scope): string {
  const s = "projectId" in scope ? `p:${scope.projectId}` : "domainId" in scope ? `d:${scope.domainId}` : "s:all";
  return `${userId}|${[...groupIds].sort().join(",")}|${s}`;
}

/** The role ids assigned (before implication) to the actors on `scope`. Throws 404 for an unknown project. */
export function assignedRoleIds(snap: AssignmentSnapshot, actorIds: readonly string[], scope: Scope): Set<string> {
  const out = new Set<string>();
  const add = (test: (a: Assignment) => boolean) => {
    for (const actorId of actorIds) for (const a of snap.ofActor(actorId)) if (test(a)) out.add(a.roleId);
  };
  if ("system" in scope) {
    add((a) => targetKind(a) === "system");
  } else if ("domainId" in scope) {
    add((a) => targetKind(a) === "domain" && !a.inherited && a.targetId === scope.domainId);
  } else {
    const project = snap.projects.get(scope.projectId);
    if (project === undefined) throw projectNotFound(scope.projectId);
    const parents = new Set(snap.parentsOf(project.id).map((p) => p.id));
    add((a) => {
      const kind = targetKind(a);
      if (kind === "project" && !a.inherited) return a.targetId === project.id;
      if (kind === "project") return parents.has(a.targetId);
      return kind === "domain" && a.inherited && a.targetId === project.domainId;
    });
  }
  return out;
}

/** Role refs of the assigned roles and everything they imply, global roles only, sorted by name. */
export function effectiveRoleRefs(snap: AssignmentSnapshot, assigned: Iterable<string>): RoleRef[] {
  const ids = new Set<string>();
  for (const id of assigned) for (const implied of snap.withImplied(id)) ids.add(implied);
  const out: RoleRef[] = [];
  for (const id of ids) {
    const role = snap.roles.get(id);
    if (role === undefined || role.domainId !== null) continue;
    out.push({ id: role.id, name: role.name, domain_id: role.domainId });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
