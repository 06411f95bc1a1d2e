/**
 * Who is calling: the request context (oslo.context's fields) and the port that produces it from
 * a request's token. Keystone's own token validation, keystonemiddleware against a remote Keystone,
 * or the static table below for tests all implement `Authenticator`.
 */

/** The identity and scope a request acts with, as oslo.context carries it. */
export interface RequestContext {
  /** The Keystone user id; null for a service acting without a user. */
  readonly userId: string | null;
  /** The project the token is scoped to; null for domain or system scope. */
  readonly projectId: string | null;
  /** The domain the token is scoped to (or the project's domain); null when unknown. */
  readonly domainId: string | null;
  /** Role names on the scope, lower-case as Keystone returns them. */
  readonly roles: readonly string[];
  /** `"all"` for a system-scoped token, else null. */
  readonly systemScope: "all" | null;
  /** Whether policy treats the caller as an administrator. */
  readonly isAdmin: boolean;
  /** Our request id (`req-<uuid>`), also sent as `x-openstack-request-id`. */
  readonly requestId: string;
  /** The caller's well-formed `X-OpenStack-Request-ID`, kept as the global request id; else null. */
  readonly globalRequestId: string | null;
  /** The `X-Auth-Token` the request carried (pass it on to other services; never log it). */
  readonly authToken: string;
  /** The domain of the user (policy's `user_domain_id`), when the authenticator knows it. */
  readonly userDomainId?: string | null;
  /** The domain of the scoped project (policy's `project_domain_id`), when known. */
  readonly projectDomainId?: string | null;
  /** Whether the token is scoped to the deployment's admin project (policy's `is_admin_project`). */
  readonly isAdminProject?: boolean;
  /** Token facts a service may need (audit ids, expiry, auth methods), when the authenticator has them. */
  readonly token?: {
    readonly auditIds: readonly string[];
    readonly expiresAt: string;
    readonly methods: readonly string[];
  };
}

/** What an authenticator sees of a request. */
export interface AuthenticationRequest {
  /** The request headers, names lower-cased. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Our request id, to put in the context. */
  readonly requestId: string;
  /** The caller's global request id, if it sent a well-formed one. */
  readonly globalRequestId: string | null;
}

/** The port the http kit calls for every protected route. */
export interface Authenticator {
  /**
   * The caller's context, or null when the token is missing, invalid or expired (the kit answers
   * 401). Throws only when it cannot decide (e.g. Keystone unreachable: `backend_unavailable`).
   * Idempotent for the same headers.
   */
  authenticate(request: AuthenticationRequest): Promise<RequestContext | null>;
}

/** The identity a static token stands for; omitted fields take harmless defaults. */
export type StaticIdentity = Partial<Omit<RequestContext, "requestId" | "globalRequestId" | "authToken">>;

/** The `X-Auth-Token` of a request, or null when absent or empty. */
export function authTokenOf(headers: AuthenticationRequest["headers"]): string | null {
  const raw = headers["x-auth-token"];
  const token = Array.isArray(raw) ? raw[0] : raw;
  return token === undefined || token === "" ? null : token;
}

/**
 * An authenticator with a fixed table of tokens, for tests and the embedded profile:
 * `new StaticAuthenticator({ "admin-token": { userId: "u1", projectId: "p1", roles: ["admin"], isAdmin: true } })`.
 */
export class StaticAuthenticator implements Authenticator {
  private readonly tokens: Map<string, StaticIdentity>;

  constructor(tokens: Readonly<Record<string, StaticIdentity>>) {
    this.tokens = new Map(Object.entries(tokens));
  }

  /** Makes `token` stand for `identity` from now on (a test's newly created user). */
  add(token: string, identity: StaticIdentity): void {
    this.tokens.set(token, identity);
  }

  /** The context for a known token, null for an unknown or missing one; never throws. */
  authenticate(request: AuthenticationRequest): Promise<RequestContext | null> {
    const token = authTokenOf(request.headers);
    const identity = token === null ? undefined : this.tokens.get(token);
    if (token === null || identity === undefined) return Promise.resolve(null);
    return Promise.resolve({
      userId: identity.userId ?? null,
      projectId: identity.projectId ?? null,
      domainId: identity.domainId ?? null,
      roles: identity.roles ?? [],
      systemScope: identity.systemScope ?? null,
      isAdmin: identity.isAdmin ?? false,
      requestId: request.requestId,
      globalRequestId: request.globalRequestId,
      authToken: token,
    });
  }
}
