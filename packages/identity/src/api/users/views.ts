/** Our domain objects in Keystone's wire shapes (keys, nulls and time format as Keystone 22 sends them). */
import type { ApplicationCredential } from "../../identity-users/domain/app-cred.js";
import type { Credential } from "../../identity-users/domain/credential.js";
import type { Group } from "../../identity-users/domain/group.js";
import { keystoneTimeOrNull } from "../../identity-users/domain/time.js";
import type { User } from "../../identity-users/domain/user.js";
import type { RoleRef } from "../../identity-users/ports.js";

/** A user: extras at top level, `default_project_id` only when set, `password_expires_at` always. */
export function userView(base: string, user: User): Record<string, unknown> {
  return {
    ...user.extra,
    id: user.id,
    name: user.name,
    domain_id: user.domainId,
    enabled: user.enabled,
    ...(user.defaultProjectId === null ? {} : { default_project_id: user.defaultProjectId }),
    password_expires_at: keystoneTimeOrNull(user.passwordExpiresAt),
    options: { ...user.options },
    links: { self: `${base}/v3/users/${user.id}` },
  };
}

/** A group. */
export function groupView(base: string, group: Group): Record<string, unknown> {
  return {
    ...group.extra,
    id: group.id,
    name: group.name,
    domain_id: group.domainId,
    description: group.description,
    links: { self: `${base}/v3/groups/${group.id}` },
  };
}

/** A group in `GET /v3/users/{id}/groups` (Keystone adds `membership_expires_at`). */
export const userGroupView = (base: string, group: Group) => ({
  ...groupView(base, group),
  membership_expires_at: null,
});

/** An application credential; `secret` only on create. */
export function appCredView(
  base: string,
  appCred: ApplicationCredential,
  roles: readonly RoleRef[],
  secret?: string,
): Record<string, unknown> {
  return {
    id: appCred.id,
    name: appCred.name,
    description: appCred.description,
    user_id: appCred.userId,
    project_id: appCred.projectId,
    system: appCred.system,
    expires_at: keystoneTimeOrNull(appCred.expiresAt),
    unrestricted: appCred.unrestricted,
    roles,
    ...(appCred.accessRules === null || appCred.accessRules.length === 0
      ? {}
      : { access_rules: appCred.accessRules.map((r) => ({ ...r })) }),
    ...(secret === undefined ? {} : { secret }),
    links: { self: `${base}/v3/users/${appCred.userId}/application_credentials/${appCred.id}` },
  };
}

/** A credential, blob in clear. */
export function credentialView(base: string, c: Credential): Record<string, unknown> {
  return {
    ...c.extra,
    id: c.id,
    user_id: c.userId,
    project_id: c.projectId,
    type: c.type,
    blob: c.blob,
    links: { self: `${base}/v3/credentials/${c.id}` },
  };
}

/** The policy view of a user (`target.user.*`): the wire shape without links. */
export function userTarget(user: User): Record<string, unknown> {
  const { links: _links, ...rest } = userView("", user);
  return rest;
}

/** The policy view of a group (`target.group.*`). */
export function groupTarget(group: Group): Record<string, unknown> {
  const { links: _links, ...rest } = groupView("", group);
  return rest;
}
