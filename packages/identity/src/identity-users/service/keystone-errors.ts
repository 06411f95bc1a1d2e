/** Keystone's wording of the errors of this area (keystone/exception.py), in one place. */
import { conflict, notFound, StratusError, unauthorized } from "@stratus/core/errors";

/** 404 "Could not find user: <id>." */
export const userNotFound = (id: string) => notFound(`Could not find user: ${id}.`);
/** 404 "Could not find group: <id>." */
export const groupNotFound = (id: string) => notFound(`Could not find group: ${id}.`);
/** 404 "Could not find Application Credential: <id>." */
export const appCredNotFound = (id: string) => notFound(`Could not find Application Credential: ${id}.`);
/** 404 "Could not find credential: <id>." */
export const credentialNotFound = (id: string) => notFound(`Could not find credential: ${id}.`);

/** The message of every 401 that must not say why (Keystone's Unauthorized). */
export const AUTH_REQUIRED = "The request you have made requires authentication.";

/** Why a password or secret authentication failed; in `details.reason` of the 401 for the token layer. */
export type AuthFailure =
  | "invalid_credentials"
  | "user_disabled"
  | "domain_disabled"
  | "account_locked"
  | "password_expired"
  | "expired";

/** A 401 with Keystone's message for `reason` (a locked account and an expired password are named). */
export function authFailed(reason: AuthFailure, userId?: string): StratusError {
  const message =
    reason === "account_locked"
      ? `The account is locked for user: ${userId}.`
      : reason === "password_expired"
        ? `The password is expired and needs to be changed for user: ${userId}.`
        : AUTH_REQUIRED;
  return unauthorized(message, { details: { reason, ...(userId === undefined ? {} : { userId }) } });
}

/**
 * Keystone's 409 for a duplicate (keystone.common.sql.handle_conflicts):
 * "Conflict occurred attempting to store user - Duplicate entry found with name x at domain ID d."
 */
export function duplicateEntry(type: string, field: "name" | "ID", value: string, domainId?: string): StratusError {
  const where = domainId === undefined ? "" : ` at domain ID ${domainId}`;
  return conflict(
    `Conflict occurred attempting to store ${type} - Duplicate entry found with ${field} ${value}${where}.`,
  );
}

/** True for a unique-constraint violation translated by core's db layer. */
export const isUniqueViolation = (err: unknown): boolean =>
  StratusError.is(err) && err.code === "conflict" && err.details["kind"] === "unique";

/** True for a lost compare-and-swap race (core's updateWithGeneration). */
export const isLostRace = (err: unknown): boolean =>
  StratusError.is(err) && err.code === "conflict" && err.details["expectedGeneration"] !== undefined;

/** Runs `attempt` again (up to 5 times) while it loses generation races; each attempt re-reads. */
export async function retryLostRaces<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isLostRace(err) || i >= 4) throw err;
    }
  }
}
