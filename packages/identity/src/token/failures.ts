import { StratusError } from "@stratus/core/errors";

/**
 * Why a token was refused. Every failure of this area is a StratusError whose `details.reason`
 * is one of these, so callers (and tests) can tell a tampered token from an expired one.
 */
export type TokenFailureReason =
  /** Not base64url, too short, wrong version byte, bad padding, or a payload that does not parse. */
  | "malformed"
  /** No key of the repository produced this HMAC: tampered, or signed with a key we do not hold. */
  | "bad_signature"
  /** The Fernet timestamp is older than the ttl asked for. */
  | "expired"
  /** The Fernet timestamp is more than 60 s in the future (only checked with a ttl, as the spec says). */
  | "clock_skew"
  /** The payload's version is not one Keystone defines. */
  | "unsupported_version"
  /** The token's expires_at (plus any allow_expired window) has passed. */
  | "token_expired"
  /** A revocation event matches the token. */
  | "revoked"
  /** The key repository holds no usable key. */
  | "no_keys";

/** The reason of a token failure, or undefined when `err` is not one. */
export function tokenFailureReason(err: unknown): TokenFailureReason | undefined {
  if (!StratusError.is(err)) return undefined;
  const reason = err.details["reason"];
  return typeof reason === "string" ? (reason as TokenFailureReason) : undefined;
}

/** An `unauthorized` StratusError carrying `reason` (the code every Fernet/payload failure starts as). */
export function tokenFailure(reason: TokenFailureReason, message: string, cause?: unknown): StratusError {
  return new StratusError(
    "unauthorized",
    message,
    cause === undefined ? { details: { reason } } : { details: { reason }, cause },
  );
}
