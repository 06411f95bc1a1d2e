/**
 * Keystone's assignment model: roles (global or domain-specific), implication rules between roles,
 * and assignments of a role to an actor (user or group) on a target (project, domain or system),
 * optionally inherited to the projects below the target.
 */

/** Role name and description limits (keystone/assignment/schema.py, role table). */
export const ROLE_NAME_MAX = 255;

/** A role. */
export interface Role {
  /** 32-hex id. */
  readonly id: string;
  /** Unique among global roles, or within its domain for a domain-specific role. */
  readonly name: string;
  /** The owning domain of a domain-specific role; null for a global role. */
  readonly domainId: string | null;
  /** Free text; null when never set. */
  readonly description: string | null;
  /** Additional properties Keystone keeps in `extra`. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A role as the token layer puts it in a token: `{id, name, domain_id}`. */
export interface RoleRef {
  /** The role id. */
  readonly id: string;
  /** The role name. */
  readonly name: string;
  /** Null for a global role. */
  readonly domain_id: string | null;
}

/** An implication rule: holding `priorRoleId` also grants `impliedRoleId`. */
export interface ImpliedRule {
  /** The role that implies. */
  readonly priorRoleId: string;
  /** The role implied. */
  readonly impliedRoleId: string;
}

/** Who holds an assignment. */
export type Actor = { readonly userId: string } | { readonly groupId: string };
/** Where an assignment applies. */
export type Target = { readonly projectId: string } | { readonly domainId: string } | { readonly system: "all" };

/** One grant: a role for an actor on a target, possibly inherited to the target's sub-projects. */
export interface Grant {
  /** The role granted. */
  readonly roleId: string;
  /** The user or group that holds it. */
  readonly actor: Actor;
  /** The project, domain or system it applies to. */
  readonly target: Target;
  /** OS-INHERIT: applies to the projects below the target instead of the target itself. */
  readonly inherited?: boolean;
}

/** Keystone's assignment types (the `type` column). */
export type AssignmentType =
  | "UserProject"
  | "GroupProject"
  | "UserDomain"
  | "GroupDomain"
  | "UserSystem"
  | "GroupSystem";

/** A stored assignment row. */
export interface Assignment {
  /** Actor kind x target kind. */
  readonly type: AssignmentType;
  /** The user or group id. */
  readonly actorId: string;
  /** The project or domain id, or `system` for a system assignment. */
  readonly targetId: string;
  /** The role id. */
  readonly roleId: string;
  /** Inherited to the projects below the target. */
  readonly inherited: boolean;
}

/** The target id Keystone stores for system assignments. */
export const SYSTEM_TARGET = "system";

const isUser = (a: Actor): a is { userId: string } => "userId" in a;

/** The stored row of a grant. Pure. */
export function assignmentOf(grant: Grant): Assignment {
  const user = isUser(grant.actor);
  const actorId = user ? (grant.actor as { userId: string }).userId : (grant.actor as { groupId: string }).groupId;
  const t = grant.target;
  const [kind, targetId] =
    "projectId" in t ? ["Project", t.projectId] : "domainId" in t ? ["Domain", t.domainId] : ["System", SYSTEM_TARGET];
  return {
    type: `${user ? "User" : "Group"}${kind}` as AssignmentType,
    actorId,
    targetId,
    roleId: grant.roleId,
    inherited: grant.inherited ?? false,
  };
}

/** True when the assignment's actor is a user. */
export const isUserAssignment = (a: Assignment): boolean => a.type.startsWith("User");
/** The target kind of an assignment. */
export const targetKind = (a: Assignment): "project" | "domain" | "system" =>
  a.type.endsWith("Project") ? "project" : a.type.endsWith("Domain") ? "domain" : "system";

/**
 * An assignment as listed by `GET /v3/role_assignments`, in Keystone's internal shape: the actor,
 * the target, the role and, for an effective entry, where it came from (`indirect`).
 */
export interface AssignmentEntity {
  /** The user, for user assignments and group assignments expanded to members. */
  readonly userId?: string;
  /** The group of a (non-expanded) group assignment. */
  readonly groupId?: string;
  /** The project target. */
  readonly projectId?: string;
  /** The domain target. */
  readonly domainId?: string;
  /** Present for a system assignment. */
  readonly system?: "all";
  /** The role. */
  readonly roleId: string;
  /** A direct (not expanded) inherited assignment. */
  readonly inheritedToProjects: boolean;
  /** Where an effective entry came from: a group, an inherited project/domain, a prior role. */
  readonly indirect?: {
    readonly groupId?: string;
    readonly projectId?: string;
    readonly domainId?: string;
    readonly roleId?: string;
  };
}
