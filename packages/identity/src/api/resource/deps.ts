import type { Authorizer } from "../../ports.js";
import type { ResourceService } from "../../resource/service.js";

/** What the resource routes (`/v3/domains`, `/v3/projects`) need. */
export interface ResourceRouteDeps {
  /** Policy: every handler enforces its `identity:*` rule before acting. */
  readonly authorizer: Authorizer;
  /** Domains and projects. */
  readonly resources: ResourceService;
  /**
   * Ids of the projects a user has a role on (AssignmentService.listProjectIdsForUser): Keystone
   * shows `parents_as_list` / `subtree_as_list` only with those. Without it nothing is filtered.
   */
  readonly projectIdsForUser?: (userId: string) => Promise<string[]>;
}
