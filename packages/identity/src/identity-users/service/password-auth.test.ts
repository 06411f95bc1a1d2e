import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { IdentityEvent } from "../events.js";
import type { IdentityUsersOptionsInput } from "../options.js";
import { memoryIdentityUsers } from "../testing/fixture.js";

type Area = Awaited<ReturnType<typeof memoryIdentityUsers>>;
const T0 = new Date("2026-03-01T12:00:00Z");

let clock = T0;
let area: Area;
let events: IdentityEvent[];
const setup = async (options: IdentityUsersOptionsInput = {}) => {
  clock = T0;
  area = await memoryIdentityUsers(options, () => clock);
  events = [];
  area.events.subscribe((e) => {
    events.push(e);
  });
};
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};
afterEach(async () => area?.close());

describe("authenticatePassword", () => {
  beforeEach(() => setup({ securityCompliance: { lockoutFailureAttempts: 3, lockoutDuration: 60 } }));

  it.each([
    ["by user id", (id: string) => ({ userId: id, password: "pw-1" })],
    ["by name within the domain", (_id: string) => ({ name: "alice", domainId: "default", password: "pw-1" })],
  ])("returns the user for the right password %s", async (_name, identity) => {
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-1" });
    const user = await area.passwords.authenticatePassword(identity(alice.id));
    expect(user.id).toBe(alice.id);
  });

  it.each([
    ["a wrong password", (id: string) => ({ userId: id, password: "nope" }), "invalid_credentials"],
    ["an unknown user", (_id: string) => ({ userId: "0".repeat(32), password: "pw-1" }), "invalid_credentials"],
    [
      "a name in another domain",
      (_id: string) => ({ name: "alice", domainId: "other", password: "pw-1" }),
      "invalid_credentials",
    ],
  ])("rejects %s with Keystone's generic 401", async (_name, identityOf, reason) => {
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-1" });
    const identity = identityOf(alice.id);
    await expect(area.passwords.authenticatePassword(identity)).rejects.toMatchObject({
      code: "unauthorized",
      message: "The request you have made requires authentication.",
      details: { reason },
    });
  });

  it("rejects a disabled user without counting a failure", async () => {
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-1", enabled: false });
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "pw-1" })).rejects.toMatchObject({
      code: "unauthorized",
      message: "The request you have made requires authentication.",
    });
    expect((await area.users.get(alice.id)).failedAuthCount).toBe(0);
  });

  it("rejects a user of a disabled domain", async () => {
    area.domains.put({ id: "d2", name: "D2", enabled: true });
    const bob = await area.users.create({ name: "bob", domainId: "d2", password: "pw" });
    area.domains.put({ id: "d2", name: "D2", enabled: false });
    await expect(area.passwords.authenticatePassword({ userId: bob.id, password: "pw" })).rejects.toMatchObject({
      details: { reason: "domain_disabled" },
    });
  });

  it("locks the account after lockout_failure_attempts wrong passwords, even for the right one, until the duration passes", async () => {
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-1" });
    for (let i = 0; i < 3; i++)
      await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "bad" })).rejects.toThrow();
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "pw-1" })).rejects.toMatchObject({
      message: `The account is locked for user: ${alice.id}.`,
    });
    advance(61);
    expect((await area.passwords.authenticatePassword({ userId: alice.id, password: "pw-1" })).failedAuthCount).toBe(0);
  });

  it("clears the failure counter on success and when an administrator enables the user", async () => {
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-1" });
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "bad" })).rejects.toThrow();
    expect((await area.users.get(alice.id)).failedAuthCount).toBe(1);
    await area.passwords.authenticatePassword({ userId: alice.id, password: "pw-1" });
    expect((await area.users.get(alice.id)).failedAuthCount).toBe(0);
  });

  it("verifies a password hash Keystone 22 wrote into its database", async () => {
    const [vector] = JSON.parse(
      readFileSync(new URL("../testdata/keystone-bcrypt-hashes.json", import.meta.url), "utf8"),
    ) as Array<{ password: string; hash: string }>;
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "ours" });
    await area.database.kysely
      .updateTable("iu_user")
      .set({ password_hash: vector!.hash })
      .where("id", "=", alice.id)
      .execute();
    await expect(
      area.passwords.authenticatePassword({ userId: alice.id, password: vector!.password }),
    ).resolves.toMatchObject({
      id: alice.id,
    });
  });
});

describe("password expiry and self-service changes", () => {
  it("rejects an expired password but lets the user change it with the expired one", async () => {
    await setup({ securityCompliance: { passwordExpiresDays: 1 } });
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "old-pw" });
    expect(alice.passwordExpiresAt?.toISOString()).toBe("2026-03-02T12:00:00.000Z");
    advance(86_400);
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "old-pw" })).rejects.toMatchObject({
      message: `The password is expired and needs to be changed for user: ${alice.id}.`,
    });
    await area.passwords.changePassword(alice.id, "old-pw", "new-pw");
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "new-pw" })).resolves.toBeDefined();
    expect(events).toContainEqual({ type: "password_changed", userId: alice.id });
  });

  it("makes an administrator's password expire at once under change_password_upon_first_use", async () => {
    await setup({ securityCompliance: { changePasswordUponFirstUse: true } });
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "temp" });
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "temp" })).rejects.toMatchObject({
      details: { reason: "password_expired" },
    });
    await area.passwords.changePassword(alice.id, "temp", "mine");
    await expect(area.passwords.authenticatePassword({ userId: alice.id, password: "mine" })).resolves.toBeDefined();
  });

  it.each([
    [
      "a wrong original password is a 401",
      {},
      {},
      "wrong",
      "new-password-1",
      "The request you have made requires authentication.",
    ],
    [
      "lock_password forbids it",
      {},
      { lock_password: true },
      "initial-password",
      "new-password-1",
      "You cannot change your password at this time due to password policy disallowing password changes.",
    ],
    [
      "password_regex applies",
      { passwordRegex: "^.{10,}$", passwordRegexDescription: "10 characters" },
      {},
      "initial-password",
      "short",
      "The password does not match the requirements: 10 characters.",
    ],
    [
      "unique_last_password_count forbids reuse",
      { uniqueLastPasswordCount: 2 },
      {},
      "initial-password",
      "initial-password",
      "The new password cannot be identical to a previous password.",
    ],
  ])("refuses a change when %s", async (_name, compliance, options, original, next, message) => {
    await setup({ securityCompliance: compliance });
    const alice = await area.users.create({
      name: "alice",
      domainId: "default",
      password: "initial-password",
      options,
    });
    await expect(area.passwords.changePassword(alice.id, original, next)).rejects.toThrow(message);
  });

  it("enforces minimum_password_age between self-service changes, with days left", async () => {
    await setup({ securityCompliance: { minimumPasswordAge: 2 } });
    const alice = await area.users.create({ name: "alice", domainId: "default", password: "pw-0" });
    await area.passwords.changePassword(alice.id, "pw-0", "pw-1");
    advance(3600);
    await expect(area.passwords.changePassword(alice.id, "pw-1", "pw-2")).rejects.toThrow(
      "Please try again in 1 day(s)",
    );
    advance(2 * 86_400);
    await expect(area.passwords.changePassword(alice.id, "pw-1", "pw-2")).resolves.toBeUndefined();
  });
});
