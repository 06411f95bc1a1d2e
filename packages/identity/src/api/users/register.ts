/**
 * The Keystone v3 REST face of users, groups, application credentials and credentials.
 *
 * ```ts
 * const app = createServiceApp({ service: "identity", authenticator, identityUri });
 * registerUserRoutes(app, { ...area, authorizer });   // area = await createIdentityUsers(...)
 * ```
 * Every handler enforces its `identity:*` rule (names and targets as keystone/api/*.py) first.
 */
import type { ServiceApp } from "@stratus/core/http";
import { registerAppCredRoutes } from "./app-cred-routes.js";
import { registerCredentialRoutes } from "./credential-routes.js";
import type { UserRoutesDeps } from "./deps.js";
import { registerGroupRoutes } from "./group-routes.js";
import { registerUserCrudRoutes } from "./user-routes.js";

/** Registers every route of this area on `app` (a `createServiceApp({ service: "identity" })`). */
export function registerUserRoutes(app: ServiceApp, deps: UserRoutesDeps): void {
  registerUserCrudRoutes(app, deps);
  registerGroupRoutes(app, deps);
  registerAppCredRoutes(app, deps);
  registerCredentialRoutes(app, deps);
}

export type { UserRoutesDeps } from "./deps.js";
