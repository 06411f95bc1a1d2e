/**
 * Image quotas through the openstack CLI against `stratus serve` configured with
 * STRATUS_IMAGE_QUOTA_*: the image past the count and the upload past the bytes get 413, and
 * nothing is left behind.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus(["image"], {
    serverEnv: { STRATUS_IMAGE_QUOTA_IMAGES: "2", STRATUS_IMAGE_QUOTA_BYTES: "100000" },
  });
}, 120_000);
afterAll(() => stratus?.stop());

describe("openstack CLI against stratus serve: image quotas", () => {
  it("refuses the upload past the byte quota and the image past the count with 413", async () => {
    const file = (name: string, size: number) => {
      const path = join(stratus.dataDir, name);
      writeFileSync(path, randomBytes(size));
      return path;
    };
    const create = (name: string, path: string) => [
      "image",
      "create",
      "--file",
      path,
      "--disk-format",
      "raw",
      "--container-format",
      "bare",
      name,
    ];
    await stratus.openstack(create("q1", file("a.raw", 60_000)));
    // 60,000 + 60,000 bytes passes the 100,000 of the project: refused, and the CLI deletes its image
    const over = await stratus.openstackFails(create("q2", file("b.raw", 60_000)));
    expect(over).toMatch(/413|exceed|quota/i);
    expect(readdirSync(join(stratus.dataDir, "images")).length).toBe(1);
    await stratus.openstack(create("q2", file("c.raw", 100)));
    const third = await stratus.openstackFails(create("q3", file("d.raw", 100)));
    expect(third).toMatch(/413|image_count_total/);
    const names = ((await stratus.openstack(["image", "list"])) as Array<{ Name: string }>).map((i) => i.Name);
    expect(names.sort()).toEqual(["q1", "q2"]);
    expect(readdirSync(join(stratus.dataDir, "images")).length).toBe(2);
  }, 120_000);
});
