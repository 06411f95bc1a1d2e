/**
 * The resource area's Keystone v3 routes: domains, projects and project tags.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { ResourceRouteDeps } from "./deps.js";
import { registerDomainRoutes } from "./domains.js";
import { registerProjectRoutes } from "./projects.js";
import { registerProjectTagRoutes } from "./tags.js";

export type { ResourceRouteDeps } from "./deps.js";

/** Registers `/v3/domains`, `/v3/projects` and `/v3/projects/{id}/tags` on an identity app. */
export function registerResourceRoutes(app: ServiceApp, deps: ResourceRouteDeps): void {
  registerDomainRoutes(app, deps);
  registerProjectRoutes(app, deps);
  registerProjectTagRoutes(app, deps);
}
