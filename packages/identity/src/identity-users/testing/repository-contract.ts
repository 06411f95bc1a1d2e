/**
 * The contract every engine's repositories of this area pass: SQLite in unit tests, PostgreSQL and
 * MariaDB in test/identity-users/engines.test.ts. Imports vitest: use from tests only.
 */
import type { Database } from "@stratus/core/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FernetCredentialCipher } from "../adapters/fernet-cipher.js";
import { IDENTITY_USERS_MIGRATIONS, IDENTITY_USERS_NAMESPACE } from "../adapters/sql/migrations.js";
import type { IdentityUsersSchema } from "../adapters/sql/schema.js";
import { createIdentityUsers, type IdentityUsers } from "../index.js";
import { MemoryDomains, MemoryProjectRoles } from "./fixture.js";

/** Declares the contract's tests against a database made by `open` (migrated by the suite). */
export function runIdentityUsersContract(label: string, open: () => Promise<Database<IdentityUsersSchema>>): void {
  describe(`identity users repositories on ${label}`, () => {
    let database: Database<IdentityUsersSchema>;
    let area: IdentityUsers;
    const roles = new MemoryProjectRoles();
    beforeAll(async () => {
      database = await open();
      area = await createIdentityUsers({
        database,
        domains: new MemoryDomains(),
        roles,
        cipher: new FernetCredentialCipher([FernetCredentialCipher.generateKey()]),
        options: {
          passwordHashRounds: 4,
          securityCompliance: { lockoutFailureAttempts: 2, uniqueLastPasswordCount: 2 },
        },
      });
    });
    afterAll(async () => database?.close());

    it("migrates idempotently", async () => {
      const report = await database.migrate(IDENTITY_USERS_NAMESPACE, IDENTITY_USERS_MIGRATIONS);
      expect(report.applied).toEqual([]);
    });

    it("round-trips a user with options, extras, timestamps and booleans", async () => {
      const user = await area.users.create({
        name: "round-trip",
        domainId: "default",
        password: "pw",
        options: { multi_factor_auth_rules: [["password"]], lock_password: false },
        extra: { email: "r@t", description: "é" },
      });
      const read = await area.users.get(user.id);
      expect(read).toEqual(user);
    });

    it("keeps (domain_id, name) unique and reports it as Keystone's 409", async () => {
      await area.users.create({ name: "unique-1", domainId: "default" });
      await expect(area.users.create({ name: "unique-1", domainId: "default" })).rejects.toMatchObject({
        code: "conflict",
        message: expect.stringContaining("Duplicate entry found with name unique-1"),
      });
    });

    it.each([
      ["exact name", { name: { kind: "exact", value: "f-Alpha" } }, ["f-Alpha"]],
      [
        "name prefix, case-insensitive",
        { name: { kind: "startswith", value: "F-A", caseSensitive: false } },
        ["f-Alpha", "f-alps"],
      ],
      ["a literal % in a fragment", { name: { kind: "contains", value: "%", caseSensitive: false } }, ["f-100%"]],
      ["disabled", { enabled: false }, ["f-alps"]],
    ] as const)("filters users by %s", async (_name, filter, names) => {
      if ((await area.users.list({ name: { kind: "startswith", value: "f-", caseSensitive: true } })).length === 0) {
        await area.users.create({ name: "f-Alpha", domainId: "default" });
        await area.users.create({ name: "f-alps", domainId: "default", enabled: false });
        await area.users.create({ name: "f-100%", domainId: "default" });
      }
      const found = await area.users.list({ ...filter, domainId: "default" });
      expect(
        found
          .map((u) => u.name)
          .filter((n) => n.startsWith("f-"))
          .sort(),
      ).toEqual([...names].sort());
    });

    it("counts failed authentications atomically and locks", async () => {
      const user = await area.users.create({ name: "locky", domainId: "default", password: "pw" });
      const attempts = Array.from({ length: 2 }, () =>
        area.passwords.authenticatePassword({ userId: user.id, password: "bad" }).catch(() => undefined),
      );
      await Promise.all(attempts);
      expect((await area.users.get(user.id)).failedAuthCount).toBe(2);
      await expect(area.passwords.authenticatePassword({ userId: user.id, password: "pw" })).rejects.toMatchObject({
        details: { reason: "account_locked" },
      });
    });

    it("keeps password history and refuses reuse", async () => {
      const user = await area.users.create({ name: "history", domainId: "default", password: "first-pw" });
      await area.passwords.changePassword(user.id, "first-pw", "second-pw");
      await expect(area.passwords.changePassword(user.id, "second-pw", "first-pw")).rejects.toMatchObject({
        code: "bad_request",
      });
    });

    it("manages groups and memberships, cleaned up with the user", async () => {
      const group = await area.groups.create({ name: "g-contract", domainId: "default" });
      const user = await area.users.create({ name: "member", domainId: "default" });
      await area.groups.addUser(group.id, user.id);
      await area.groups.addUser(group.id, user.id);
      expect(await area.groups.groupIdsOfUser(user.id)).toEqual([group.id]);
      expect((await area.groups.listUsers(group.id)).map((u) => u.id)).toEqual([user.id]);
      await area.users.delete(user.id);
      expect(
        await database.kysely.selectFrom("iu_membership").selectAll().where("group_id", "=", group.id).execute(),
      ).toEqual([]);
    });

    it("stores application credentials with roles, unique per user, and credentials encrypted", async () => {
      const user = await area.users.create({ name: "apps", domainId: "default" });
      roles.addRole("r1", "member");
      roles.grant(user.id, "p1", "r1");
      const { applicationCredential, secret } = await area.appCreds.create({
        userId: user.id,
        projectId: "p1",
        name: "a",
      });
      expect(await area.appCreds.get(applicationCredential.id)).toEqual(applicationCredential);
      await expect(area.appCreds.create({ userId: user.id, projectId: "p1", name: "a" })).rejects.toMatchObject({
        code: "conflict",
      });
      expect(
        (await area.appCreds.authenticate({ id: applicationCredential.id }, secret)).roles.map((r) => r.id),
      ).toEqual(["r1"]);
      const cred = await area.credentials.create({ userId: user.id, type: "totp", blob: "seed" });
      expect(await area.credentials.get(cred.id)).toEqual(cred);
      await area.users.delete(user.id);
      expect(await area.appCreds.list(user.id)).toEqual([]);
      expect(await area.credentials.list({ userId: user.id })).toEqual([]);
    });
  });
}
