/**
 * Issues and validates Keystone Fernet tokens: the token provider of keystone/token/provider.py
 * with the Fernet driver, as a primitive. Validation checks the signature against the key
 * repository, the expiry (optionally with the allow_expired window), and the revocation index.
 */
import { randomBytes } from "node:crypto";
import { notFound, StratusError, unauthorized } from "@stratus/core/errors";
import { tokenFailure, tokenFailureReason } from "./failures.js";
import type { FernetKey } from "./fernet.js";
import { type TokenPayload, versionOfKind } from "./payloads.js";
import type { RevocationIndex, TokenFacts } from "./revocation/revocation-index.js";
import { KeystoneTokenFormat, type TokenFormatOptions, type UnpackedToken } from "./token-format.js";

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The scope part of a payload: `{ kind: "project", projectId }`, `{ kind: "system", system: "all" }`, ... */
export type TokenScope = DistributiveOmit<TokenPayload, "userId" | "methods" | "expiresAt" | "auditIds">;

/** Where the provider gets its keys; FernetKeyRepository is one. */
export interface KeySource {
  /** Every key, the primary first. Throws when there is none. */
  fernetKeys(): readonly FernetKey[];
  /** The key that encrypts. */
  primary(): FernetKey;
}

/** What to issue a token for. */
export interface IssueRequest {
  /** The authenticated user. */
  readonly userId: string;
  /** How the user authenticated (names from the configured auth methods). */
  readonly methods: readonly string[];
  /** What the token is scoped to. */
  readonly scope: TokenScope;
  /** Default: now + expirationSeconds. Truncated to the second, as Keystone renders it. */
  readonly expiresAt?: Date;
  /** The new token's audit id (default: 16 random bytes, url-safe base64 unpadded, as Keystone). */
  readonly auditId?: string;
  /** The audit id of the chain this token continues (a rescope: the first token's audit id). */
  readonly parentAuditId?: string;
}

/** A validated token: its payload, issued_at and its audit ids split as Keystone's TokenModel does. */
export type ValidatedToken = UnpackedToken & {
  /** auditIds[0]: this token. */
  readonly auditId: string;
  /** auditIds[1] when present: the chain (Keystone's parent_audit_id / audit_chain_id). */
  readonly parentAuditId?: string;
};

/** Options of validate(). */
export interface ValidateOptions {
  /** Accept a token up to allowExpiredWindowSeconds past its expiry (`?allow_expired=1`). */
  readonly allowExpired?: boolean;
  /**
   * "auth" (default): the caller's own X-Auth-Token; every failure is `unauthorized` (401, as
   * keystonemiddleware answers). "subject": an X-Subject-Token being validated; every failure is
   * `not_found` "Could not find token" (404, as GET /v3/auth/tokens answers, garbage included).
   */
  readonly purpose?: "auth" | "subject";
}

/** Options of a TokenProvider. */
export interface TokenProviderOptions extends TokenFormatOptions {
  /** The key repository. */
  readonly keys: KeySource;
  /** Revocation events to consult; none means no token is ever revoked. */
  readonly revocations?: RevocationIndex;
  /** Facts about a token the payload lacks (user's domain, project's domain, roles, trustor...). */
  readonly tokenFacts?: (token: ValidatedToken) => Partial<TokenFacts> | Promise<Partial<TokenFacts>>;
  /** `[token] expiration` (default 3600 s). */
  readonly expirationSeconds?: number;
  /** `[token] allow_expired_window` (default 48 h). */
  readonly allowExpiredWindowSeconds?: number;
  /** The clock (default: Date.now). */
  readonly now?: () => number;
}

/** Keystone's `random_urlsafe_str`: 16 random bytes, url-safe base64 without padding (22 chars). */
export function newAuditId(): string {
  return randomBytes(16).toString("base64url");
}

/** Issues and validates Keystone-compatible Fernet tokens. */
export class TokenProvider {
  readonly #format: KeystoneTokenFormat;
  readonly #keys: KeySource;
  readonly #revocations: RevocationIndex | undefined;
  readonly #facts: TokenProviderOptions["tokenFacts"];
  readonly #expirationMs: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: TokenProviderOptions) {
    this.#format = new KeystoneTokenFormat(options);
    this.#keys = options.keys;
    this.#revocations = options.revocations;
    this.#facts = options.tokenFacts;
    this.#expirationMs = (options.expirationSeconds ?? 3600) * 1000;
    this.#windowMs = (options.allowExpiredWindowSeconds ?? 48 * 3600) * 1000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Mints a token with the primary key. Returns the token string and its payload (with issuedAt).
   * Throws `bad_request` for fields Keystone cannot encode (unknown method, non-UUID trust id...).
   */
  issue(request: IssueRequest): { readonly token: string; readonly payload: ValidatedToken } {
    const now = this.#now();
    const expiresAt = request.expiresAt ?? new Date(now + this.#expirationMs);
    const auditId = request.auditId ?? newAuditId();
    const auditIds = request.parentAuditId === undefined ? [auditId] : [auditId, request.parentAuditId];
    const payload = {
      ...request.scope,
      userId: request.userId,
      methods: request.methods,
      expiresAt: new Date(Math.floor(expiresAt.getTime() / 1000) * 1000),
      auditIds,
    } as TokenPayload;
    const issuedAt = new Date(Math.floor(now / 1000) * 1000);
    const token = this.#format.pack(payload, this.#keys.primary(), { now: issuedAt });
    const { version } = versionOfKind(payload.kind);
    return { token, payload: withAudit({ ...payload, version, issuedAt }) };
  }

  /**
   * The token's payload when it is genuine, unexpired (or within the window with allowExpired) and
   * not revoked. Throws `unauthorized` or `not_found` (per `purpose`) with `details.reason`:
   * malformed, bad_signature, unsupported_version, token_expired, revoked, no_keys.
   */
  async validate(token: string, options: ValidateOptions = {}): Promise<ValidatedToken> {
    try {
      const payload = withAudit(this.#format.unpack(token, this.#keys.fernetKeys()));
      const window = options.allowExpired ? this.#windowMs : 0;
      if (this.#now() >= payload.expiresAt.getTime() + window) {
        throw tokenFailure("token_expired", "The token has expired.");
      }
      if (this.#revocations !== undefined) {
        await this.#revocations.refreshIfStale();
        const extra = this.#facts === undefined ? {} : await this.#facts(payload);
        if (this.#revocations.isRevoked({ ...factsOf(payload), ...extra })) {
          throw tokenFailure("revoked", "The token has been revoked.");
        }
      }
      return payload;
    } catch (err) {
      const reason = tokenFailureReason(err);
      if (reason === undefined || !StratusError.is(err) || err.code !== "unauthorized") throw err;
      const details = { reason };
      if (options.purpose === "subject") throw notFound(`Could not find token: ${token}.`, { cause: err, details });
      throw unauthorized("The request you have made requires authentication.", { cause: err, details });
    }
  }
}

function withAudit(token: UnpackedToken): ValidatedToken {
  const [auditId, parentAuditId] = token.auditIds;
  return parentAuditId === undefined ? { ...token, auditId: auditId! } : { ...token, auditId: auditId!, parentAuditId };
}

/** The revocation facts a payload holds by itself (Keystone's build_token_values, minus lookups). */
export function factsOf(token: ValidatedToken): TokenFacts {
  const facts: { -readonly [K in keyof TokenFacts]: TokenFacts[K] } = {
    issuedAt: token.issuedAt,
    expiresAt: token.expiresAt,
    userId: token.userId,
    auditId: token.auditId,
  };
  if (token.parentAuditId !== undefined) facts.auditChainId = token.parentAuditId;
  if ("projectId" in token) facts.projectId = token.projectId;
  if (token.kind === "domain" || token.kind === "federated_domain") facts.assignmentDomainId = token.domainId;
  if (token.kind === "trust") facts.trustId = token.trustId;
  if (token.kind === "oauth1") facts.accessTokenId = token.accessTokenId;
  return facts;
}
