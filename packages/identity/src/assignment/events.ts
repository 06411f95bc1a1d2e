import type { Assignment } from "./model.js";

/** Events the assignment service emits after a change is stored (token revocation hooks). */
export type AssignmentEvents = {
  /** A grant was revoked, or removed with its role, project, domain, user or group. */
  readonly "assignment.removed": { readonly assignment: Assignment };
  /** A role was deleted (its assignments were removed first, each with its own event). */
  readonly "role.deleted": { readonly roleId: string };
  /** An implication rule was removed: roles computed from it may be gone. */
  readonly "implied_role.deleted": { readonly priorRoleId: string; readonly impliedRoleId: string };
};
