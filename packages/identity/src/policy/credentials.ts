/**
 * A request's context as policy credentials: oslo.context's `to_policy_values()` plus the `token`
 * Keystone adds (the rendered token's user, scope and roles, which rules such as
 * `token.project.domain.id:%(target.domain.id)s` read).
 */
import type { RequestContext } from "@stratus/core/http";
import type { PolicyCredentials } from "../ports.js";

/** Which of system, domain and project a set of credentials is scoped to (oslo's `_enforce_scope`). */
export type TokenScope = "system" | "domain" | "project";

/**
 * The credentials of an authenticated request. `domain_id` is set only for a domain-scoped token:
 * when a context carries both a project and a domain, the domain is taken as the project's.
 * `is_admin_project` is false unless the context says otherwise. Pure.
 */
export function credentialsOf(context: RequestContext): PolicyCredentials {
  const system = context.systemScope === "all";
  const projectId = system ? null : context.projectId;
  const domainId = system || projectId !== null ? null : context.domainId;
  const projectDomainId = projectId === null ? null : (context.projectDomainId ?? context.domainId ?? null);
  const userDomainId = context.userDomainId ?? null;
  const roles = Object.freeze(context.roles.map((r) => r.toLowerCase()));
  const token: Record<string, unknown> = {
    user: { id: context.userId, domain: { id: userDomainId } },
    roles: roles.map((name) => ({ name })),
  };
  if (system) token["system"] = { all: true };
  else if (projectId !== null) token["project"] = { id: projectId, domain: { id: projectDomainId } };
  else if (domainId !== null) token["domain"] = { id: domainId };
  return Object.freeze({
    user_id: context.userId,
    user_domain_id: userDomainId,
    project_id: projectId,
    project_domain_id: projectDomainId,
    domain_id: domainId,
    system_scope: system ? "all" : null,
    roles,
    is_admin_project: context.isAdminProject ?? false,
    token,
  });
}

/** The scope oslo.policy attributes to credentials: system if `system_scope`, else domain if `domain_id`, else project. */
export function tokenScopeOf(credentials: PolicyCredentials): TokenScope {
  if (credentials.system_scope || credentials["system"]) return "system";
  if (credentials.domain_id) return "domain";
  return "project";
}
