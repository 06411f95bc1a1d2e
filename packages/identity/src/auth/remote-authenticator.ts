/**
 * keystonemiddleware's auth_token for services that are not in the identity process: validates
 * `X-Auth-Token` (and `X-Service-Token`) against any Keystone's `GET /v3/auth/tokens`, ours or
 * OpenStack's, with a cache bounded in size and in time, and sets the request context.
 *
 * ```ts
 * const authenticator = new RemoteTokenAuthenticator({
 *   identityUrl: "http://127.0.0.1:5000",
 *   serviceCredentials: { username: "nova", password: "secret", projectName: "service" },
 * });
 * const app = createServiceApp({ service: "compute", authenticator, identityUri: "http://127.0.0.1:5000" });
 * ```
 */
import { backendUnavailable } from "@stratus/core/errors";
import type { AuthenticationRequest, Authenticator, RequestContext } from "@stratus/core/http";
import { contextOfTokenBody, type TokenBodyFacts } from "./token-context.js";

export interface RemoteAuthenticatorOptions {
  /** Keystone's root URL (without /v3). */
  readonly identityUrl: string;
  /** The service user this process validates tokens as (keystonemiddleware's [keystone_authtoken]). */
  readonly serviceCredentials: {
    readonly username: string;
    readonly password: string;
    readonly projectName: string;
    readonly userDomainName?: string;
    readonly projectDomainName?: string;
  };
  /** Validated tokens kept at most (default 10 000); the least recently used go first. */
  readonly cacheSize?: number;
  /** How long a validation is trusted, in seconds (keystonemiddleware's token_cache_time, default 300). */
  readonly cacheSeconds?: number;
  /** Role names that make a service token valid (keystonemiddleware's service_token_roles, default ["service"]). */
  readonly serviceTokenRoles?: readonly string[];
  /** The roles policy treats as admin. */
  readonly adminRoles?: readonly string[];
  /** HTTP client; tests pass one. */
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

interface TokenBody {
  token: TokenBodyFacts;
}

type Validation = Omit<RequestContext, "requestId" | "globalRequestId" | "authToken">;

export class RemoteTokenAuthenticator implements Authenticator {
  readonly #cache = new Map<string, { until: number; value: Validation | null }>();
  #serviceToken: { token: string; until: number } | undefined;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;

  constructor(private readonly options: RemoteAuthenticatorOptions) {
    this.#fetch = options.fetch ?? fetch;
    this.#now = options.now ?? Date.now;
  }

  /**
   * The caller's context, or null (the kit answers 401) when the user token is missing or not
   * valid, or when a service token is sent and is not valid or lacks a service role.
   * Throws `backend_unavailable` when Keystone cannot be reached, so callers see 503, not 401.
   */
  async authenticate(request: AuthenticationRequest): Promise<RequestContext | null> {
    const token = header(request, "x-auth-token");
    if (!token) return null;
    const user = await this.#validate(token);
    if (!user) return null;
    const serviceToken = header(request, "x-service-token");
    if (serviceToken) {
      const service = await this.#validate(serviceToken);
      const roles = this.options.serviceTokenRoles ?? ["service"];
      if (!service?.roles.some((r) => roles.includes(r))) return null;
    }
    return { ...user, requestId: request.requestId, globalRequestId: request.globalRequestId, authToken: token };
  }

  /** Drops every cached validation (e.g. after a revocation notification). */
  clear(): void {
    this.#cache.clear();
  }

  async #validate(token: string): Promise<Validation | null> {
    const now = this.#now();
    const hit = this.#cache.get(token);
    if (hit && hit.until > now) return hit.value;
    const value = await this.#fetchValidation(token, true);
    const expires = value?.token ? Date.parse(value.token.expiresAt) : now;
    // cache negative answers briefly too, so a flood of bad tokens does not flood Keystone
    const until = Math.min(now + (this.options.cacheSeconds ?? 300) * 1000, value ? expires : now + 10_000);
    if (this.#cache.size >= (this.options.cacheSize ?? 10_000))
      this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(token, { until, value });
    return value;
  }

  async #fetchValidation(token: string, retry: boolean): Promise<Validation | null> {
    const res = await this.#request("GET", "/v3/auth/tokens?nocatalog", {
      "x-auth-token": await this.#ownToken(),
      "x-subject-token": token,
    });
    if (res.status === 401 && retry) {
      this.#serviceToken = undefined; // our own token expired or was revoked: get a new one once
      return this.#fetchValidation(token, false);
    }
    if (res.status === 404 || res.status === 401) return null;
    if (!res.ok) throw unavailable(`Keystone answered ${res.status} validating a token`);
    return this.#toValidation((await res.json()) as TokenBody);
  }

  #toValidation({ token }: TokenBody): Validation {
    return contextOfTokenBody(token, this.options.adminRoles ?? ["admin"]);
  }

  async #ownToken(): Promise<string> {
    const now = this.#now();
    if (this.#serviceToken && this.#serviceToken.until > now) return this.#serviceToken.token;
    const c = this.options.serviceCredentials;
    const body = {
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: { name: c.username, password: c.password, domain: { name: c.userDomainName ?? "Default" } },
          },
        },
        scope: { project: { name: c.projectName, domain: { name: c.projectDomainName ?? "Default" } } },
      },
    };
    const res = await this.#request("POST", "/v3/auth/tokens?nocatalog", { "content-type": "application/json" }, body);
    const token = res.headers.get("x-subject-token");
    if (res.status !== 201 || !token)
      throw unavailable(`the service user could not authenticate (Keystone answered ${res.status})`);
    const expiresAt = Date.parse(((await res.json()) as TokenBody).token.expires_at);
    // renew a minute early so a validation never goes out with a token about to expire
    this.#serviceToken = { token, until: Math.min(expiresAt - 60_000, now + 3_600_000) };
    return token;
  }

  async #request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
    try {
      return await this.#fetch(`${this.options.identityUrl.replace(/\/+$/, "")}${path}`, {
        method,
        headers,
        signal: AbortSignal.timeout(10_000),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (cause) {
      throw unavailable(`Keystone at ${this.options.identityUrl} could not be reached`, cause);
    }
  }
}

function header(request: AuthenticationRequest, name: string): string | undefined {
  const raw = request.headers[name];
  return Array.isArray(raw) ? raw[0] : raw;
}

function unavailable(message: string, cause?: unknown) {
  return backendUnavailable(`${message}.`, { retryable: true, ...(cause === undefined ? {} : { cause }) });
}
