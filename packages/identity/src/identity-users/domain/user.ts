/**
 * A local Keystone user as we keep it: one row with its current password hash and lockout
 * counters (Keystone splits this over user, local_user and password tables).
 */

/** The user options Keystone knows (keystone/identity/backends/resource_options.py). */
export const USER_OPTION_NAMES = [
  "ignore_change_password_upon_first_use",
  "ignore_password_expiry",
  "ignore_lockout_failure_attempts",
  "lock_password",
  "ignore_user_inactivity",
  "multi_factor_auth_rules",
  "multi_factor_auth_enabled",
] as const;
export type UserOptionName = (typeof USER_OPTION_NAMES)[number];

/** The options set on a user; an option that is not set is absent (Keystone drops nulls). */
export type UserOptions = Partial<{
  ignore_change_password_upon_first_use: boolean;
  ignore_password_expiry: boolean;
  ignore_lockout_failure_attempts: boolean;
  lock_password: boolean;
  ignore_user_inactivity: boolean;
  multi_factor_auth_rules: string[][];
  multi_factor_auth_enabled: boolean;
}>;

/** Option changes of an update: a value sets, null removes. */
export type UserOptionsPatch = { [K in keyof UserOptions]?: UserOptions[K] | null };

/** A user and its password state. */
export interface User {
  /** 32 hex digits. */
  readonly id: string;
  /** The owning domain; immutable. */
  readonly domainId: string;
  /** Unique within the domain. */
  readonly name: string;
  /** A disabled user cannot authenticate. */
  readonly enabled: boolean;
  /** The project a token is scoped to when none is asked for, or null. */
  readonly defaultProjectId: string | null;
  /** Attributes Keystone keeps in `extra` (description, email, anything a client sent). */
  readonly extra: Readonly<Record<string, unknown>>;
  /** The user's resource options. */
  readonly options: UserOptions;
  /** The current password's hash (bcrypt `$2b$`), or null for a user without a password. */
  readonly passwordHash: string | null;
  /** When the current password was set, or null. */
  readonly passwordCreatedAt: Date | null;
  /** When the current password expires, or null when it never does. */
  readonly passwordExpiresAt: Date | null;
  /** True when the user set the current password themselves (minimum password age applies). */
  readonly passwordSelfService: boolean;
  /** Consecutive failed password authentications. */
  readonly failedAuthCount: number;
  /** When the last failed authentication happened, or null. */
  readonly failedAuthAt: Date | null;
  /** When the user was created. */
  readonly createdAt: Date;
  /** Bumped on every change; guards updates that race. */
  readonly generation: number;
}

/** Merges option changes into current options; a null removes the option. */
export function mergeUserOptions(current: UserOptions, patch: UserOptionsPatch): UserOptions {
  const next: Record<string, unknown> = { ...current };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null || value === undefined) delete next[name];
    else next[name] = value;
  }
  return next as UserOptions;
}

/** How `password_expires_at` filters compare (Keystone's `?password_expires_at=lt:2026-...`). */
export type TimeComparator = "lt" | "lte" | "gt" | "gte" | "eq" | "neq";

/** How a name filter matches (Keystone's `name__contains` and friends). */
export type NameMatch =
  | { readonly kind: "exact"; readonly value: string }
  | {
      readonly kind: "contains" | "startswith" | "endswith";
      readonly value: string;
      readonly caseSensitive: boolean;
    };

/** What a list of users may be narrowed by; every field is optional and they combine with AND. */
export interface UserFilter {
  /** Only users of this domain. */
  readonly domainId?: string;
  /** Only users whose name matches. */
  readonly name?: NameMatch;
  /** Only enabled (true) or disabled (false) users. */
  readonly enabled?: boolean;
  /** Only users whose current password's expiry compares so with `at`. */
  readonly passwordExpiresAt?: { readonly op: TimeComparator; readonly at: Date };
  /** Only members of this group. */
  readonly groupId?: string;
  /** At most this many users (ordered by id). */
  readonly limit?: number;
}
