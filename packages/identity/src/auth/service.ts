/**
 * Issuing, validating and revoking tokens: Keystone's `POST/GET/HEAD/DELETE /v3/auth/tokens`
 * without the HTTP. Authentication methods: password, token (rescoping) and application
 * credential; scopes: project, domain, system, unscoped, or the user's default project.
 *
 * Validation re-reads what a Fernet token does not carry (the user, the scope, the roles) and so
 * is cached: a rendered validation is kept per token until anything in identity changes
 * (`invalidate()`, called on every write and revocation) or the token expires, so the cache can
 * never serve a revoked token or stale roles.
 */
import { badRequest, notFound, unauthorized } from "@stratus/core/errors";
import type {
  AuthCatalog,
  AuthRoles,
  AuthScopes,
  AuthUsers,
  TokenFacts,
  TokenMinter,
  TokenScope,
  TokenUser,
} from "./ports.js";
import { renderToken, type TokenBody } from "./render.js";
import type { AuthRequest } from "./request-body.js";

export interface AuthServiceOptions {
  /** Token lifetime in seconds (Keystone's [token] expiration, default 3600). */
  readonly expirationSeconds?: number;
  /** How long after expiry `allow_expired=1` still validates (Keystone's allow_expired_window, 48 h). */
  readonly allowExpiredWindowSeconds?: number;
  /** Most validations kept in the cache (least recently used go first). */
  readonly cacheSize?: number;
  /** The clock; tests move it. */
  readonly now?: () => Date;
}

export interface AuthServiceDeps {
  readonly users: AuthUsers;
  readonly scopes: AuthScopes;
  readonly roles: AuthRoles;
  readonly catalog: AuthCatalog;
  readonly tokens: TokenMinter;
}

export interface IssuedToken {
  readonly token: string;
  readonly body: TokenBody;
}

/** A validated token with everything a request context needs. */
export interface ValidatedToken {
  readonly facts: TokenFacts;
  readonly body: TokenBody;
  /** The body as JSON, serialized once per validation (cached validations reuse it). */
  readonly json: string;
}

const METHODS = ["password", "token", "application_credential"] as const;
const AUTH_FAILED = "The request you have made requires authentication.";

export class AuthService {
  readonly #expiration: number;
  readonly #allowExpiredWindow: number;
  readonly #cacheSize: number;
  readonly #now: () => Date;
  readonly #cache = new Map<string, { generation: number; expiresAt: number; value: ValidatedToken }>();
  #generation = 0;

  constructor(
    private readonly deps: AuthServiceDeps,
    options: AuthServiceOptions = {},
  ) {
    this.#expiration = options.expirationSeconds ?? 3600;
    this.#allowExpiredWindow = options.allowExpiredWindowSeconds ?? 172_800;
    this.#cacheSize = options.cacheSize ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** Forgets every cached validation: call after any change to users, roles, scopes or revocations. */
  invalidate(): void {
    this.#generation++;
    this.#cache.clear();
  }

  /**
   * Authenticates and mints a token. Throws `unauthorized` for bad credentials, a scope the user
   * has no role on, or a disabled or missing user, project or domain; `bad_request` for a body
   * that names a method without its section.
   */
  async issue(auth: AuthRequest, options: { readonly includeCatalog: boolean }): Promise<IssuedToken> {
    const { identity } = auth;
    for (const method of identity.methods) {
      if (!(METHODS as readonly string[]).includes(method)) {
        throw unauthorized("Attempted to authenticate with an unsupported method.");
      }
      if (identity[method] === undefined) throw badRequest(expecting(method, "identity"));
    }
    const methods = [...new Set(identity.methods)];
    let user: TokenUser | undefined;
    // caps from the parent token or the application credential; the lifetime counts from minting
    let cap: Date | undefined;
    let parentAuditId: string | undefined;
    let appCred: { id: string; projectId: string; roleIds: readonly string[] } | undefined;
    let inheritedScope: TokenScope | undefined;

    const sameUser = (next: TokenUser) => {
      if (user && user.id !== next.id) throw unauthorized(AUTH_FAILED);
      user = next;
    };
    if (identity.password) sameUser(await this.#passwordUser(identity.password.user));
    if (identity.token) {
      const previous = await this.deps.tokens.open(identity.token.id, { allowExpiredSeconds: 0 }).catch(() => {
        throw unauthorized(AUTH_FAILED);
      });
      if (previous.appCredentialId !== null) throw unauthorized(AUTH_FAILED);
      sameUser(await this.#enabledUser(previous.userId));
      cap = previous.expiresAt; // a rescoped token never outlives its parent
      parentAuditId = previous.auditIds[0];
      for (const m of previous.methods) if (!methods.includes(m)) methods.push(m);
      inheritedScope = previous.scope;
    }
    if (identity.application_credential) {
      const grant = await this.#appCredential(identity.application_credential);
      sameUser(await this.#enabledUser(grant.userId));
      appCred = grant;
      if (grant.expiresAt !== null && (cap === undefined || new Date(grant.expiresAt) < cap))
        cap = new Date(grant.expiresAt);
    }
    if (!user) throw unauthorized(AUTH_FAILED);

    let scope: TokenScope;
    if (appCred) {
      if (auth.scope !== undefined) throw unauthorized("Application credentials cannot request a scope.");
      scope = { kind: "project", projectId: appCred.projectId };
    } else {
      scope = await this.#requestedScope(auth.scope, user, inheritedScope);
    }
    const groupIds = await this.deps.users.groupIdsOfUser(user.id);
    let roles = scope.kind === "unscoped" ? [] : await this.deps.roles.effectiveRoles(user.id, groupIds, scope);
    if (appCred) {
      const granted = new Set(appCred.roleIds);
      roles = roles.filter((r) => granted.has(r.id));
    }
    if (scope.kind !== "unscoped" && roles.length === 0) throw unauthorized(noAccess(user.id, scope));

    const lifetime = new Date(this.#now().getTime() + this.#expiration * 1000);
    const expiresAt = cap !== undefined && cap < lifetime ? cap : lifetime;
    const minted = await this.deps.tokens.mint({
      userId: user.id,
      methods,
      scope,
      appCredentialId: appCred?.id ?? null,
      expiresAt,
      ...(parentAuditId === undefined ? {} : { parentAuditId }),
    });
    const body = await this.#render(minted.facts, user, roles, options.includeCatalog);
    return { token: minted.token, body };
  }

  /**
   * Validates a token: its signature, expiry (with the allow-expired window when asked) and
   * revocation, then that its user, scope and roles still hold. Throws `not_found`
   * ("Could not find token: <token>.") when any of that fails, as Keystone does.
   */
  async validate(
    token: string,
    options: { readonly allowExpired?: boolean; readonly includeCatalog?: boolean } = {},
  ): Promise<ValidatedToken> {
    const includeCatalog = options.includeCatalog ?? true;
    const key = `${includeCatalog ? "c" : "n"}${options.allowExpired ? "x" : "-"}${token}`;
    const now = this.#now().getTime();
    const hit = this.#cache.get(key);
    if (hit && hit.generation === this.#generation && (options.allowExpired || hit.expiresAt > now)) {
      // refresh its place in the LRU order
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit.value;
    }
    const generation = this.#generation;
    const value = await this.#validateUncached(token, options.allowExpired === true, includeCatalog);
    if (generation === this.#generation) {
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(key, { generation, expiresAt: value.facts.expiresAt.getTime(), value });
    }
    return value;
  }

  /** Revokes a token and those rescoped from it; throws `not_found` when it is not valid. */
  async revoke(token: string): Promise<void> {
    const facts = await this.deps.tokens.open(token, { allowExpiredSeconds: 0 });
    await this.deps.tokens.revoke(facts);
    this.invalidate();
  }

  async #validateUncached(token: string, allowExpired: boolean, includeCatalog: boolean): Promise<ValidatedToken> {
    const gone = () => notFound(`Could not find token: ${token}.`);
    const facts = await this.deps.tokens
      .open(token, { allowExpiredSeconds: allowExpired ? this.#allowExpiredWindow : 0 })
      .catch(() => {
        throw gone();
      });
    const user = await this.deps.users.getUser(facts.userId);
    if (!user?.enabled) throw gone();
    if (facts.appCredentialId !== null) {
      // a token made with an application credential dies with it (deleted or expired)
      const grant = await this.deps.users.getApplicationCredential(facts.appCredentialId);
      if (!grant || (grant.expiresAt !== null && new Date(grant.expiresAt) <= this.#now())) throw gone();
    }
    const { scope } = facts;
    if (scope.kind === "project" && !(await this.deps.scopes.isProjectUsable(scope.projectId))) throw gone();
    if (scope.kind === "domain" && !(await this.deps.scopes.getDomain(scope.domainId))?.enabled) throw gone();
    let roles: Awaited<ReturnType<AuthRoles["effectiveRoles"]>> = [];
    if (scope.kind !== "unscoped") {
      roles = await this.deps.roles.effectiveRoles(user.id, await this.deps.users.groupIdsOfUser(user.id), scope);
      if (roles.length === 0) throw gone();
    }
    const body = await this.#render(facts, user, roles, includeCatalog);
    return { facts, body, json: JSON.stringify(body) };
  }

  async #render(
    facts: TokenFacts,
    user: TokenUser,
    roles: Awaited<ReturnType<AuthRoles["effectiveRoles"]>>,
    includeCatalog: boolean,
  ) {
    const { scope } = facts;
    const userDomain = await this.deps.scopes.getDomain(user.domainId);
    const project = scope.kind === "project" ? await this.deps.scopes.getProject(scope.projectId) : undefined;
    const projectDomain = project?.domainId ? await this.deps.scopes.getDomain(project.domainId) : undefined;
    const domain = scope.kind === "domain" ? await this.deps.scopes.getDomain(scope.domainId) : undefined;
    const catalog =
      includeCatalog && scope.kind !== "unscoped"
        ? await this.deps.catalog.catalogFor(user.id, scope.kind === "project" ? scope.projectId : null)
        : undefined;
    const appCredential =
      facts.appCredentialId === null
        ? undefined
        : await this.deps.users.getApplicationCredential(facts.appCredentialId);
    return renderToken({ facts, user, userDomain, project, projectDomain, domain, roles, catalog, appCredential });
  }

  async #passwordUser(ref: {
    id?: string | undefined;
    name?: string | undefined;
    domain?: { id?: string | undefined; name?: string | undefined } | undefined;
    password: string;
  }): Promise<TokenUser> {
    const found = await this.#lookupUser(ref);
    return this.deps.users.checkPassword(found.id, ref.password);
  }

  async #lookupUser(ref: {
    id?: string | undefined;
    name?: string | undefined;
    domain?: { id?: string | undefined; name?: string | undefined } | undefined;
  }): Promise<TokenUser> {
    if (ref.id) {
      const u = await this.deps.users.getUser(ref.id);
      if (!u) throw unauthorized(AUTH_FAILED);
      return u;
    }
    if (!ref.name) throw badRequest(expecting("name or ID", "user"));
    if (!ref.domain || (!ref.domain.id && !ref.domain.name)) throw badRequest(expecting("domain", "user"));
    const domain = ref.domain.id
      ? await this.deps.scopes.getDomain(ref.domain.id)
      : await this.deps.scopes.findDomain(ref.domain.name ?? "");
    if (!domain?.enabled) throw unauthorized(AUTH_FAILED);
    const u = await this.deps.users.findUser(ref.name, domain.id);
    if (!u) throw unauthorized(AUTH_FAILED);
    return u;
  }

  async #enabledUser(id: string): Promise<TokenUser> {
    const u = await this.deps.users.getUser(id);
    if (!u?.enabled) throw unauthorized(AUTH_FAILED);
    const domain = await this.deps.scopes.getDomain(u.domainId);
    if (!domain?.enabled) throw unauthorized(AUTH_FAILED);
    return u;
  }

  async #appCredential(ref: NonNullable<AuthRequest["identity"]["application_credential"]>) {
    if (ref.id) return this.deps.users.checkApplicationCredential({ id: ref.id }, ref.secret);
    if (!ref.name) throw badRequest(expecting("name or ID", "application credential"));
    if (!ref.user) throw badRequest(expecting("user", "application credential"));
    const owner = await this.#lookupUser(ref.user);
    return this.deps.users.checkApplicationCredential({ name: ref.name, userId: owner.id }, ref.secret);
  }

  async #requestedScope(
    requested: AuthRequest["scope"],
    user: TokenUser,
    inherited: TokenScope | undefined,
  ): Promise<TokenScope> {
    if (requested === "unscoped") return { kind: "unscoped" };
    if (requested === undefined) {
      if (inherited && inherited.kind !== "unscoped") return inherited;
      return this.#defaultScope(user);
    }
    const given = [requested.project, requested.domain, requested.system, requested["OS-TRUST:trust"]].filter(
      (x) => x !== undefined,
    );
    if (given.length > 1)
      throw badRequest("Scoping to more than one of project, domain, system and trust is not allowed.");
    if (requested["OS-TRUST:trust"]) throw unauthorized("Trusts are not supported by this deployment.");
    if (requested.system) return { kind: "system" };
    if (requested.domain) {
      const d = requested.domain.id
        ? await this.deps.scopes.getDomain(requested.domain.id)
        : await this.deps.scopes.findDomain(requested.domain.name ?? "");
      if (!d) throw unauthorized(`Could not find domain: ${requested.domain.id ?? requested.domain.name}.`);
      if (!d.enabled) throw unauthorized(AUTH_FAILED);
      return { kind: "domain", domainId: d.id };
    }
    if (requested.project) {
      const p = requested.project;
      let project: Awaited<ReturnType<AuthScopes["getProject"]>>;
      if (p.id) project = await this.deps.scopes.getProject(p.id);
      else {
        if (!p.domain) throw badRequest(expecting("domain", "project"));
        const d = p.domain.id
          ? await this.deps.scopes.getDomain(p.domain.id)
          : await this.deps.scopes.findDomain(p.domain.name ?? "");
        if (!d?.enabled) throw unauthorized(`Could not find domain: ${p.domain.id ?? p.domain.name}.`);
        project = await this.deps.scopes.findProject(p.name ?? "", d.id);
      }
      if (!project) throw unauthorized(`Could not find project: ${p.id ?? p.name}.`);
      if (!(await this.deps.scopes.isProjectUsable(project.id))) throw unauthorized(AUTH_FAILED);
      return { kind: "project", projectId: project.id };
    }
    return this.#defaultScope(user);
  }

  /** No scope asked for: the user's default project when it is usable and they have a role there. */
  async #defaultScope(user: TokenUser): Promise<TokenScope> {
    const id = user.defaultProjectId;
    if (!id || !(await this.deps.scopes.isProjectUsable(id))) return { kind: "unscoped" };
    const scope: TokenScope = { kind: "project", projectId: id };
    const roles = await this.deps.roles.effectiveRoles(user.id, await this.deps.users.groupIdsOfUser(user.id), scope);
    return roles.length > 0 ? scope : { kind: "unscoped" };
  }
}

function expecting(attribute: string, target: string): string {
  return `Expecting to find ${attribute} in ${target}. The server could not comply with the request since it is either malformed or otherwise incorrect. The client is assumed to be in error.`;
}

function noAccess(userId: string, scope: TokenScope): string {
  switch (scope.kind) {
    case "project":
      return `User ${userId} has no access to project ${scope.projectId}`;
    case "domain":
      return `User ${userId} has no access to domain ${scope.domainId}`;
    default:
      return `User ${userId} has no access to the system`;
  }
}
