/**
 * python-openstackclient's image commands against `stratus serve`: Glance v2 found through the
 * catalog, an upload of a qcow2 that qemu-img made, the checksum and virtual size Glance would
 * report, a download identical to the upload, properties, deactivation, and a refused unsafe image.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

const run = promisify(execFile);
let stratus: Stratus;
const osc = (args: string[], json = true) => stratus.openstack(args, { json });

beforeAll(async () => {
  stratus = await startStratus(["image"]);
}, 120_000);

afterAll(() => stratus?.stop());

describe("openstack CLI against stratus serve: image", () => {
  it("uploads, shows, downloads, changes, deactivates and deletes a qcow2 image", async () => {
    const file = join(stratus.dataDir, "disk.qcow2");
    await run("qemu-img", ["create", "-f", "qcow2", file, "64M"]);
    await osc(["image", "create", "--file", file, "--disk-format", "qcow2", "--container-format", "bare", "osc-img"]);

    const shown = await osc(["image", "show", "osc-img"]);
    const bytes = readFileSync(file);
    expect(shown).toMatchObject({
      status: "active",
      disk_format: "qcow2",
      size: bytes.length,
      virtual_size: 64 * 2 ** 20,
      checksum: createHash("md5").update(bytes).digest("hex"),
    });
    const list = (await osc(["image", "list"])) as Array<{ Name: string; Status: string }>;
    expect(list).toContainEqual(expect.objectContaining({ Name: "osc-img", Status: "active" }));

    const saved = join(stratus.dataDir, "saved.qcow2");
    await osc(["image", "save", "--file", saved, "osc-img"], false);
    expect(readFileSync(saved).equals(bytes)).toBe(true);

    await osc(["image", "set", "--property", "hw_disk_bus=virtio", "osc-img"], false);
    expect((await osc(["image", "show", "osc-img"])).properties).toMatchObject({ hw_disk_bus: "virtio" });
    await osc(["image", "unset", "--property", "hw_disk_bus", "osc-img"], false);
    expect((await osc(["image", "show", "osc-img"])).properties?.hw_disk_bus).toBeUndefined();

    await osc(["image", "set", "--deactivate", "osc-img"], false);
    expect((await osc(["image", "show", "osc-img"])).status).toBe("deactivated");
    await osc(["image", "set", "--activate", "osc-img"], false);
    expect((await osc(["image", "show", "osc-img"])).status).toBe("active");

    await osc(["image", "delete", "osc-img"], false);
    expect(await stratus.openstackFails(["image", "show", "osc-img"])).toMatch(/No Image found|not found|404/i);
  });

  it("refuses a qcow2 whose backing file is a host file, and keeps no active image", async () => {
    const file = join(stratus.dataDir, "evil.qcow2");
    await run("qemu-img", ["create", "-f", "qcow2", "-b", "/etc/passwd", "-F", "raw", file, "64M"]);
    const err = await stratus.openstackFails([
      "image",
      "create",
      "--file",
      file,
      "--disk-format",
      "qcow2",
      "--container-format",
      "bare",
      "osc-evil",
    ]);
    expect(err).toMatch(/400|backing/i);
    const list = (await osc(["image", "list"])) as Array<{ Name: string; Status: string }>;
    expect(list.filter((i) => i.Name === "osc-evil" && i.Status === "active")).toEqual([]);
  });
});
