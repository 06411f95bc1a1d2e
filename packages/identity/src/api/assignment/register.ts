/**
 * The assignment area's Keystone v3 routes: roles, implied roles, role inferences, grants on
 * projects, domains and the system (direct and OS-INHERIT), and the role assignment list.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { AssignmentRouteDeps } from "./deps.js";
import { registerGrantRoutes } from "./grants.js";
import { registerImpliedRoleRoutes } from "./implied.js";
import { registerRoleAssignmentRoutes } from "./role-assignments.js";
import { registerRoleRoutes } from "./roles.js";
import { registerSystemGrantRoutes } from "./system.js";

export type { AssignmentRouteDeps } from "./deps.js";

/** Registers every assignment route on an identity app. */
export function registerAssignmentRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  registerRoleRoutes(app, deps);
  registerImpliedRoleRoutes(app, deps);
  registerGrantRoutes(app, deps);
  registerSystemGrantRoutes(app, deps);
  registerRoleAssignmentRoutes(app, deps);
}
