/**
 * The behaviour the resource and assignment services must show on every SQL engine: run on SQLite
 * by the unit tests and on PostgreSQL/MariaDB by engines.test.ts.
 */
import type { Database } from "@stratus/core/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createResourceAssignmentServices,
  migrateResourceAssignment,
  type ResourceAssignmentServices,
} from "../../src/assignment/setup.js";
import { MemoryIdentity } from "./memory-identity.js";

/** Declares the suite; `makeDb` returns an open, empty database that the suite closes. */
export function runResourceAssignmentContract(label: string, makeDb: () => Promise<Database<unknown>>): void {
  describe(`resource and assignment services (${label})`, () => {
    let db: Database<unknown>;
    let s: ResourceAssignmentServices;
    const identity = new MemoryIdentity();
    const names = new Map<string, string>();

    beforeAll(async () => {
      db = await makeDb();
      await migrateResourceAssignment(db);
      await migrateResourceAssignment(db); // idempotent
      s = createResourceAssignmentServices(db, identity);
    });
    afterAll(async () => {
      await db?.close();
    });

    it("migrations create the default domain", async () => {
      expect(await s.resources.getDomain("default")).toMatchObject({ id: "default", name: "Default", enabled: true });
    });

    it("creates projects under the default domain with a 32-hex id and Keystone defaults", async () => {
      const p = await s.resources.createProject({ name: " alpha ", tags: ["a", "b"] });
      names.set("alpha", p.id);
      expect(p).toMatchObject({
        name: "alpha",
        domainId: "default",
        parentId: "default",
        description: "",
        enabled: true,
      });
      expect(p.id).toMatch(/^[0-9a-f]{32}$/);
      expect((await s.resources.getProject(p.id)).tags).toEqual(["a", "b"]);
    });

    it.each([
      ["a duplicate name in the same domain", { name: "alpha" }, "conflict"],
      ["an unknown parent", { name: "x", parentId: "nope" }, "not_found"],
      ["an unknown domain", { name: "x", domainId: "nope" }, "not_found"],
    ])("refuses %s", async (_n, input, code) => {
      await expect(s.resources.createProject(input)).rejects.toMatchObject({ code });
    });

    it("builds a hierarchy and refuses to delete a project with children", async () => {
      const child = await s.resources.createProject({ name: "child", parentId: names.get("alpha") ?? "" });
      names.set("child", child.id);
      expect(child.domainId).toBe("default");
      expect((await s.resources.listProjectParents(child.id)).map((p) => p.id)).toEqual([
        names.get("alpha"),
        "default",
      ]);
      expect(await s.resources.subtreeAsIds(names.get("alpha") ?? "")).toEqual({ [child.id]: null });
      await expect(s.resources.deleteProject(names.get("alpha") ?? "")).rejects.toMatchObject({ code: "forbidden" });
    });

    it("updates with a generation guard and renames", async () => {
      const p = await s.resources.updateProject(names.get("child") ?? "", { name: "kid", description: "d" });
      expect(p).toMatchObject({ name: "kid", description: "d" });
      await expect(s.resources.updateProject(p.id, { parentId: "default" })).rejects.toMatchObject({
        code: "forbidden",
      });
    });

    it("stores roles, refuses duplicates and resolves implied roles", async () => {
      const admin = await s.roles.createRole({ name: "admin" });
      const member = await s.roles.createRole({ name: "member" });
      const reader = await s.roles.ensureRole("reader");
      expect(await s.roles.ensureRole("reader")).toEqual(reader);
      await expect(s.roles.createRole({ name: "admin" })).rejects.toMatchObject({
        code: "conflict",
        message: "Conflict occurred attempting to store role - Duplicate entry found with name admin.",
      });
      await s.roles.createImpliedRole(admin.id, member.id);
      await s.roles.ensureImpliedRole(member.id, reader.id);
      await s.roles.ensureImpliedRole(member.id, reader.id);
      for (const r of [admin, member, reader]) names.set(r.name, r.id);
      expect(await s.roles.listRoleInferenceRules()).toHaveLength(2);
    });

    it("computes effective roles through groups, inheritance and implication", async () => {
      identity.addUser("u1", "alice");
      identity.addGroup("g1", "devs");
      identity.addMember("g1", "u1");
      const alpha = names.get("alpha") ?? "";
      const kid = names.get("child") ?? "";
      await s.assignments.createGrant({
        roleId: names.get("member") ?? "",
        actor: { groupId: "g1" },
        target: { projectId: alpha },
        inherited: true,
      });
      await s.assignments.createGrant({
        roleId: names.get("admin") ?? "",
        actor: { userId: "u1" },
        target: { system: "all" },
      });
      const onKid = await s.assignments.effectiveRoles({ userId: "u1", scope: { projectId: kid } });
      expect(onKid.map((r) => r.name)).toEqual(["member", "reader"]);
      expect(await s.assignments.effectiveRoles({ userId: "u1", scope: { projectId: alpha } })).toEqual([]);
      const system = await s.assignments.effectiveRoles({ userId: "u1", groupIds: [], scope: { system: "all" } });
      expect(system.map((r) => r.name)).toEqual(["admin", "member", "reader"]);
    });

    it("revokes grants, emits the event and forgets the cached roles", async () => {
      const removed: string[] = [];
      const off = s.assignments.events.on("assignment.removed", ({ assignment }) => {
        removed.push(assignment.type);
      });
      await s.assignments.deleteGrant({
        roleId: names.get("admin") ?? "",
        actor: { userId: "u1" },
        target: { system: "all" },
      });
      off();
      expect(removed).toEqual(["UserSystem"]);
      expect(await s.assignments.effectiveRoles({ userId: "u1", scope: { system: "all" } })).toEqual([]);
      await expect(
        s.assignments.deleteGrant({
          roleId: names.get("admin") ?? "",
          actor: { userId: "u1" },
          target: { system: "all" },
        }),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("deletes a disabled domain with its projects and their assignments", async () => {
      const d = await s.resources.createDomain({ name: "acme" });
      const p = await s.resources.createProject({ name: "in-acme", domainId: d.id });
      await s.assignments.createGrant({
        roleId: names.get("reader") ?? "",
        actor: { userId: "u1" },
        target: { projectId: p.id },
      });
      await expect(s.resources.deleteDomain(d.id)).rejects.toMatchObject({ code: "forbidden" });
      await s.resources.updateDomain(d.id, { enabled: false });
      await s.resources.deleteDomain(d.id);
      await expect(s.resources.getProject(p.id)).rejects.toMatchObject({ code: "not_found" });
      expect(await s.assignments.listRoleAssignments({ projectId: p.id })).toEqual([]);
    });
  });
}
