/**
 * Users: create, read, list, update, delete, as Keystone's identity manager and SQL driver do
 * them (keystone/identity/core.py, backends/sql.py). Passwords go through `PasswordHasher`;
 * authentication and self-service changes live in `PasswordAuthentication`.
 */
import { newHexId } from "@stratus/core";
import { badRequest } from "@stratus/core/errors";
import { checkPasswordRequirements, mustChangeOnFirstUse, passwordExpiry } from "../domain/password-policy.js";
import { mergeUserOptions, type User, type UserFilter, type UserOptionsPatch } from "../domain/user.js";
import type { IdentityEvents } from "../events.js";
import type { IdentityUsersOptions } from "../options.js";
import type { DomainLookup, GroupRepository, UserRepository } from "../ports.js";
import { duplicateEntry, isUniqueViolation, retryLostRaces, userNotFound } from "./keystone-errors.js";
import type { PasswordHasher } from "./password-hasher.js";

/** What a new user is made of (the wire body after validation). */
export interface UserCreate {
  /** Trimmed before storing; unique in the domain. */
  readonly name: string;
  /** The domain; must exist. */
  readonly domainId: string;
  /** Default true. */
  readonly enabled?: boolean;
  /** The initial password; null or absent: none. */
  readonly password?: string | null;
  /** The default project, or null. */
  readonly defaultProjectId?: string | null;
  /** Options to set (nulls are ignored). */
  readonly options?: UserOptionsPatch;
  /** Any other attributes (description, email, ...). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to a user; absent fields stay. */
export interface UserUpdate {
  /** A new name (trimmed). */
  readonly name?: string;
  /** Enable or disable; enabling clears the lockout counter, disabling revokes. */
  readonly enabled?: boolean;
  /** An administrator's password reset (null removes the password). */
  readonly password?: string | null;
  /** The default project, or null to clear it. */
  readonly defaultProjectId?: string | null;
  /** Option changes; null removes an option. */
  readonly options?: UserOptionsPatch;
  /** Extra attributes merged over the current ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Dependencies of the user services. */
export interface UserServiceDeps {
  /** Where users live. */
  readonly users: UserRepository;
  /** Where memberships live. */
  readonly groups: GroupRepository;
  /** Validates domain ids. */
  readonly domains: DomainLookup;
  /** Hashes passwords. */
  readonly hasher: PasswordHasher;
  /** Revocation events. */
  readonly events: IdentityEvents;
  /** Validated options. */
  readonly options: IdentityUsersOptions;
  /** The clock (tests move it). */
  readonly now?: () => Date;
}

/** The password fields of a freshly set password. */
export interface PasswordState {
  readonly passwordHash: string | null;
  readonly passwordCreatedAt: Date | null;
  readonly passwordExpiresAt: Date | null;
  readonly passwordSelfService: boolean;
}

/** Users as Keystone manages them. */
export class UserService {
  private readonly clock: () => Date;

  constructor(private readonly deps: UserServiceDeps) {
    this.clock = deps.now ?? (() => new Date());
  }

  /**
   * Creates a user. Throws `not_found` for an unknown domain, `bad_request` for a password that
   * fails password_regex, `conflict` (Keystone's message) for a name taken in the domain.
   */
  async create(input: UserCreate): Promise<User> {
    const { options: opts, users, domains } = this.deps;
    if (typeof input.password === "string") checkPasswordRequirements(input.password, opts.securityCompliance);
    const name = input.name.trim();
    await domains.getDomain(input.domainId);
    const options = mergeUserOptions({}, input.options ?? {});
    const now = this.clock();
    const password = await this.passwordState(input.password ?? null, options, now, false);
    const user: User = {
      id: newHexId(),
      domainId: input.domainId,
      name,
      enabled: input.enabled ?? true,
      defaultProjectId: input.defaultProjectId ?? null,
      extra: { ...(input.extra ?? {}) },
      options,
      ...password,
      failedAuthCount: 0,
      failedAuthAt: null,
      createdAt: now,
      generation: 1,
    };
    try {
      await users.insert(user);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEntry("user", "name", name, input.domainId);
      throw err;
    }
    await this.remember(user);
    return user;
  }

  /** The user; `not_found` "Could not find user: <id>.". */
  async get(id: string): Promise<User> {
    const user = await this.deps.users.get(id);
    if (user === undefined) throw userNotFound(id);
    return user;
  }

  /** The user named `name` in the domain; `not_found` "Could not find user: <name>.". */
  async getByName(name: string, domainId: string): Promise<User> {
    const user = await this.deps.users.getByName(domainId, name);
    if (user === undefined) throw userNotFound(name);
    return user;
  }

  /** Users matching the filter (ordered by id). */
  list(filter: UserFilter = {}): Promise<User[]> {
    return this.deps.users.list(filter);
  }

  /**
   * Applies `patch`. Disabling emits `user_disabled`; a new password emits `password_changed`.
   * Throws `not_found`, `bad_request` (password_regex), `conflict` (name taken).
   */
  async update(id: string, patch: UserUpdate): Promise<User> {
    const { users, options: opts } = this.deps;
    if (typeof patch.password === "string") checkPasswordRequirements(patch.password, opts.securityCompliance);
    let before: User | undefined;
    const after = await retryLostRaces(async () => {
      before = await this.get(id);
      const options = mergeUserOptions(before.options, patch.options ?? {});
      const enabling = patch.enabled === true;
      const password =
        patch.password === undefined ? {} : await this.passwordState(patch.password, options, this.clock(), false);
      const next: User = {
        ...before,
        ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
        ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        ...(patch.defaultProjectId === undefined ? {} : { defaultProjectId: patch.defaultProjectId }),
        ...(enabling ? { failedAuthCount: 0, failedAuthAt: null } : {}),
        ...password,
        extra: { ...before.extra, ...(patch.extra ?? {}) },
        options,
        generation: before.generation + 1,
      };
      try {
        await users.update(next);
      } catch (err) {
        if (isUniqueViolation(err)) throw duplicateEntry("user", "name", next.name);
        throw err;
      }
      return next;
    });
    if (typeof patch.password === "string") await this.remember(after);
    if (before?.enabled === true && patch.enabled === false)
      await this.deps.events.emit({ type: "user_disabled", userId: id });
    if (typeof patch.password === "string") await this.deps.events.emit({ type: "password_changed", userId: id });
    return after;
  }

  /** Deletes the user and its memberships; emits `user_deleted`. `not_found` when absent. */
  async delete(id: string): Promise<void> {
    if (!(await this.deps.users.delete(id))) throw userNotFound(id);
    await this.deps.events.emit({ type: "user_deleted", userId: id });
  }

  /** The ids of the user's groups (for `GroupMembershipLookup` and token role computation). */
  groupIdsOfUser(userId: string): Promise<string[]> {
    return this.deps.groups.groupIdsOfUser(userId);
  }

  /**
   * The password columns for `password` set at `now`: hashed, with its expiry (at once for an
   * administrator's password under change_password_upon_first_use).
   */
  async passwordState(
    password: string | null,
    options: User["options"],
    now: Date,
    selfService: boolean,
  ): Promise<PasswordState> {
    const policy = this.deps.options.securityCompliance;
    if (password === null)
      return { passwordHash: null, passwordCreatedAt: now, passwordExpiresAt: null, passwordSelfService: selfService };
    const passwordHash = await this.deps.hasher.hash(password);
    const expiresAt =
      !selfService && mustChangeOnFirstUse(options, policy) ? now : passwordExpiry(now, options, policy);
    return { passwordHash, passwordCreatedAt: now, passwordExpiresAt: expiresAt, passwordSelfService: selfService };
  }

  /** Keeps the new password in the history when unique_last_password_count asks for one. */
  async remember(user: User): Promise<void> {
    const keep = this.deps.options.securityCompliance.uniqueLastPasswordCount;
    if (keep > 0 && user.passwordHash !== null && user.passwordCreatedAt !== null)
      await this.deps.users.addPasswordHistory(user.id, user.passwordHash, user.passwordCreatedAt, keep);
  }
}

/** Keystone's 400 when an update tries to move a user or group to another domain. */
export const cannotChangeDomain = () => badRequest("Cannot change Domain ID");
