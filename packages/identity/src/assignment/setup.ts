/**
 * Wiring of the resource and assignment areas on one database: migrations, repositories, services.
 * The package assembly and tests use it; nothing here is needed to use the classes by hand.
 */
import type { Database } from "@stratus/core/db";
import { RESOURCE_MIGRATIONS, RESOURCE_NAMESPACE, type ResourceSchema } from "../resource/migrations.js";
import { SqlProjectRepository } from "../resource/repository.js";
import { ResourceService, type ResourceServiceOptions } from "../resource/service.js";
import { ASSIGNMENT_MIGRATIONS, ASSIGNMENT_NAMESPACE, type AssignmentSchema } from "./migrations.js";
import type { GroupMembershipLookup } from "./ports.js";
import { SqlAssignmentRepository, SqlRoleRepository } from "./repository.js";
import { RoleService, type RoleServiceOptions } from "./role-service.js";
import { AssignmentService } from "./service.js";

/** The three services of the resource and assignment areas. */
export interface ResourceAssignmentServices {
  /** Domains and projects. */
  readonly resources: ResourceService;
  /** Roles and implied roles. */
  readonly roles: RoleService;
  /** Grants, role assignments, effective roles. */
  readonly assignments: AssignmentService;
}

/** Applies both namespaces' migrations (idempotent). */
export async function migrateResourceAssignment(db: Database<unknown>): Promise<void> {
  await db.migrate(RESOURCE_NAMESPACE, RESOURCE_MIGRATIONS);
  await db.migrate(ASSIGNMENT_NAMESPACE, ASSIGNMENT_MIGRATIONS);
}

/** Builds the services on a migrated database. */
export function createResourceAssignmentServices(
  db: Database<unknown>,
  groups: GroupMembershipLookup,
  options: ResourceServiceOptions & RoleServiceOptions & { readonly snapshotMaxAgeMs?: number } = {},
): ResourceAssignmentServices {
  const resources = new ResourceService(new SqlProjectRepository(db as Database<ResourceSchema>), options);
  const roles = new RoleService(new SqlRoleRepository(db as Database<AssignmentSchema>), options);
  const assignments = new AssignmentService({
    assignments: new SqlAssignmentRepository(db as Database<AssignmentSchema>),
    roles,
    resources,
    groups,
    ...(options.snapshotMaxAgeMs === undefined ? {} : { snapshotMaxAgeMs: options.snapshotMaxAgeMs }),
  });
  return { resources, roles, assignments };
}
