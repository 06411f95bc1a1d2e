/**
 * What issuing and validating tokens needs from the rest of identity. Narrow on purpose: the
 * assembly (`identity.ts`) binds each to the service that owns the data.
 */
import type { CatalogEntry } from "../catalog/types.js";

/** A user as a token shows it. */
export interface TokenUser {
  readonly id: string;
  readonly name: string;
  readonly domainId: string;
  readonly enabled: boolean;
  /** ISO 8601, or null when the password never expires. */
  readonly passwordExpiresAt: string | null;
  readonly defaultProjectId: string | null;
}

/** A project or domain as a token shows it. */
export interface TokenScopeTarget {
  readonly id: string;
  readonly name: string;
  readonly enabled: boolean;
  /** The project's domain; for a domain, null. */
  readonly domainId: string | null;
  readonly isDomain: boolean;
}

export interface RoleRef {
  readonly id: string;
  readonly name: string;
}

export type TokenScope =
  | { readonly kind: "unscoped" }
  | { readonly kind: "project"; readonly projectId: string }
  | { readonly kind: "domain"; readonly domainId: string }
  | { readonly kind: "system" };

/** An application credential as authentication with it resolves it. */
export interface AppCredentialGrant {
  readonly id: string;
  readonly name: string;
  readonly userId: string;
  readonly projectId: string;
  readonly unrestricted: boolean;
  /** The roles it was created with (ids); the token carries those the user still has. */
  readonly roleIds: readonly string[];
  readonly expiresAt: string | null;
}

export interface AuthUsers {
  /** The user, or undefined. */
  getUser(id: string): Promise<TokenUser | undefined>;
  /** The user named `name` in the domain, or undefined. */
  findUser(name: string, domainId: string): Promise<TokenUser | undefined>;
  /**
   * Checks a password (counting failures, locking out, refusing disabled users and expired
   * passwords); resolves with the user or throws `unauthorized`.
   */
  checkPassword(userId: string, password: string): Promise<TokenUser>;
  /** Checks an application credential's secret; resolves with its grant or throws `unauthorized`. */
  checkApplicationCredential(
    ref: { readonly id: string } | { readonly name: string; readonly userId: string },
    secret: string,
  ): Promise<AppCredentialGrant>;
  /** The groups the user is in. */
  groupIdsOfUser(userId: string): Promise<readonly string[]>;
  /** An application credential by id (for rendering a token made with it), or undefined. */
  getApplicationCredential(id: string): Promise<AppCredentialGrant | undefined>;
}

export interface AuthScopes {
  getProject(id: string): Promise<TokenScopeTarget | undefined>;
  findProject(name: string, domainId: string): Promise<TokenScopeTarget | undefined>;
  getDomain(id: string): Promise<TokenScopeTarget | undefined>;
  findDomain(name: string): Promise<TokenScopeTarget | undefined>;
  /** False when the project or any of its parents, or its domain, is disabled. */
  isProjectUsable(id: string): Promise<boolean>;
}

export interface AuthRoles {
  /** Effective roles (group, inherited and implied roles included) of the user on the scope. */
  effectiveRoles(userId: string, groupIds: readonly string[], scope: TokenScope): Promise<readonly RoleRef[]>;
  /** Projects the user (directly or through groups) has a role on, for /v3/auth/projects. */
  projectsOf(userId: string, groupIds: readonly string[]): Promise<readonly TokenScopeTarget[]>;
  /** Domains the user has a role on, for /v3/auth/domains. */
  domainsOf(userId: string, groupIds: readonly string[]): Promise<readonly TokenScopeTarget[]>;
}

export interface AuthCatalog {
  catalogFor(userId: string, projectId: string | null): Promise<CatalogEntry[]>;
}

/** What a token says, once decoded and checked. */
export interface TokenFacts {
  readonly userId: string;
  readonly methods: readonly string[];
  readonly scope: TokenScope;
  readonly appCredentialId: string | null;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
  /** The token's own audit id first, then its parent's when it was rescoped. */
  readonly auditIds: readonly string[];
}

export interface TokenMinter {
  /** Mints a token: Fernet, byte-compatible with Keystone's. */
  mint(facts: Omit<TokenFacts, "issuedAt" | "auditIds"> & { readonly parentAuditId?: string }): Promise<{
    readonly token: string;
    readonly facts: TokenFacts;
  }>;
  /**
   * Decodes and checks signature, expiry (with `allowExpiredSeconds` of grace) and revocation.
   * Throws `not_found` ("Could not find token: ...") when the token is not valid.
   */
  open(token: string, options: { readonly allowExpiredSeconds: number }): Promise<TokenFacts>;
  /** Revokes the token (by its audit id) and every token rescoped from it. Idempotent. */
  revoke(facts: TokenFacts): Promise<void>;
}
