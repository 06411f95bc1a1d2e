/**
 * Image sharing with python-openstackclient against `stratus serve`: a producer project shares an
 * image with a consumer project (both created through Keystone, each with a user holding the
 * member role), whose user sees it but lists it only once it accepts, and loses it when the
 * owner removes the project.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

let stratus: Stratus;
let producer: NodeJS.ProcessEnv;
let consumer: NodeJS.ProcessEnv;
let consumerProject: string;
const PASSWORD = "s3cret-user";

/** `openstack ARGS` as the admin (owner) or as the consumer project's user. */
const osc = (args: string[], env?: NodeJS.ProcessEnv, json = true) =>
  stratus.openstack(args, { json, ...(env === undefined ? {} : { env }) });
const listedIds = async (env: NodeJS.ProcessEnv, extra: string[] = []) =>
  ((await osc(["image", "list", ...extra], env)) as Array<{ ID: string }>).map((i) => i.ID);

/** Creates (as the admin) a project and a user with the member role on it; returns its id and the user's env. */
async function projectUser(project: string, user: string): Promise<{ id: string; env: NodeJS.ProcessEnv }> {
  const id = (await osc(["project", "create", "--domain", "default", project])).id as string;
  await osc(["user", "create", "--domain", "default", "--project", project, "--password", PASSWORD, user]);
  await osc(["role", "add", "--project", project, "--user", user, "member"], undefined, false);
  return { id, env: { ...stratus.env, OS_USERNAME: user, OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: project } };
}

/** `openstack image create` (with a small raw file: without one the CLI would read stdin). */
async function createImage(name: string, visibility: string, env: NodeJS.ProcessEnv): Promise<string> {
  const file = join(stratus.dataDir, `${name}.raw`);
  writeFileSync(file, Buffer.alloc(1024, 7));
  const args = ["image", "create", "--file", file, "--disk-format", "raw", "--container-format", "bare"];
  const image = await osc([...args, `--${visibility}`, name], env);
  expect(image.visibility).toBe(visibility);
  return image.id as string;
}

beforeAll(async () => {
  stratus = await startStratus(["image"]);
  producer = (await projectUser("producer", "bob")).env;
  const c = await projectUser("consumer", "alice");
  consumerProject = c.id;
  consumer = c.env;
}, 120_000);

afterAll(() => stratus?.stop());

describe("openstack CLI against stratus serve: image members", () => {
  it("shares an image with a project, which accepts it, lists its membership, and loses it when removed", async () => {
    const id = await createImage("osc-shared", "shared", producer);

    // before sharing the consumer does not see it at all
    expect(await stratus.openstackFails(["image", "show", id], consumer)).toMatch(/No Image found|not found|404/i);

    const member = await osc(["image", "add", "project", id, consumerProject], producer);
    expect(member).toMatchObject({ image_id: id, member_id: consumerProject, status: "pending" });
    expect(await stratus.openstackFails(["image", "add", "project", id, consumerProject], producer)).toMatch(
      /409|duplicated/i,
    );

    // pending: visible by id, listed only with --member-status
    expect((await osc(["image", "show", id], consumer)).name).toBe("osc-shared");
    expect(await listedIds(consumer)).not.toContain(id);
    expect(await listedIds(consumer, ["--member-status", "pending"])).toContain(id);

    // the producer passes project ids: a non-admin may not look other projects up by name
    // the owner may not accept on the member's behalf, the member may not modify the image
    expect(
      await stratus.openstackFails(["image", "set", "--accept", "--project", consumerProject, id], producer),
    ).toMatch(/403|not authorized/i);
    expect((await osc(["image", "show", id], producer)).owner).not.toBe(consumerProject);
    expect(await stratus.openstackFails(["image", "set", "--name", "stolen", id], consumer)).toMatch(
      /403|forbidden|not authorized/i,
    );

    await osc(["image", "set", "--accept", id], consumer, false);
    expect(await listedIds(consumer)).toContain(id);
    const saved = join(stratus.dataDir, "shared.saved");
    await osc(["image", "save", "--file", saved, id], consumer, false);
    expect(readFileSync(saved).equals(readFileSync(join(stratus.dataDir, "osc-shared.raw")))).toBe(true);

    const members = (await osc(["image", "member", "list", id], producer)) as Array<Record<string, string>>;
    expect(members).toEqual([{ "Image ID": id, "Member ID": consumerProject, Status: "accepted" }]);
    expect(await osc(["image", "member", "list", id], consumer)).toEqual(members);

    await osc(["image", "set", "--reject", id], consumer, false);
    expect(await listedIds(consumer)).not.toContain(id);
    expect(await listedIds(consumer, ["--member-status", "rejected"])).toContain(id);

    await osc(["image", "remove", "project", id, consumerProject], producer, false);
    expect(await osc(["image", "member", "list", id], producer)).toEqual([]);
    expect(await stratus.openstackFails(["image", "show", id], consumer)).toMatch(/No Image found|not found|404/i);
    expect(await listedIds(consumer, ["--member-status", "all"])).not.toContain(id);
  }, 180_000);

  it("refuses members on a private image", async () => {
    const id = await createImage("osc-private", "private", producer);
    expect(await stratus.openstackFails(["image", "add", "project", id, consumerProject], producer)).toMatch(
      /403|Not allowed to create members/i,
    );
  }, 60_000);
});
