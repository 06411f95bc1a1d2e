/**
 * Keystone's `_format_entity` of `/v3/role_assignments` (keystone/api/role_assignments.py): the
 * actor, scope and role of each entry, plus `links.assignment` pointing at the grant that produced
 * it (`links.membership` for a group expansion, `links.prior_role` for an implied role).
 */
import type { AssignmentEntity } from "../../assignment/model.js";

/** Names for `include_names`, looked up per id. */
export interface Names {
  /** `{name, domain: {id, name}}` of a user, group or project ('' names when unknown). */
  actorOrProject(
    kind: "user" | "group" | "project",
    id: string,
  ): { name: string; domain: { id: string; name: string } };
  /** The name of a domain. */
  domain(id: string): string;
  /** The role's name and, for a domain-specific role, its domain. */
  role(id: string): { name: string; domain?: { id: string; name: string } };
}

/** One entry on the wire. `base` is `http://host:port/v3`. */
export function formatAssignment(e: AssignmentEntity, base: string, names: Names | null): Record<string, unknown> {
  const links: Record<string, string> = {};
  const out: Record<string, unknown> = {};
  let inherited = e.inheritedToProjects;
  let link = "";
  let scope: Record<string, unknown> = {};
  if (e.projectId !== undefined) {
    scope = {
      project:
        names === null ? { id: e.projectId } : { id: e.projectId, ...names.actorOrProject("project", e.projectId) },
    };
    if (e.indirect?.domainId !== undefined) {
      inherited = true;
      link = `/domains/${e.indirect.domainId}`;
    } else if (e.indirect?.projectId !== undefined) {
      inherited = true;
      link = `/projects/${e.indirect.projectId}`;
    } else link = `/projects/${e.projectId}`;
  } else if (e.domainId !== undefined) {
    scope = { domain: names === null ? { id: e.domainId } : { id: e.domainId, name: names.domain(e.domainId) } };
    link = `/domains/${e.domainId}`;
  } else if (e.system !== undefined) {
    scope = { system: { all: true } };
    link = "/system";
  }
  out["scope"] = scope;
  if (e.userId !== undefined) {
    out["user"] = names === null ? { id: e.userId } : { id: e.userId, ...names.actorOrProject("user", e.userId) };
    if (e.indirect?.groupId !== undefined) {
      links["membership"] = `${base}/groups/${e.indirect.groupId}/users/${e.userId}`;
      link += `/groups/${e.indirect.groupId}`;
    } else link += `/users/${e.userId}`;
  } else if (e.groupId !== undefined) {
    out["group"] = names === null ? { id: e.groupId } : { id: e.groupId, ...names.actorOrProject("group", e.groupId) };
    link += `/groups/${e.groupId}`;
  }
  out["role"] = names === null ? { id: e.roleId } : { id: e.roleId, ...names.role(e.roleId) };
  let priorLink = "";
  if (e.indirect?.roleId !== undefined) {
    link += `/roles/${e.indirect.roleId}`;
    // Keystone writes the implied role first here; kept as it is on the wire.
    priorLink = `/prior_role/${e.roleId}/implies/${e.indirect.roleId}`;
  } else link += `/roles/${e.roleId}`;
  if (inherited) {
    scope["OS-INHERIT:inherited_to"] = "projects";
    link = `/OS-INHERIT${link}/inherited_to_projects`;
  }
  links["assignment"] = `${base}${link}`;
  if (priorLink !== "") links["prior_role"] = `${base}${priorLink}`;
  return { ...out, links };
}
