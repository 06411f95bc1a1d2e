/**
 * Keystone's password rules as pure functions of (user, policy, now): lockout, expiry, the
 * password regex, minimum age and the bcrypt length limit. No I/O.
 */
import { badRequest, forbidden } from "@stratus/core/errors";
import type { SecurityComplianceOptions } from "../options.js";
import type { User, UserOptions } from "./user.js";

const DAY_MS = 86_400_000;

/** bcrypt mixes at most 72 bytes; Keystone truncates (or rejects, when strict) past that. */
export const BCRYPT_MAX_BYTES = 72;

/** Whether a user is locked out, and whether an old lock has lapsed and its counter should be reset. */
export function lockoutState(
  user: Pick<User, "failedAuthCount" | "failedAuthAt" | "options">,
  policy: SecurityComplianceOptions,
  now: Date,
): { readonly locked: boolean; readonly lapsed: boolean } {
  if (user.options.ignore_lockout_failure_attempts === true) return { locked: false, lapsed: false };
  const max = policy.lockoutFailureAttempts;
  if (max === undefined || user.failedAuthCount < max) return { locked: false, lapsed: false };
  if (policy.lockoutDuration === 0) return { locked: true, lapsed: false };
  const last = user.failedAuthAt?.getTime() ?? 0;
  return last + policy.lockoutDuration * 1000 > now.getTime()
    ? { locked: true, lapsed: false }
    : { locked: false, lapsed: true };
}

/** When a password set at `createdAt` expires (whole seconds, as Keystone stores it), or null. */
export function passwordExpiry(createdAt: Date, options: UserOptions, policy: SecurityComplianceOptions): Date | null {
  if (options.ignore_password_expiry === true || !policy.passwordExpiresDays) return null;
  const at = createdAt.getTime() + policy.passwordExpiresDays * DAY_MS;
  return new Date(Math.floor(at / 1000) * 1000);
}

/** True when the user's current password has expired and the user is not exempt. */
export function isPasswordExpired(user: Pick<User, "passwordExpiresAt" | "options">, now: Date): boolean {
  if (user.passwordExpiresAt === null || user.options.ignore_password_expiry === true) return false;
  return now.getTime() >= user.passwordExpiresAt.getTime();
}

/** True when an administrator-set password must be changed on first use. */
export function mustChangeOnFirstUse(options: UserOptions, policy: SecurityComplianceOptions): boolean {
  return policy.changePasswordUponFirstUse && options.ignore_change_password_upon_first_use !== true;
}

/** Throws Keystone's 400 when `password` does not match `password_regex`; passes otherwise. */
export function checkPasswordRequirements(password: string, policy: SecurityComplianceOptions): void {
  if (policy.passwordRegex === undefined) return;
  let pattern: RegExp;
  try {
    // Python's re.match anchors at the start only.
    pattern = new RegExp(`^(?:${policy.passwordRegex})`, "u");
  } catch {
    throw badRequest("Password validation error: Unable to validate password due to invalid configuration.");
  }
  if (!pattern.test(password)) {
    throw badRequest(`The password does not match the requirements: ${policy.passwordRegexDescription ?? "None"}.`);
  }
}

/** Throws Keystone's 400 when a self-service password is younger than `minimum_password_age`. */
export function checkMinimumAge(
  user: Pick<User, "passwordCreatedAt" | "passwordSelfService">,
  policy: SecurityComplianceOptions,
  now: Date,
): void {
  if (!user.passwordSelfService || user.passwordCreatedAt === null) return;
  const minAge = user.passwordCreatedAt.getTime() + policy.minimumPasswordAge * DAY_MS;
  if (now.getTime() >= minAge) return;
  const daysLeft = Math.floor((minAge - now.getTime()) / DAY_MS);
  throw badRequest(
    "You cannot change your password at this time due to the minimum password age. Once you change your " +
      `password, it must be used for ${policy.minimumPasswordAge} day(s) before it can be changed. Please try ` +
      `again in ${daysLeft} day(s) or contact your administrator to reset your password.`,
  );
}

/** The Keystone 400 for a password equal to one of the last `count`. */
export const passwordHistoryError = (count: number) =>
  badRequest(
    "The new password cannot be identical to a previous password. The total number which includes the new " +
      `password must be unique is ${count}.`,
  );

/** The Keystone 400 for a user whose `lock_password` option forbids self-service changes. */
export const passwordSelfServiceDisabled = () =>
  badRequest(
    "You cannot change your password at this time due to password policy disallowing password changes. " +
      "Please contact your administrator to reset your password.",
  );

/**
 * The bytes bcrypt hashes for `password`: its UTF-8, cut at 72 bytes as Keystone does; with
 * `strict`, a password over the limit is Keystone's 403 PasswordVerificationError instead.
 */
export function passwordBytes(password: string, options: { maxLength: number; strict: boolean }): Buffer {
  const max = Math.min(options.maxLength, BCRYPT_MAX_BYTES);
  const bytes = Buffer.from(password, "utf8");
  if (bytes.length <= max) return bytes;
  if (options.strict) {
    throw forbidden(
      `The password length must be less than or equal to ${max}. The server could not comply with the ` +
        "request because the password is invalid.",
    );
  }
  return bytes.subarray(0, max);
}
