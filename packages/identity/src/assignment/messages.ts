/**
 * Keystone's wording of assignment errors (keystone/exception.py, assignment/core.py).
 */
import { badRequest, conflict, forbidden, notFound, type StratusError } from "@stratus/core/errors";

/** 404 `Could not find role: <id>.` */
export const roleNotFound = (id: string): StratusError => notFound(`Could not find role: ${id}.`);
/** 404 `Could not find user: <id>.` */
export const userNotFound = (id: string): StratusError => notFound(`Could not find user: ${id}.`);
/** 404 `Could not find group: <id>.` */
export const groupNotFound = (id: string): StratusError => notFound(`Could not find group: ${id}.`);
/** 404 `<prior> does not imply <implied>.` */
export const impliedRoleNotFound = (prior: string, implied: string): StratusError =>
  notFound(`${prior} does not imply ${implied}.`);
/** 404 for a grant that does not exist. */
export const roleAssignmentNotFound = (roleId: string, actorId: string, targetId: string): StratusError =>
  notFound(
    `Could not find role assignment with role: ${roleId}, user or group: ${actorId}, project, domain, or system: ${targetId}.`,
  );
/** 409 for a role name taken (globally or in the role's domain). */
export const roleConflict = (name: string, domainId: string | null | undefined): StratusError =>
  conflict(
    `Conflict occurred attempting to store role - Duplicate entry found with name ${name}${domainId ? ` at domain ID ${domainId}` : ""}.`,
  );
/** 409 for an implication rule that exists. */
export const impliedRoleConflict = (): StratusError =>
  conflict("Conflict occurred attempting to store implied_role - Duplicate entry.");
/** 403 for a domain-specific role granted on a project of another domain. */
export const domainRoleMismatch = (projectId: string, roleId: string): StratusError =>
  forbidden(`Project ${projectId} must be in the same domain as the role ${roleId} being assigned.`);
/** 403 for a prohibited or domain-specific implied role. */
export const invalidImpliedRole = (message: string): StratusError => forbidden(message);
/** 400 for a domain-specific role in a system grant. */
export const domainRoleOnSystem = (roleId: string): StratusError =>
  badRequest(`Role ${roleId} is a domain-specific role. Unable to use a domain-specific role in a system assignment.`);
