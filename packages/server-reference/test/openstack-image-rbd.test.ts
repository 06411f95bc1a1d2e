/**
 * `stratus serve` with its images in Ceph RBD (the harness's single-node cluster), driven by the
 * openstack CLI: an upload becomes an RBD image named by the id with a protected snapshot `snap`
 * (Glance's layout, which volumes clone), `image save` reads it back, the admin sees the `rbd://`
 * direct_url, and a delete removes the RBD image.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CephConnection, useCeph } from "../../../scripts/harness/index.js";
import { type Stratus, startStratus } from "./osc-harness.js";

const run = promisify(execFile);
let ceph: CephConnection;
let stratus: Stratus;
const rbdCli = async (args: string[]) =>
  (await run("rbd", ["-c", ceph.conf, "--pool", ceph.pool, ...args], { timeout: 60_000 })).stdout;

beforeAll(async () => {
  ceph = await useCeph({ objectstore: "memstore" });
  stratus = await startStratus(["image"], {
    serverEnv: {
      STRATUS_IMAGE_STORE: "rbd",
      STRATUS_IMAGE_RBD_POOL: ceph.pool,
      STRATUS_IMAGE_RBD_CONF: ceph.conf,
      STRATUS_IMAGE_RBD_USER: ceph.client,
      STRATUS_IMAGE_RBD_KEYRING: ceph.keyring,
    },
  });
}, 180_000);
afterAll(() => stratus?.stop());

describe("openstack CLI against stratus serve: image data in Ceph RBD", () => {
  it("stores an upload as an RBD image with a protected snapshot, reads it back and deletes it", async () => {
    const file = join(stratus.dataDir, "disk.raw");
    const bytes = randomBytes(5 * 2 ** 20 + 123);
    writeFileSync(file, bytes);
    await stratus.openstack([
      "image",
      "create",
      "--file",
      file,
      "--disk-format",
      "raw",
      "--container-format",
      "bare",
      "rbd-img",
    ]);
    const shown = await stratus.openstack(["image", "show", "rbd-img"]);
    expect(shown).toMatchObject({ status: "active", size: bytes.length });
    expect(shown.properties?.stores ?? shown.stores).toBe("rbd");
    const id = shown.id as string;
    expect((await rbdCli(["ls"])).split("\n")).toContain(id);
    const snaps = JSON.parse(await rbdCli(["snap", "ls", "--format", "json", id])) as Array<{ name: string }>;
    expect(snaps.map((s) => s.name)).toEqual(["snap"]);
    const info = JSON.parse(await rbdCli(["info", "--format", "json", `${id}@snap`])) as { protected?: string };
    expect(info.protected).toBe("true");
    expect(shown.properties?.direct_url ?? shown.direct_url).toBe(`rbd://${ceph.fsid}/${ceph.pool}/${id}/snap`);

    const saved = join(stratus.dataDir, "saved.raw");
    await stratus.openstack(["image", "save", "--file", saved, "rbd-img"], { json: false });
    expect(readFileSync(saved).equals(bytes)).toBe(true);

    await stratus.openstack(["image", "delete", "rbd-img"], { json: false });
    expect((await rbdCli(["ls"])).split("\n")).not.toContain(id);
  }, 120_000);
});
