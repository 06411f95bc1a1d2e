/**
 * The typed configuration of users, passwords and credentials: Keystone's `[identity]`,
 * `[security_compliance]`, `[application_credential]` and `[credential]` options that matter
 * here, validated once with zod (every field has Keystone's default).
 */
import { z } from "zod";

/** Keystone's `[security_compliance]` (keystone/conf/security_compliance.py). */
export const SecurityComplianceOptionsSchema = z
  .object({
    /** Failed password authentications before the account locks; unset disables lockout. */
    lockoutFailureAttempts: z.number().int().min(1).optional(),
    /** Seconds an account stays locked (Keystone default 1800); 0 keeps it locked until reset. */
    lockoutDuration: z.number().int().min(0).default(1800),
    /** Days a password stays valid; unset: passwords never expire. */
    passwordExpiresDays: z.number().int().min(0).optional(),
    /** How many previous passwords a new one must differ from (0 disables the check). */
    uniqueLastPasswordCount: z.number().int().min(0).default(0),
    /** Days a self-service password must be kept before it may be changed again. */
    minimumPasswordAge: z.number().int().min(0).default(0),
    /** A regular expression new passwords must match (Python `re.match`: anchored at the start). */
    passwordRegex: z.string().min(1).optional(),
    /** The human wording of `passwordRegex`, put into the 400 a mismatching password gets. */
    passwordRegexDescription: z.string().optional(),
    /** Passwords set by an administrator expire at once, so the user must change them. */
    changePasswordUponFirstUse: z.boolean().default(false),
  })
  .strict();
export type SecurityComplianceOptions = z.output<typeof SecurityComplianceOptionsSchema>;

/** Everything the users area is configured with. */
export const IdentityUsersOptionsSchema = z
  .object({
    /** bcrypt cost of new hashes (Keystone/passlib default 12; tests use 4). */
    passwordHashRounds: z.number().int().min(4).max(31).default(12),
    /** Keystone's `[identity] max_password_length`; bcrypt itself only mixes 72 bytes. */
    maxPasswordLength: z.number().int().min(1).max(4096).default(4096),
    /** Keystone's `[DEFAULT] strict_password_check`: reject over-long passwords instead of truncating. */
    strictPasswordCheck: z.boolean().default(false),
    /** The domain of users and groups created without a domain by an unscoped caller. */
    defaultDomainId: z.string().min(1).default("default"),
    /** `[identity] list_limit`: lists longer than this are cut and marked `truncated`. */
    listLimit: z.number().int().min(1).optional(),
    /** `[application_credential] user_limit`; -1 means unlimited. */
    applicationCredentialUserLimit: z.number().int().min(-1).default(-1),
    /** `[credential] user_limit`; -1 means unlimited. */
    credentialUserLimit: z.number().int().min(-1).default(-1),
    /** `[security_compliance]`. */
    securityCompliance: SecurityComplianceOptionsSchema.default(SecurityComplianceOptionsSchema.parse({})),
  })
  .strict();
export type IdentityUsersOptions = z.output<typeof IdentityUsersOptionsSchema>;
export type IdentityUsersOptionsInput = z.input<typeof IdentityUsersOptionsSchema>;
