/**
 * Keystone's revocation events (keystone/models/revoke_model.py): an event names some attributes;
 * a token is revoked by it when the token has every one of them and was issued at or before the
 * event's `issued_before`.
 */
import { badRequest } from "@stratus/core/errors";

/** The attributes an event may constrain (Keystone's `_NAMES` plus the derived domain_scope_id). */
export const EVENT_ATTRIBUTES = [
  "userId",
  "projectId",
  "domainId",
  "domainScopeId",
  "roleId",
  "trustId",
  "consumerId",
  "accessTokenId",
  "auditId",
  "auditChainId",
  "expiresAt",
] as const;

/** One of EVENT_ATTRIBUTES. */
export type EventAttribute = (typeof EVENT_ATTRIBUTES)[number];

/** A revocation event as stored. Unset attributes match any token. */
export interface RevocationEvent {
  /** Tokens of this user, as user, trustor or trustee. */
  readonly userId?: string;
  /** Tokens scoped to this project. */
  readonly projectId?: string;
  /** Tokens whose user's domain or scope domain is this one (all tokens of a domain). */
  readonly domainId?: string;
  /** Domain-scoped tokens of this domain (Keystone derives it from domain_id + expires_at). */
  readonly domainScopeId?: string;
  /** Tokens carrying this role. */
  readonly roleId?: string;
  /** Tokens of this trust. */
  readonly trustId?: string;
  /** Tokens obtained through this OAuth1 consumer. */
  readonly consumerId?: string;
  /** Tokens obtained through this OAuth1 access token. */
  readonly accessTokenId?: string;
  /** The one token with this audit id. */
  readonly auditId?: string;
  /** Tokens whose parent audit id (the chain) is this one. */
  readonly auditChainId?: string;
  /** Tokens expiring at this instant (whole seconds). */
  readonly expiresAt?: Date;
  /** Tokens issued at or before this instant are revoked. */
  readonly issuedBefore: Date;
  /** When the event was recorded; events older than token lifetime + buffer are pruned. */
  readonly revokedAt: Date;
}

/** What a caller gives to record an event; times default as Keystone's RevokeEvent does. */
export type RevocationEventInput = Omit<RevocationEvent, "domainScopeId" | "issuedBefore" | "revokedAt"> & {
  /** Default: revokedAt. */
  readonly issuedBefore?: Date;
  /** Default: now, truncated to the second. */
  readonly revokedAt?: Date;
};

/**
 * Normalizes an event as Keystone's RevokeEvent: domain_id with expires_at means one
 * domain-scoped token (domain_scope_id); expires_at and a default revoked_at are truncated to the
 * second; issued_before defaults to revoked_at. Throws `bad_request` for an event with no attribute.
 */
export function revocationEvent(input: RevocationEventInput, now: Date = new Date()): RevocationEvent {
  const revokedAt = input.revokedAt ?? new Date(Math.floor(now.getTime() / 1000) * 1000);
  const { domainId, expiresAt, issuedBefore, revokedAt: _r, ...rest } = input;
  const out: { -readonly [K in keyof RevocationEvent]: RevocationEvent[K] } = {
    ...rest,
    issuedBefore: issuedBefore ?? revokedAt,
    revokedAt,
  };
  if (expiresAt !== undefined) out.expiresAt = new Date(Math.floor(expiresAt.getTime() / 1000) * 1000);
  if (domainId !== undefined) {
    if (expiresAt !== undefined) out.domainScopeId = domainId;
    else out.domainId = domainId;
  }
  if (!EVENT_ATTRIBUTES.some((a) => out[a] !== undefined)) {
    // Keystone would store it and revoke every token; an empty event is always a bug.
    throw badRequest("A revocation event must name at least one attribute (user, project, audit id, ...).");
  }
  return out;
}

/** Revokes every token of a user (user deleted or disabled, password changed, assignment removed). */
export const revokeUser = (userId: string): RevocationEventInput => ({ userId });
/** Revokes the one token with this audit id (DELETE /v3/auth/tokens). */
export const revokeAuditId = (auditId: string): RevocationEventInput => ({ auditId });
/** Revokes a token chain, optionally only its tokens scoped to a project or domain. */
export const revokeAuditChain = (
  auditChainId: string,
  scope: { readonly projectId?: string; readonly domainId?: string } = {},
): RevocationEventInput => {
  if (scope.projectId !== undefined && scope.domainId !== undefined) {
    throw badRequest("A chain revocation names a project or a domain, not both.");
  }
  return { auditChainId, ...scope };
};
/** Revokes every token scoped to a project (project deleted). */
export const revokeProject = (projectId: string): RevocationEventInput => ({ projectId });
/** Revokes every token of a domain (its users' and its scope's). */
export const revokeDomain = (domainId: string): RevocationEventInput => ({ domainId });
/** Revokes every token of a trust (trust deleted). */
export const revokeTrust = (trustId: string): RevocationEventInput => ({ trustId });
/** Revokes every token obtained through an OAuth1 consumer (consumer deleted). */
export const revokeConsumer = (consumerId: string): RevocationEventInput => ({ consumerId });
/** Revokes every token obtained through one OAuth1 access token. */
export const revokeAccessToken = (accessTokenId: string): RevocationEventInput => ({ accessTokenId });
/** Revokes tokens carrying a role, optionally only a user's and/or on one project (a removed assignment). */
export const revokeRoleAssignment = (
  roleId: string,
  on: { readonly userId?: string; readonly projectId?: string } = {},
): RevocationEventInput => ({ roleId, ...on });
