/**
 * Application credentials (keystone/application_credential/, api/users.py): a secret that acts
 * as its user on one project with a subset of the user's roles. The secret is generated when
 * absent (64 random bytes, url-safe base64 without padding, as Keystone), stored as a bcrypt
 * hash, and returned once, on create.
 */
import { randomBytes } from "node:crypto";
import { newHexId } from "@stratus/core";
import { badRequest, forbidden, StratusError } from "@stratus/core/errors";
import { type AccessRule, type ApplicationCredential, isExpired } from "../domain/app-cred.js";
import type { IdentityEvents } from "../events.js";
import type { IdentityUsersOptions } from "../options.js";
import type {
  ApplicationCredentialRepository,
  DomainLookup,
  ProjectRoleLookup,
  RoleRef,
  UserRepository,
} from "../ports.js";
import { appCredNotFound, authFailed, duplicateEntry, isUniqueViolation } from "./keystone-errors.js";
import type { PasswordHasher } from "./password-hasher.js";

/** A new application credential, as the creator's token and body describe it. */
export interface AppCredCreate {
  /** The owner (must be the caller). */
  readonly userId: string;
  /** The caller's token project. */
  readonly projectId: string | null;
  /** Unique per user. */
  readonly name: string;
  /** Free text. */
  readonly description?: string | null;
  /** A secret of the client's choosing; generated when absent or empty. */
  readonly secret?: string | null;
  /** When it stops working; must not be in the past. */
  readonly expiresAt?: Date | null;
  /** Roles by id or name; default: all of the caller's roles on the project. */
  readonly roles?: ReadonlyArray<{ readonly id?: string; readonly name?: string }>;
  /** Default false. */
  readonly unrestricted?: boolean;
  /** Access rules (ids generated when absent). */
  readonly accessRules?: ReadonlyArray<Omit<AccessRule, "id"> & { readonly id?: string }> | null;
}

/** The outcome of a successful application credential authentication. */
export interface AppCredAuthentication {
  /** The credential. */
  readonly applicationCredential: ApplicationCredential;
  /** Its user. */
  readonly userId: string;
  /** Its project. */
  readonly projectId: string | null;
  /** The credential's roles the user still holds on the project. */
  readonly roles: readonly RoleRef[];
}

/** Dependencies of the application credential service. */
export interface AppCredServiceDeps {
  readonly appCreds: ApplicationCredentialRepository;
  readonly users: UserRepository;
  readonly domains: DomainLookup;
  readonly roles: ProjectRoleLookup;
  readonly hasher: PasswordHasher;
  readonly events: IdentityEvents;
  readonly options: IdentityUsersOptions;
  readonly now?: () => Date;
}

/** Keystone's generated secret: 64 random bytes, url-safe base64, no padding (86 characters). */
export const generateSecret = (): string => randomBytes(64).toString("base64url");

/** Creates, reads, deletes and authenticates application credentials. */
export class ApplicationCredentialService {
  private readonly clock: () => Date;

  constructor(private readonly deps: AppCredServiceDeps) {
    this.clock = deps.now ?? (() => new Date());
    // Keystone deletes a user's application credentials when the user is disabled or deleted.
    deps.events.subscribe(async (event) => {
      if (event.type === "user_deleted" || event.type === "user_disabled")
        await deps.appCreds.deleteForUser(event.userId);
    });
  }

  /**
   * Creates one and returns it with its clear secret (the only time the secret is shown).
   * `bad_request` for an expiry in the past or a role the user does not hold on the project,
   * `forbidden` over the per-user limit, `conflict` for a taken name.
   */
  async create(input: AppCredCreate): Promise<{ applicationCredential: ApplicationCredential; secret: string }> {
    const now = this.clock();
    if (input.expiresAt && input.expiresAt.getTime() < now.getTime()) {
      throw badRequest(
        "The 'expires_at' must not be before now. The server could not comply with the request since it is " +
          "either malformed or otherwise incorrect. The client is assumed to be in error.",
      );
    }
    const held =
      input.projectId === null ? [] : await this.deps.roles.effectiveRolesOnProject(input.userId, input.projectId);
    const roleIds = pickRoles(input.roles, held);
    const limit = this.deps.options.applicationCredentialUserLimit;
    if (limit >= 0 && (await this.deps.appCreds.countForUser(input.userId)) >= limit) {
      throw forbidden(
        `Unable to create additional application credentials, maximum of ${limit} already exceeded for user.`,
      );
    }
    const secret = input.secret ? input.secret : generateSecret();
    const applicationCredential: ApplicationCredential = {
      id: newHexId(),
      name: input.name,
      description: input.description ?? null,
      userId: input.userId,
      projectId: input.projectId,
      system: null,
      secretHash: await this.deps.hasher.hash(secret),
      expiresAt: input.expiresAt ?? null,
      unrestricted: input.unrestricted ?? false,
      roleIds,
      accessRules: input.accessRules ? input.accessRules.map((r) => ({ ...r, id: r.id ?? newHexId() })) : null,
    };
    try {
      await this.deps.appCreds.insert(applicationCredential);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEntry("application_credential", "name", input.name);
      throw err;
    }
    return { applicationCredential, secret };
  }

  /** The credential; `not_found` "Could not find Application Credential: <id>.". */
  async get(id: string): Promise<ApplicationCredential> {
    const appCred = await this.deps.appCreds.get(id);
    if (appCred === undefined) throw appCredNotFound(id);
    return appCred;
  }

  /** The user's credentials, optionally only the one named `name`. */
  list(userId: string, filter: { readonly name?: string } = {}): Promise<ApplicationCredential[]> {
    return this.deps.appCreds.listForUser(userId, filter);
  }

  /** The roles of a credential as the API shows them (current names from the role lookup). */
  async rolesOf(appCred: ApplicationCredential): Promise<RoleRef[]> {
    const roles: RoleRef[] = [];
    for (const id of appCred.roleIds) {
      try {
        roles.push(await this.deps.roles.getRole(id));
      } catch (err) {
        // A role deleted since is no longer delegated; show the rest.
        if (!(StratusError.is(err) && err.code === "not_found")) throw err;
      }
    }
    return roles;
  }

  /** Deletes one and emits `application_credential_deleted`; `not_found` when absent. */
  async delete(id: string): Promise<void> {
    const appCred = await this.get(id);
    if (!(await this.deps.appCreds.delete(id))) throw appCredNotFound(id);
    await this.deps.events.emit({
      type: "application_credential_deleted",
      applicationCredentialId: id,
      userId: appCred.userId,
    });
  }

  /**
   * Checks a secret. Throws `unauthorized` ("The request you have made requires authentication.")
   * for an unknown credential, a wrong secret, an expired credential, a disabled user or domain,
   * or when the user no longer holds any of the credential's roles on the project.
   */
  async authenticate(
    ref: { readonly id: string } | { readonly name: string; readonly userId: string },
    secret: string,
  ): Promise<AppCredAuthentication> {
    const appCred =
      "id" in ref
        ? await this.deps.appCreds.get(ref.id)
        : (await this.deps.appCreds.listForUser(ref.userId, { name: ref.name }))[0];
    if (appCred === undefined) throw authFailed("invalid_credentials");
    const user = await this.deps.users.get(appCred.userId);
    if (user === undefined || !user.enabled) throw authFailed("user_disabled", appCred.userId);
    const domain = await this.deps.domains.getDomain(user.domainId).catch(() => undefined);
    if (domain === undefined || !domain.enabled) throw authFailed("domain_disabled", user.id);
    if (!(await this.deps.hasher.verify(secret, appCred.secretHash))) throw authFailed("invalid_credentials", user.id);
    if (isExpired(appCred, this.clock())) throw authFailed("expired", user.id);
    const held =
      appCred.projectId === null ? [] : await this.deps.roles.effectiveRolesOnProject(user.id, appCred.projectId);
    const roles = held.filter((r) => appCred.roleIds.includes(r.id));
    if (roles.length === 0) throw authFailed("invalid_credentials", user.id);
    return { applicationCredential: appCred, userId: user.id, projectId: appCred.projectId, roles };
  }
}

/** The ids of the asked roles (by id or name) among those held; all held roles when none are asked. */
function pickRoles(asked: AppCredCreate["roles"], held: readonly RoleRef[]): string[] {
  if (asked === undefined || asked.length === 0) return [...new Set(held.map((r) => r.id))];
  const ids: string[] = [];
  for (const role of asked) {
    const found = held.find((r) => (role.id !== undefined ? r.id === role.id : r.name === role.name));
    if (found === undefined) {
      throw badRequest("Invalid application credential: Cannot create an application credential with unassigned role");
    }
    if (!ids.includes(found.id)) ids.push(found.id);
  }
  return ids;
}
