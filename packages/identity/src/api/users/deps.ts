/** What the users, groups and credentials routes need. */
import type { RequestContext } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import type { ApplicationCredentialService } from "../../identity-users/service/app-creds.js";
import type { CredentialService } from "../../identity-users/service/credentials.js";
import type { GroupService } from "../../identity-users/service/groups.js";
import type { PasswordAuthentication } from "../../identity-users/service/password-auth.js";
import type { UserService } from "../../identity-users/service/users.js";
import type { Authorizer } from "../../ports.js";

/** The dependencies of `registerUserRoutes`. */
export interface UserRoutesDeps {
  /** User CRUD. */
  readonly users: UserService;
  /** Self-service password changes. */
  readonly passwords: PasswordAuthentication;
  /** Groups and memberships. */
  readonly groups: GroupService;
  /** Application credentials. */
  readonly appCreds: ApplicationCredentialService;
  /** `/v3/credentials`. */
  readonly credentials: CredentialService;
  /** Decides every call (`identity:*` rules). */
  readonly authorizer: Authorizer;
  /** Where a user or group created without a domain goes (Keystone's `[identity] default_domain_id`). */
  readonly defaultDomainId?: string;
  /** Keystone's `public_endpoint` (e.g. `https://keystone.example.com:5000`); else the request's Host. */
  readonly publicEndpoint?: string;
  /** `[identity] list_limit`: longer lists are cut and marked `truncated`. */
  readonly listLimit?: number;
  /** The application credential id of the caller's token, when it authenticated with one (unrestricted checks). */
  readonly applicationCredentialOf?: (
    context: RequestContext,
  ) => { readonly id: string; readonly unrestricted: boolean } | null;
}

/** The authenticated context of a protected route (the kit guarantees it). */
export const contextOf = (request: FastifyRequest): RequestContext => request.auth!;
