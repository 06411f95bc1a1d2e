/**
 * Password authentication and self-service password changes, in Keystone's order of checks
 * (keystone/auth/plugins/core.py UserAuthInfo, then identity/backends/sql.py authenticate):
 * resolve the user, domain enabled, user enabled, lockout, password (counting failures),
 * password expiry, then clear the failure counter.
 */
import { StratusError, unauthorized } from "@stratus/core/errors";
import {
  checkMinimumAge,
  checkPasswordRequirements,
  isPasswordExpired,
  lockoutState,
  passwordHistoryError,
  passwordSelfServiceDisabled,
} from "../domain/password-policy.js";
import type { User } from "../domain/user.js";
import { AUTH_REQUIRED, authFailed, retryLostRaces } from "./keystone-errors.js";
import type { UserService, UserServiceDeps } from "./users.js";

/** Who is authenticating: a user id, or a name within a domain (the auth layer resolves domain names). */
export type PasswordIdentity =
  | { readonly userId: string; readonly password: string }
  | { readonly name: string; readonly domainId: string; readonly password: string };

/** Checks passwords and lets users change their own. */
export class PasswordAuthentication {
  private readonly clock: () => Date;

  constructor(
    private readonly deps: UserServiceDeps,
    private readonly users: UserService,
  ) {
    this.clock = deps.now ?? (() => new Date());
  }

  /**
   * The user when the password is right. Otherwise throws `unauthorized`: "The request you have
   * made requires authentication." (unknown user, wrong password, disabled user or domain),
   * "The account is locked for user: <id>." or "The password is expired and needs to be changed
   * for user: <id>."; `details.reason` says which. A wrong password counts toward lockout.
   */
  async authenticatePassword(identity: PasswordIdentity): Promise<User> {
    const user = await this.resolve(identity);
    try {
      const domain = await this.deps.domains.getDomain(user.domainId);
      if (!domain.enabled) throw authFailed("domain_disabled", user.id);
    } catch (err) {
      if (StratusError.is(err) && err.code === "not_found") throw authFailed("invalid_credentials");
      throw err;
    }
    if (!user.enabled) throw authFailed("user_disabled", user.id);
    return this.checkPassword(user, identity.password, { allowExpired: false });
  }

  /**
   * Keystone's `POST /v3/users/{id}/password`: checks `original` like an authentication (an
   * expired password is accepted here), then sets `password` as self-service. Throws
   * `unauthorized` as authenticatePassword does (disabled: "The account is disabled for user: <id>."),
   * `bad_request` for password_regex, lock_password, minimum age or reuse. Emits `password_changed`.
   */
  async changePassword(userId: string, original: string, password: string): Promise<void> {
    const user = await this.deps.users.get(userId);
    if (user === undefined) throw authFailed("invalid_credentials");
    await this.checkPassword(user, original, { allowExpired: true });
    const policy = this.deps.options.securityCompliance;
    checkPasswordRequirements(password, policy);
    await retryLostRaces(async () => {
      const current = await this.users.get(userId);
      if (current.options.lock_password === true) throw passwordSelfServiceDisabled();
      checkMinimumAge(current, policy, this.clock());
      await this.checkHistory(current, password);
      const state = await this.users.passwordState(password, current.options, this.clock(), true);
      const next: User = { ...current, ...state, generation: current.generation + 1 };
      await this.deps.users.update(next);
      await this.users.remember(next);
    });
    await this.deps.events.emit({ type: "password_changed", userId });
  }

  private async resolve(identity: PasswordIdentity): Promise<User> {
    const user =
      "userId" in identity
        ? await this.deps.users.get(identity.userId)
        : await this.deps.users.getByName(identity.domainId, identity.name);
    if (user === undefined) throw authFailed("invalid_credentials");
    return user;
  }

  private async checkPassword(user: User, password: string, opts: { allowExpired: boolean }): Promise<User> {
    const policy = this.deps.options.securityCompliance;
    const now = this.clock();
    const lock = lockoutState(user, policy, now);
    if (lock.locked) throw authFailed("account_locked", user.id);
    let current = user;
    if (lock.lapsed) {
      await this.deps.users.resetFailedAuth(user.id);
      current = { ...user, failedAuthCount: 0, failedAuthAt: null };
    }
    if (!(await this.deps.hasher.verify(password, current.passwordHash))) {
      await this.deps.users.recordFailedAuth(user.id, now);
      throw authFailed("invalid_credentials", user.id);
    }
    if (!current.enabled) {
      throw unauthorized(`The account is disabled for user: ${user.id}.`, {
        details: { reason: "user_disabled", userId: user.id },
      });
    }
    if (!opts.allowExpired && isPasswordExpired(current, now)) throw authFailed("password_expired", user.id);
    if (current.failedAuthCount > 0) {
      await this.deps.users.resetFailedAuth(user.id);
      current = { ...current, failedAuthCount: 0, failedAuthAt: null };
    }
    return current;
  }

  private async checkHistory(user: User, password: string): Promise<void> {
    const count = this.deps.options.securityCompliance.uniqueLastPasswordCount;
    if (count <= 0) return;
    for (const hash of await this.deps.users.passwordHistory(user.id, count)) {
      if (await this.deps.hasher.verify(password, hash)) throw passwordHistoryError(count);
    }
  }
}

export { AUTH_REQUIRED };
