/**
 * The identity service assembled: every part of @stratus/identity on one database, each port bound
 * to the part that owns the data, token revocation wired to the events that must revoke, and
 * the Keystone v3 routes registered on a core http app.
 *
 * ```ts
 * const db = await openDatabase({ engine: "sqlite", path: "identity.db" });
 * const identity = await createIdentity({ database: db, keyRepository: "/var/lib/stratus/fernet-keys" });
 * const app = createServiceApp({ service: "identity", authenticator: identity.authenticator, identityUri });
 * identity.registerRoutes(app);
 * ```
 */
import { existsSync } from "node:fs";
import type { Database } from "@stratus/core/db";
import type { ServiceApp } from "@stratus/core/http";
import { registerAssignmentRoutes } from "./api/assignment/register.js";
import { registerAuthRoutes } from "./api/auth/routes.js";
import { registerCatalogRoutes } from "./api/catalog/routes.js";
import { registerV3Discovery } from "./api/discovery.js";
import { registerResourceRoutes } from "./api/resource/register.js";
import { registerUserRoutes } from "./api/users/register.js";
import { createResourceAssignmentServices, migrateResourceAssignment } from "./assignment/setup.js";
import { LocalTokenAuthenticator } from "./auth/authenticator.js";
import { FernetTokenMinter } from "./auth/fernet-minter.js";
import type { AuthRoles, AuthScopes, AuthUsers, TokenScope, TokenScopeTarget, TokenUser } from "./auth/ports.js";
import { AuthService } from "./auth/service.js";
import { CATALOG_MIGRATIONS } from "./catalog/migrations.js";
import { CatalogService } from "./catalog/service.js";
import { SqlCatalogRepository } from "./catalog/sql-repository.js";
import { keystoneTimeOrNull } from "./identity-users/domain/time.js";
import type { User } from "./identity-users/domain/user.js";
import { createIdentityUsers, FernetCredentialCipher, type IdentityUsersOptionsInput } from "./identity-users/index.js";
import { PolicyEnforcer, type PolicyEnforcerOptions } from "./policy/index.js";
import type { Authorizer } from "./ports.js";
import type { Domain, Project } from "./resource/model.js";
import { FernetKeyRepository } from "./token/key-repository.js";
import { TokenProvider } from "./token/provider.js";
import { revokeDomain, revokeProject, revokeUser } from "./token/revocation/event.js";
import { RevocationIndex } from "./token/revocation/revocation-index.js";
import { REVOCATION_MIGRATIONS, REVOCATION_NAMESPACE, SqlRevocationStore } from "./token/revocation/sql-store.js";

export interface IdentityOptions {
  /** The identity database (SQLite, PostgreSQL or MariaDB); migrations are applied to it. */
  readonly database: Database<unknown>;
  /** The Fernet key repository directory (created with keys 0 and 1 when missing). */
  readonly keyRepository: string;
  /** The credential key repository directory (created when missing). */
  readonly credentialKeyRepository: string;
  /** Token lifetime in seconds (default 3600). */
  readonly tokenExpirationSeconds?: number;
  /** Policy: defaults are Keystone's; overrides and scope enforcement as oslo.policy's options. */
  readonly policy?: PolicyEnforcerOptions;
  /** Users' options: bcrypt rounds, security compliance. */
  readonly users?: IdentityUsersOptionsInput;
}

const toTokenUser = (u: User): TokenUser => ({
  id: u.id,
  name: u.name,
  domainId: u.domainId,
  enabled: u.enabled,
  passwordExpiresAt: keystoneTimeOrNull(u.passwordExpiresAt),
  defaultProjectId: u.defaultProjectId,
});
const projectTarget = (p: Project): TokenScopeTarget => ({
  id: p.id,
  name: p.name,
  enabled: p.enabled,
  domainId: p.domainId,
  isDomain: p.isDomain,
});
const domainTarget = (d: Domain): TokenScopeTarget => ({
  id: d.id,
  name: d.name,
  enabled: d.enabled,
  domainId: null,
  isDomain: true,
});
const orUndefined = <T>(work: Promise<T>): Promise<T | undefined> =>
  work.catch((err: unknown) => {
    if ((err as { code?: string }).code === "not_found") return undefined;
    throw err;
  });
const assignmentScope = (scope: TokenScope) =>
  scope.kind === "project"
    ? { projectId: scope.projectId }
    : scope.kind === "domain"
      ? { domainId: scope.domainId }
      : { system: "all" as const };

/** Builds identity on `options.database`. */
export async function createIdentity(options: IdentityOptions) {
  const { database } = options;
  await migrateResourceAssignment(database);
  await database.migrate("identity_catalog", [...CATALOG_MIGRATIONS]);
  await database.migrate(REVOCATION_NAMESPACE, [...REVOCATION_MIGRATIONS]);

  // users need domains and roles; resources and assignments need group membership: break the
  // cycle with a late-bound membership lookup
  let usersArea: Awaited<ReturnType<typeof createIdentityUsers>> | undefined;
  const membership = {
    groupIdsOfUser: (userId: string) => usersArea!.groups.groupIdsOfUser(userId),
    userIdsInGroup: async (groupId: string) => (await usersArea!.groups.listUsers(groupId)).map((u) => u.id),
  };
  // SQLite is one process's file: nobody else writes it, so its snapshot never needs a timed reload
  const { resources, roles, assignments } = createResourceAssignmentServices(database, membership, {
    snapshotMaxAgeMs: database.engine === "sqlite" ? Number.POSITIVE_INFINITY : 5_000,
  });
  const credentialKeys = existsSync(options.credentialKeyRepository)
    ? new FernetKeyRepository(options.credentialKeyRepository, { name: "credential" })
    : FernetKeyRepository.setup(options.credentialKeyRepository, { name: "credential" });
  usersArea = await createIdentityUsers({
    database: database as never,
    domains: { getDomain: async (id) => resources.getDomain(id) },
    roles: {
      effectiveRolesOnProject: (userId, projectId) =>
        usersArea!.groups
          .groupIdsOfUser(userId)
          .then((groupIds) => assignments.effectiveRoles({ userId, groupIds, scope: { projectId } }))
          .then((refs) => refs.map((r) => ({ ...r }))),
      getRole: async (id) => {
        const r = await roles.getRole(id);
        return { id: r.id, name: r.name, domain_id: r.domainId };
      },
    },
    // Keystone's key text: url-safe base64 of signing || encryption key, padded (its key hash reads it)
    cipher: new FernetCredentialCipher(
      credentialKeys
        .fernetKeys()
        .map((k) =>
          Buffer.concat([k.signingKey, k.encryptionKey]).toString("base64").replaceAll("+", "-").replaceAll("/", "_"),
        ),
    ),
    ...(options.users === undefined ? {} : { options: options.users }),
  });
  const area = usersArea;

  const keys = existsSync(options.keyRepository)
    ? new FernetKeyRepository(options.keyRepository)
    : FernetKeyRepository.setup(options.keyRepository);
  const expirationSeconds = options.tokenExpirationSeconds ?? 3600;
  const revocations = new RevocationIndex({ store: new SqlRevocationStore(database), expirationSeconds });
  await revocations.refresh();
  const provider = new TokenProvider({ keys, revocations, expirationSeconds });
  const catalog = new CatalogService(new SqlCatalogRepository(database));

  const users: AuthUsers = {
    getUser: async (id) => {
      const u = await orUndefined(area.users.get(id));
      return u && toTokenUser(u);
    },
    findUser: async (name, domainId) => {
      const u = await orUndefined(area.users.getByName(name, domainId));
      return u && toTokenUser(u);
    },
    checkPassword: async (userId, password) =>
      toTokenUser(await area.passwords.authenticatePassword({ userId, password })),
    checkApplicationCredential: async (ref, secret) => {
      const a = await area.appCreds.authenticate(ref, secret);
      const c = a.applicationCredential;
      return {
        id: c.id,
        name: c.name,
        userId: a.userId,
        projectId: a.projectId ?? "",
        unrestricted: c.unrestricted,
        roleIds: a.roles.map((r) => r.id),
        expiresAt: c.expiresAt === null ? null : c.expiresAt.toISOString(),
      };
    },
    groupIdsOfUser: (userId) => area.groups.groupIdsOfUser(userId),
    getApplicationCredential: async (id) => {
      const c = await orUndefined(area.appCreds.get(id));
      return (
        c && {
          id: c.id,
          name: c.name,
          userId: c.userId,
          projectId: c.projectId ?? "",
          unrestricted: c.unrestricted,
          roleIds: c.roleIds,
          expiresAt: c.expiresAt === null ? null : c.expiresAt.toISOString(),
        }
      );
    },
  };
  const scopes: AuthScopes = {
    getProject: async (id) => {
      const p = await orUndefined(resources.getProject(id));
      return p && projectTarget(p);
    },
    findProject: async (name, domainId) => {
      const p = await orUndefined(resources.getProjectByName(name, domainId));
      return p && projectTarget(p);
    },
    getDomain: async (id) => {
      const d = await orUndefined(resources.getDomain(id));
      return d && domainTarget(d);
    },
    findDomain: async (name) => {
      const d = await orUndefined(resources.getDomainByName(name));
      return d && domainTarget(d);
    },
    isProjectUsable: async (id) => {
      const project = await orUndefined(resources.getProject(id));
      if (!project?.enabled) return false;
      const parents = await resources.listProjectParents(id);
      if (parents.some((p) => !p.enabled)) return false;
      const domain = project.domainId === null ? undefined : await orUndefined(resources.getDomain(project.domainId));
      return domain?.enabled ?? false;
    },
  };
  const authRoles: AuthRoles = {
    effectiveRoles: async (userId, groupIds, scope) =>
      scope.kind === "unscoped"
        ? []
        : ((await orUndefined(assignments.effectiveRoles({ userId, groupIds, scope: assignmentScope(scope) }))) ?? []),
    projectsOf: async (userId) =>
      (await resources.listProjectsByIds(await assignments.listProjectIdsForUser(userId)))
        .filter((p) => p.enabled)
        .map(projectTarget),
    domainsOf: async (userId) => {
      const ids = await assignments.listDomainIdsForUser(userId);
      const domains = await Promise.all(ids.map((id) => orUndefined(resources.getDomain(id))));
      return domains.filter((d): d is Domain => d?.enabled === true).map(domainTarget);
    },
  };
  const auth = new AuthService(
    { users, scopes, roles: authRoles, catalog, tokens: new FernetTokenMinter(provider, revocations) },
    { expirationSeconds },
  );

  // What must revoke tokens, and what must only make cached validations stale.
  const revoke = async (event: Parameters<RevocationIndex["revoke"]>[0]) => {
    await revocations.revoke(event);
    auth.invalidate();
  };
  area.events.subscribe(async (e) => {
    if (e.type === "user_disabled" || e.type === "user_deleted" || e.type === "password_changed")
      await revoke(revokeUser(e.userId));
    else if (e.type === "user_removed_from_group") await revoke(revokeUser(e.userId));
    else if (e.type === "group_deleted") for (const id of e.memberIds) await revoke(revokeUser(id));
    else auth.invalidate();
  });
  resources.events.on("project.disabled", ({ projectId }) => revoke(revokeProject(projectId)));
  resources.events.on("project.deleted", ({ projectId }) => revoke(revokeProject(projectId)));
  resources.events.on("domain.disabled", ({ domainId }) => revoke(revokeDomain(domainId)));
  resources.events.on("domain.deleted", ({ domainId }) => revoke(revokeDomain(domainId)));
  resources.events.on("projects.changed", () => auth.invalidate());
  // A validation recomputes the roles (a Fernet token carries none): once cached validations are
  // dropped, a token loses a removed role at once, and fails when it was the user's last on the scope.
  assignments.events.on("assignment.removed", () => auth.invalidate());
  assignments.events.on("role.deleted", () => auth.invalidate());
  assignments.events.on("implied_role.deleted", () => auth.invalidate());

  const policy: Authorizer = new PolicyEnforcer(options.policy ?? {});
  const authenticator = new LocalTokenAuthenticator(auth);

  return {
    resources,
    roles,
    assignments,
    users: area,
    catalog,
    auth,
    tokens: provider,
    keys,
    revocations,
    policy,
    authenticator,
    /** Registers every Keystone v3 route on `app` (an app built with `service: "identity"`). */
    registerRoutes(app: ServiceApp): void {
      registerV3Discovery(app);
      registerAuthRoutes(app, { authorizer: policy, auth, catalog, roles: authRoles, users });
      registerCatalogRoutes(app, { authorizer: policy, catalog });
      registerResourceRoutes(app, { authorizer: policy, resources });
      registerAssignmentRoutes(app, {
        authorizer: policy,
        resources,
        roles,
        assignments,
        identity: {
          getUser: async (id) => {
            const u = await orUndefined(area.users.get(id));
            return u ? { id: u.id, name: u.name, domain_id: u.domainId } : null;
          },
          getGroup: async (id) => {
            const g = await orUndefined(area.groups.getGroup(id));
            return g ? { id: g.id, name: g.name, domain_id: g.domainId } : null;
          },
        },
      });
      registerUserRoutes(app, {
        authorizer: policy,
        users: area.users,
        passwords: area.passwords,
        groups: area.groups,
        appCreds: area.appCreds,
        credentials: area.credentials,
      });
    },
  };
}

export type Identity = Awaited<ReturnType<typeof createIdentity>>;
