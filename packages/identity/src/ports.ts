/**
 * What the identity service's parts need from each other and from the outside. Each area
 * (tokens, policy, resources and assignments, users and groups, catalog) implements its side in its
 * own folder; the package's assembly (`identity.ts`) and the composition root bind them.
 */
import type { RequestContext } from "@stratus/core/http";

/**
 * The credentials a policy rule is checked against, as oslo.policy sees them (`creds` in
 * `enforce(rule, target, creds)`): the caller's identity, scope and effective role names.
 */
export interface PolicyCredentials {
  readonly user_id: string | null;
  readonly user_domain_id: string | null;
  readonly project_id: string | null;
  readonly project_domain_id: string | null;
  readonly domain_id: string | null;
  /** "all" for a system-scoped token, else null. */
  readonly system_scope: "all" | null;
  /** Effective role names (implied roles included), lowercase as Keystone compares them. */
  readonly roles: readonly string[];
  /** True when the token is scoped to the configured admin project (Keystone's is_admin_project). */
  readonly is_admin_project: boolean;
  readonly [key: string]: unknown;
}

/** Decides whether a caller may perform an operation; every API handler asks it before acting. */
export interface Authorizer {
  /**
   * Checks `rule` (e.g. `identity:get_project`) for `credentials` against `target` (the resource
   * the call touches, flattened as oslo.policy targets are: `target.project.domain_id` ...).
   * Returns normally when allowed; throws a `forbidden` StratusError when denied, and a
   * `internal` one when the rule is unknown (a typo must never silently deny or allow).
   */
  enforce(rule: string, credentials: PolicyCredentials, target?: Readonly<Record<string, unknown>>): void;
  /** The credentials of an authenticated request (from core http's RequestContext). */
  credentialsOf(context: RequestContext): PolicyCredentials;
}
