/**
 * Users, groups, application credentials and credentials of `@stratus/identity`.
 *
 * ```ts
 * const db = await openDatabase<IdentityUsersSchema>({ engine: "sqlite", path: "identity.db" });
 * const area = await createIdentityUsers({ database: db, domains, roles, cipher: new FernetCredentialCipher([key]),
 *   options: { passwordHashRounds: 12, securityCompliance: { lockoutFailureAttempts: 5 } } });
 * const user = await area.users.create({ name: "alice", domainId: "default", password: "s3cret" });
 * await area.passwords.authenticatePassword({ userId: user.id, password: "s3cret" });
 * area.events.subscribe((e) => revoke(e));
 * ```
 */
import { parseConfig } from "@stratus/core";
import type { Database } from "@stratus/core/db";
import { SqlApplicationCredentialRepository } from "./adapters/sql/app-cred-repository.js";
import { SqlCredentialRepository } from "./adapters/sql/credential-repository.js";
import { SqlGroupRepository } from "./adapters/sql/group-repository.js";
import { IDENTITY_USERS_MIGRATIONS, IDENTITY_USERS_NAMESPACE } from "./adapters/sql/migrations.js";
import type { IdentityUsersSchema } from "./adapters/sql/schema.js";
import { SqlUserRepository } from "./adapters/sql/user-repository.js";
import { IdentityEvents } from "./events.js";
import { type IdentityUsersOptions, type IdentityUsersOptionsInput, IdentityUsersOptionsSchema } from "./options.js";
import type { CredentialCipher, DomainLookup, ProjectRoleLookup } from "./ports.js";
import { ApplicationCredentialService } from "./service/app-creds.js";
import { CredentialService } from "./service/credentials.js";
import { GroupService } from "./service/groups.js";
import { PasswordAuthentication } from "./service/password-auth.js";
import { PasswordHasher } from "./service/password-hasher.js";
import { UserService } from "./service/users.js";

/** What the area is assembled from. */
export interface IdentityUsersSetup {
  /** The identity database; the area's migrations are applied to it. */
  readonly database: Database<IdentityUsersSchema>;
  /** Domains (the resource area). */
  readonly domains: DomainLookup;
  /** Roles on projects (the assignment area). */
  readonly roles: ProjectRoleLookup;
  /** Encrypts credential blobs. */
  readonly cipher: CredentialCipher;
  /** Options; validated here (`bad_request` listing every problem). */
  readonly options?: IdentityUsersOptionsInput;
  /** The clock, for tests. */
  readonly now?: () => Date;
}

/** The assembled services. */
export interface IdentityUsers {
  /** User CRUD. */
  readonly users: UserService;
  /** Password authentication and self-service changes. */
  readonly passwords: PasswordAuthentication;
  /** Groups and memberships; also the `IdentityLookup` and `GroupMembershipLookup`. */
  readonly groups: GroupService;
  /** Application credentials. */
  readonly appCreds: ApplicationCredentialService;
  /** `/v3/credentials`. */
  readonly credentials: CredentialService;
  /** Revocation events (the token layer subscribes). */
  readonly events: IdentityEvents;
  /** The validated options. */
  readonly options: IdentityUsersOptions;
}

/** Migrates the database and wires the services on SQL repositories. */
export async function createIdentityUsers(setup: IdentityUsersSetup): Promise<IdentityUsers> {
  const options = parseConfig(IdentityUsersOptionsSchema, setup.options ?? {}, "identity users options");
  await setup.database.migrate(IDENTITY_USERS_NAMESPACE, IDENTITY_USERS_MIGRATIONS);
  const events = new IdentityEvents();
  const hasher = new PasswordHasher({
    rounds: options.passwordHashRounds,
    maxLength: options.maxPasswordLength,
    strict: options.strictPasswordCheck,
  });
  const userRepo = new SqlUserRepository(setup.database);
  const groupRepo = new SqlGroupRepository(setup.database);
  const clock = setup.now === undefined ? {} : { now: setup.now };
  const deps = { users: userRepo, groups: groupRepo, domains: setup.domains, hasher, events, options, ...clock };
  const users = new UserService(deps);
  return {
    users,
    passwords: new PasswordAuthentication(deps, users),
    groups: new GroupService(deps),
    appCreds: new ApplicationCredentialService({
      ...deps,
      appCreds: new SqlApplicationCredentialRepository(setup.database),
      roles: setup.roles,
    }),
    credentials: new CredentialService({
      credentials: new SqlCredentialRepository(setup.database),
      cipher: setup.cipher,
      events,
      options,
    }),
    events,
    options,
  };
}

export { FernetCredentialCipher, keyHashOf } from "./adapters/fernet-cipher.js";
export { IDENTITY_USERS_MIGRATIONS, IDENTITY_USERS_NAMESPACE } from "./adapters/sql/migrations.js";
export type { IdentityUsersSchema } from "./adapters/sql/schema.js";
export type { AccessRule, ApplicationCredential } from "./domain/app-cred.js";
export type { Credential } from "./domain/credential.js";
export type { Group } from "./domain/group.js";
export type { User, UserFilter, UserOptions } from "./domain/user.js";
export { type IdentityEvent, type IdentityEventListener, IdentityEvents } from "./events.js";
export {
  type IdentityUsersOptions,
  type IdentityUsersOptionsInput,
  IdentityUsersOptionsSchema,
  type SecurityComplianceOptions,
  SecurityComplianceOptionsSchema,
} from "./options.js";
export type * from "./ports.js";
export type { AppCredAuthentication, AppCredCreate } from "./service/app-creds.js";
export { ApplicationCredentialService } from "./service/app-creds.js";
export { CredentialService } from "./service/credentials.js";
export { GroupService } from "./service/groups.js";
export { PasswordAuthentication, type PasswordIdentity } from "./service/password-auth.js";
export { PasswordHasher } from "./service/password-hasher.js";
export { UserService } from "./service/users.js";
