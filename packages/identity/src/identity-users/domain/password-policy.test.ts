import { describe, expect, it } from "vitest";
import { SecurityComplianceOptionsSchema } from "../options.js";
import { checkPasswordRequirements, isPasswordExpired, lockoutState, passwordExpiry } from "./password-policy.js";

const policy = (o: object = {}) => SecurityComplianceOptionsSchema.parse(o);
const T0 = new Date("2026-01-01T00:00:00Z");
const later = (s: number) => new Date(T0.getTime() + s * 1000);

describe("lockoutState", () => {
  it.each([
    ["no lockout is configured", {}, 99, {}, T0, { locked: false, lapsed: false }],
    ["fewer failures than the limit", { lockoutFailureAttempts: 3 }, 2, {}, T0, { locked: false, lapsed: false }],
    [
      "the limit is reached within the duration",
      { lockoutFailureAttempts: 3 },
      3,
      {},
      later(10),
      { locked: true, lapsed: false },
    ],
    [
      "the duration has passed",
      { lockoutFailureAttempts: 3, lockoutDuration: 60 },
      3,
      {},
      later(61),
      { locked: false, lapsed: true },
    ],
    [
      "the duration is 0 (locked until reset)",
      { lockoutFailureAttempts: 3, lockoutDuration: 0 },
      5,
      {},
      later(1e6),
      { locked: true, lapsed: false },
    ],
    [
      "the user ignores lockout",
      { lockoutFailureAttempts: 1 },
      5,
      { ignore_lockout_failure_attempts: true },
      T0,
      { locked: false, lapsed: false },
    ],
  ])("when %s", (_name, p, count, options, now, expected) => {
    expect(lockoutState({ failedAuthCount: count, failedAuthAt: T0, options }, policy(p), now)).toEqual(expected);
  });
});

describe("password expiry", () => {
  it.each([
    ["never without password_expires_days", {}, {}, null],
    ["after password_expires_days, in whole seconds", { passwordExpiresDays: 90 }, {}, "2026-04-01T00:00:00.000Z"],
    [
      "never for a user with ignore_password_expiry",
      { passwordExpiresDays: 90 },
      { ignore_password_expiry: true },
      null,
    ],
  ])("is %s", (_name, p, options, expected) => {
    const created = new Date("2026-01-01T00:00:00.567Z");
    expect(passwordExpiry(created, options, policy(p))?.toISOString() ?? null).toBe(expected);
  });

  it("treats the expiry instant itself as expired, as Keystone's utcnow() >= expires_at", () => {
    expect(isPasswordExpired({ passwordExpiresAt: T0, options: {} }, T0)).toBe(true);
    expect(isPasswordExpired({ passwordExpiresAt: later(1), options: {} }, T0)).toBe(false);
  });
});

describe("checkPasswordRequirements", () => {
  const p = policy({
    passwordRegex: "^(?=.*\\d)(?=.*[a-zA-Z]).{7,}$",
    passwordRegexDescription: "7 chars, a digit and a letter",
  });
  it.each([
    ["accepts a matching password", "abcdef1", null],
    [
      "rejects a short one with the description",
      "ab1",
      "The password does not match the requirements: 7 chars, a digit and a letter.",
    ],
  ])("%s", (_name, password, message) => {
    if (message === null) expect(() => checkPasswordRequirements(password, p)).not.toThrow();
    else expect(() => checkPasswordRequirements(password, p)).toThrow(message);
  });

  it("anchors at the start only, like Python's re.match", () => {
    const q = policy({ passwordRegex: "[a-z]+" });
    expect(() => checkPasswordRequirements("abc123", q)).not.toThrow();
    expect(() => checkPasswordRequirements("1abc", q)).toThrow();
  });
});
