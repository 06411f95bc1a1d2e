import type { IdentityLookup } from "../../assignment/ports.js";
import type { RoleService } from "../../assignment/role-service.js";
import type { AssignmentService } from "../../assignment/service.js";
import type { Authorizer } from "../../ports.js";
import type { ResourceService } from "../../resource/service.js";

/** What the assignment routes (roles, implied roles, grants, role assignments) need. */
export interface AssignmentRouteDeps {
  /** Policy: every handler enforces its `identity:*` rule before acting. */
  readonly authorizer: Authorizer;
  /** Domains and projects (grant targets, names). */
  readonly resources: ResourceService;
  /** Roles and implication rules. */
  readonly roles: RoleService;
  /** Grants, role assignments, effective roles. */
  readonly assignments: AssignmentService;
  /** Users and groups named in grants (404 when missing), and their names for `include_names`. */
  readonly identity: IdentityLookup;
}
