/**
 * python-openstackclient (Debian's python3-openstackclient) against `stratus serve`: the identity
 * flows an operator runs, through the real `openstack` command, on a fresh data directory.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

let stratus: Stratus;
let env: NodeJS.ProcessEnv;
const openstack = (args: string[], options?: { json?: boolean; env?: NodeJS.ProcessEnv }) =>
  stratus.openstack(args, options);
const openstackFails = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
  stratus.openstackFails(args, { ...env, ...extraEnv });
const openstackFailsIn = (args: string[], fullEnv: NodeJS.ProcessEnv) => stratus.openstackFails(args, fullEnv);

beforeAll(async () => {
  stratus = await startStratus();
  env = stratus.env;
}, 120_000);

afterAll(() => stratus?.stop());

describe("openstack CLI against stratus serve: identity", () => {
  it("issues a token, lists the catalog and endpoints, and revokes the token", async () => {
    const token = await openstack(["token", "issue"]);
    expect(token).toMatchObject({ project_id: expect.stringMatching(/^[0-9a-f]{32}$/), user_id: expect.any(String) });
    const catalog = (await openstack(["catalog", "list"])) as Array<{ Type: string }>;
    expect(catalog.map((c) => c.Type)).toContain("identity");
    const endpoints = (await openstack(["endpoint", "list"])) as Array<{ "Service Type": string; Interface: string }>;
    expect(
      endpoints
        .filter((e) => e["Service Type"] === "identity")
        .map((e) => e.Interface)
        .sort(),
    ).toEqual(["admin", "internal", "public"]);
    await openstack(["token", "revoke", token.id], { json: false });
    const tokenEnv = {
      PATH: env["PATH"],
      HOME: env["HOME"],
      OS_AUTH_URL: env["OS_AUTH_URL"],
      OS_IDENTITY_API_VERSION: "3",
      OS_AUTH_TYPE: "token",
      OS_TOKEN: token.id,
      OS_PROJECT_NAME: "admin",
      OS_PROJECT_DOMAIN_NAME: "Default",
    };
    const err = await openstackFailsIn(["project", "list"], tokenEnv);
    expect(err).toMatch(/401|authenticat/i);
  });

  it("creates, lists, shows, updates and deletes a project; creates a domain", async () => {
    const created = await openstack(["project", "create", "--domain", "default", "--description", "first", "osc-p1"]);
    expect(created).toMatchObject({ name: "osc-p1", description: "first", domain_id: "default", enabled: true });
    const list = (await openstack(["project", "list"])) as Array<{ Name: string }>;
    expect(list.map((p) => p.Name)).toEqual(expect.arrayContaining(["admin", "osc-p1"]));
    await openstack(["project", "set", "--description", "second", "osc-p1"], { json: false });
    expect(await openstack(["project", "show", "osc-p1"])).toMatchObject({ description: "second" });
    const dup = await openstackFails(["project", "create", "--domain", "default", "osc-p1"]);
    expect(dup).toMatch(/409|Conflict|Duplicate/i);
    await openstack(["project", "delete", "osc-p1"], { json: false });
    expect(await openstackFails(["project", "show", "osc-p1"])).toMatch(/No project|404|not found/i);
    expect(await openstack(["domain", "create", "osc-d1"])).toMatchObject({ name: "osc-d1", enabled: true });
  });

  it("creates a user, sets a password, grants a role and shows effective assignments by name", async () => {
    await openstack(["project", "create", "--domain", "default", "osc-p2"]);
    await openstack(["user", "create", "--domain", "default", "--password", "pw-one", "osc-u1"]);
    await openstack(["user", "set", "--password", "pw-two", "osc-u1"], { json: false });
    await openstack(["role", "add", "--project", "osc-p2", "--user", "osc-u1", "member"], { json: false });
    const assignments = (await openstack([
      "role",
      "assignment",
      "list",
      "--names",
      "--effective",
      "--user",
      "osc-u1",
    ])) as Array<{ Role: string; User: string; Project: string }>;
    expect(assignments.map((a) => a.Role).sort()).toEqual(["member", "reader"]); // member implies reader
    expect(assignments.every((a) => a.User === "osc-u1@Default" && a.Project === "osc-p2@Default")).toBe(true);
    const asUser = { ...env, OS_USERNAME: "osc-u1", OS_PASSWORD: "pw-two", OS_PROJECT_NAME: "osc-p2" };
    expect(await openstack(["token", "issue"], { env: asUser })).toHaveProperty("id");
    const oldPassword = await openstackFails(["token", "issue"], {
      OS_USERNAME: "osc-u1",
      OS_PASSWORD: "pw-one",
      OS_PROJECT_NAME: "osc-p2",
    });
    expect(oldPassword).toMatch(/401|authenticat/i);
    await openstack(["role", "remove", "--project", "osc-p2", "--user", "osc-u1", "member"], { json: false });
    expect(await openstack(["role", "assignment", "list", "--user", "osc-u1"])).toEqual([]);
  });

  it("adds a user to a group and lists implied roles", async () => {
    await openstack(["group", "create", "--domain", "default", "osc-g1"]);
    await openstack(["user", "create", "--domain", "default", "--password", "x", "osc-u2"]);
    await openstack(["group", "add", "user", "osc-g1", "osc-u2"], { json: false });
    const contains = await openstack(["group", "contains", "user", "osc-g1", "osc-u2"], { json: false });
    expect(contains).toContain("osc-u2 in group osc-g1");
    const implied = (await openstack(["implied", "role", "list"])) as Array<{
      "Prior Role Name": string;
      "Implied Role Name": string;
    }>;
    expect(implied.map((r) => `${r["Prior Role Name"]}>${r["Implied Role Name"]}`).sort()).toEqual([
      "admin>member",
      "member>reader",
    ]);
  });

  it("creates an application credential and authenticates with it", async () => {
    const cred = await openstack(["application", "credential", "create", "osc-ac1"]);
    expect(cred).toMatchObject({ name: "osc-ac1", secret: expect.any(String) });
    const appEnv = {
      PATH: env["PATH"],
      HOME: env["HOME"],
      OS_AUTH_URL: env["OS_AUTH_URL"],
      OS_IDENTITY_API_VERSION: "3",
      OS_AUTH_TYPE: "v3applicationcredential",
      OS_APPLICATION_CREDENTIAL_ID: cred.id,
      OS_APPLICATION_CREDENTIAL_SECRET: cred.secret,
      OS_INTERFACE: "public",
    };
    const token = await openstack(["token", "issue"], { env: appEnv });
    expect(token).toMatchObject({ user_id: expect.any(String), project_id: expect.any(String) });
    const wrong = { ...appEnv, OS_APPLICATION_CREDENTIAL_SECRET: "not-it" };
    await expect(openstack(["token", "issue"], { env: wrong })).rejects.toThrow(/401|authenticat/i);
  });
});
