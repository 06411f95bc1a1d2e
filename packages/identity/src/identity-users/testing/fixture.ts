/**
 * Test doubles for this area's ports and a ready-made assembly on in-memory SQLite: what the
 * unit tests (and other areas' tests) use. No vitest here.
 */
import { type Database, openDatabase } from "@stratus/core/db";
import { forbidden, notFound } from "@stratus/core/errors";
import type { RequestContext } from "@stratus/core/http";
import type { Authorizer, PolicyCredentials } from "../../ports.js";
import { plainCredentials } from "../../testing.js";
import { FernetCredentialCipher } from "../adapters/fernet-cipher.js";
import type { IdentityUsersSchema } from "../adapters/sql/schema.js";
import { createIdentityUsers, type IdentityUsers } from "../index.js";
import type { IdentityUsersOptionsInput } from "../options.js";
import type { DomainLookup, DomainRef, ProjectRoleLookup, RoleRef } from "../ports.js";

/** Domains held in a map; `enabled` can be flipped by tests. */
export class MemoryDomains implements DomainLookup {
  readonly domains = new Map<string, DomainRef>([["default", { id: "default", name: "Default", enabled: true }]]);

  /** Adds or replaces a domain. */
  put(domain: DomainRef): void {
    this.domains.set(domain.id, domain);
  }

  async getDomain(id: string): Promise<DomainRef> {
    const domain = this.domains.get(id);
    if (domain === undefined) throw notFound(`Could not find domain: ${id}.`);
    return domain;
  }
}

/** Roles and (user, project) → role ids held in maps. */
export class MemoryProjectRoles implements ProjectRoleLookup {
  readonly roles = new Map<string, RoleRef>();
  readonly grants = new Map<string, Set<string>>();

  /** Adds a role. */
  addRole(id: string, name: string): RoleRef {
    const role = { id, name, domain_id: null, description: null, options: {} };
    this.roles.set(id, role);
    return role;
  }

  /** Grants `roleId` to `userId` on `projectId`. */
  grant(userId: string, projectId: string, roleId: string): void {
    const key = `${userId}/${projectId}`;
    this.grants.set(key, new Set([...(this.grants.get(key) ?? []), roleId]));
  }

  /** Revokes every role of `userId` on `projectId`. */
  revokeAll(userId: string, projectId: string): void {
    this.grants.delete(`${userId}/${projectId}`);
  }

  async effectiveRolesOnProject(userId: string, projectId: string): Promise<RoleRef[]> {
    const ids = [...(this.grants.get(`${userId}/${projectId}`) ?? [])];
    return ids.map((id) => this.roles.get(id)).filter((r): r is RoleRef => r !== undefined);
  }

  async getRole(roleId: string): Promise<RoleRef> {
    const role = this.roles.get(roleId);
    if (role === undefined) throw notFound(`Could not find role: ${roleId}.`);
    return role;
  }
}

/** The policy credentials of a request context, as the real authorizer derives them. */
export const credentialsOfContext = plainCredentials;

/** An authorizer that allows (or, with `deny`, refuses) everything and records what it was asked. */
export class RecordingAuthorizer implements Authorizer {
  readonly calls: Array<{ rule: string; target: Readonly<Record<string, unknown>> }> = [];

  constructor(private readonly deny = false) {}

  enforce(rule: string, _credentials: PolicyCredentials, target: Readonly<Record<string, unknown>> = {}): void {
    this.calls.push({ rule, target });
    if (this.deny) throw forbidden(`You are not authorized to perform the requested action: ${rule}.`);
  }

  credentialsOf(context: RequestContext): PolicyCredentials {
    return credentialsOfContext(context);
  }
}

/** A fresh assembly on in-memory SQLite, with memory domains and roles and a random Fernet key. */
export async function memoryIdentityUsers(
  options: IdentityUsersOptionsInput = {},
  now?: () => Date,
): Promise<
  IdentityUsers & {
    domains: MemoryDomains;
    roles: MemoryProjectRoles;
    database: Database<IdentityUsersSchema>;
    close(): Promise<void>;
  }
> {
  const database = await openDatabase<IdentityUsersSchema>({ engine: "sqlite", path: ":memory:" });
  const domains = new MemoryDomains();
  const roles = new MemoryProjectRoles();
  const area = await createIdentityUsers({
    database,
    domains,
    roles,
    cipher: new FernetCredentialCipher([FernetCredentialCipher.generateKey()]),
    options: { passwordHashRounds: 4, ...options },
    ...(now === undefined ? {} : { now }),
  });
  return { ...area, domains, roles, database, close: () => database.close() };
}
