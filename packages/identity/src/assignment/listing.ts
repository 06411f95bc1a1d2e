/**
 * `list_role_assignments` as Keystone computes it (assignment/core.py): the direct list with its
 * filters, and the effective list where group assignments become one entry per member, inherited
 * assignments one entry per project below the target, and implied roles entries of their own.
 */
import type { Assignment, AssignmentEntity } from "./model.js";
import { isUserAssignment, targetKind } from "./model.js";
import type { AssignmentSnapshot } from "./snapshot.js";

/** The filters of `GET /v3/role_assignments`. */
export interface RoleAssignmentQuery {
  /** `role.id` */
  readonly roleId?: string;
  /** `user.id` */
  readonly userId?: string;
  /** `group.id` */
  readonly groupId?: string;
  /** `scope.system=all` */
  readonly system?: boolean;
  /** `scope.domain.id` */
  readonly domainId?: string;
  /** `scope.project.id` */
  readonly projectId?: string;
  /** `include_subtree`: also the projects below `projectId`. */
  readonly includeSubtree?: boolean;
  /** `scope.OS-INHERIT:inherited_to`: true only inherited, false only direct, undefined both. */
  readonly inherited?: boolean;
  /** `effective`: expand groups, inheritance and implied roles. */
  readonly effective?: boolean;
}

/** Membership reads the effective list needs. */
export interface Membership {
  /** Groups of a user. */
  groupIdsOfUser(userId: string): Promise<string[]>;
  /** Members of a group. */
  userIdsInGroup(groupId: string): Promise<string[]>;
}

const entityOf = (a: Assignment): AssignmentEntity => {
  const kind = targetKind(a);
  return {
    ...(isUserAssignment(a) ? { userId: a.actorId } : { groupId: a.actorId }),
    ...(kind === "project" ? { projectId: a.targetId } : kind === "domain" ? { domainId: a.targetId } : {}),
    ...(kind === "system" ? { system: "all" as const } : {}),
    roleId: a.roleId,
    inheritedToProjects: a.inherited,
  };
};

function interestOf(snap: AssignmentSnapshot, q: RoleAssignmentQuery): Set<string> | null {
  if (q.projectId === undefined) return null;
  const ids = [q.projectId];
  if (q.includeSubtree) ids.push(...snap.subtreeOf(q.projectId).map((p) => p.id));
  return new Set(ids);
}

/** The direct (non-effective) list. Pure over the snapshot. */
export function listDirect(snap: AssignmentSnapshot, q: RoleAssignmentQuery): AssignmentEntity[] {
  const interest = interestOf(snap, q);
  const out: AssignmentEntity[] = [];
  const systemToo = q.system === true || (q.projectId === undefined && q.domainId === undefined);
  for (const a of snap.assignments) {
    const kind = targetKind(a);
    if (q.roleId !== undefined && a.roleId !== q.roleId) continue;
    if (q.userId !== undefined && !(isUserAssignment(a) && a.actorId === q.userId)) continue;
    if (q.groupId !== undefined && !(!isUserAssignment(a) && a.actorId === q.groupId)) continue;
    if (kind === "system") {
      if (systemToo) out.push(entityOf(a));
      continue;
    }
    if (q.system === true) continue;
    if (q.domainId !== undefined && !(kind === "domain" && a.targetId === q.domainId)) continue;
    if (interest !== null && !(kind === "project" && interest.has(a.targetId))) continue;
    if (q.inherited !== undefined && a.inherited !== q.inherited) continue;
    out.push(entityOf(a));
  }
  return out;
}

/** The effective list: what actually reaches users. */
export async function listEffective(
  snap: AssignmentSnapshot,
  q: RoleAssignmentQuery,
  membership: Membership,
): Promise<AssignmentEntity[]> {
  if (q.groupId !== undefined || (q.domainId !== undefined && q.inherited === true)) return [];
  const inherited = q.domainId !== undefined ? false : q.inherited;
  const interest = interestOf(snap, q);
  const project = q.projectId === undefined ? undefined : snap.projects.get(q.projectId);
  const sources = new Set<string>(q.projectId === undefined ? [] : snap.parentsOf(q.projectId).map((p) => p.id));
  if (q.includeSubtree && interest !== null) for (const id of interest) sources.add(id);

  const candidates = (list: readonly Assignment[]): Assignment[] => {
    const direct: Assignment[] = [];
    const inheritedRefs: Assignment[] = [];
    for (const a of list) {
      const kind = targetKind(a);
      if (kind === "system") continue;
      if (!a.inherited) {
        if (inherited === true) continue;
        if (q.domainId !== undefined && !(kind === "domain" && a.targetId === q.domainId)) continue;
        if (interest !== null && !(kind === "project" && interest.has(a.targetId))) continue;
        direct.push(a);
      } else {
        if (inherited === false) continue;
        if (q.projectId !== undefined) {
          const fromDomain = kind === "domain" && a.targetId === project?.domainId;
          const fromParent = kind === "project" && sources.has(a.targetId);
          if (!fromDomain && !fromParent) continue;
        }
        inheritedRefs.push(a);
      }
    }
    return [...direct, ...inheritedRefs];
  };

  let refs: Assignment[];
  if (q.userId !== undefined) {
    const groupIds = await membership.groupIdsOfUser(q.userId);
    const own = candidates(snap.ofActor(q.userId).filter(isUserAssignment));
    const viaGroups = candidates(groupIds.flatMap((g) => snap.ofActor(g).filter((a) => !isUserAssignment(a))));
    refs = [...own, ...viaGroups];
  } else {
    refs = candidates(snap.assignments);
  }

  const expanded: AssignmentEntity[] = [];
  for (const a of refs) {
    const users = isUserAssignment(a)
      ? [a.actorId]
      : q.userId !== undefined
        ? [q.userId]
        : await membership.userIdsInGroup(a.actorId);
    const viaGroup = isUserAssignment(a) ? {} : { groupId: a.actorId };
    if (a.inherited) {
      const kind = targetKind(a);
      let targets = (kind === "domain" ? snap.projectsInDomain(a.targetId) : snap.subtreeOf(a.targetId)).map(
        (p) => p.id,
      );
      if (interest !== null) targets = targets.filter((id) => interest.has(id));
      const from = kind === "domain" ? { domainId: a.targetId } : { projectId: a.targetId };
      for (const userId of users)
        for (const projectId of targets)
          expanded.push({
            userId,
            projectId,
            roleId: a.roleId,
            inheritedToProjects: false,
            indirect: { ...viaGroup, ...from },
          });
    } else {
      const base = entityOf(a);
      for (const userId of users) {
        const { groupId: _g, ...rest } = base;
        expanded.push(isUserAssignment(a) ? base : { ...rest, userId, indirect: { ...viaGroup } });
      }
    }
  }

  const withImplied = addImpliedRoles(snap, expanded);
  const global = withImplied.filter((e) => snap.roles.get(e.roleId)?.domainId == null);
  return q.roleId === undefined ? global : global.filter((e) => e.roleId === q.roleId);
}

const keyOf = (e: AssignmentEntity): string => JSON.stringify(e);

/** Keystone's add_implied_roles: one extra entry per implied role, `indirect.roleId` = its prior. */
export function addImpliedRoles(snap: AssignmentSnapshot, refs: readonly AssignmentEntity[]): AssignmentEntity[] {
  const results = [...refs];
  const toCheck = [...refs];
  const checked = new Set<string>();
  while (toCheck.length > 0) {
    const next = toCheck.pop() as AssignmentEntity;
    checked.add(keyOf(next));
    for (const impliedId of snap.impliedBy(next.roleId)) {
      const implied: AssignmentEntity = {
        ...next,
        roleId: impliedId,
        indirect: { ...next.indirect, roleId: next.roleId },
      };
      if (checked.has(keyOf(implied))) continue;
      results.push(implied);
      toCheck.push(implied);
    }
  }
  return results;
}
