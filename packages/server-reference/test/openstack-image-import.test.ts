/**
 * Glance's interoperable image import against `stratus serve`, driven by the installed clients:
 * python-openstackclient 6 offers only `image create --import` (create, stage, glance-direct
 * import); python-glanceclient's `glance image-create-via-import` covers web-download. The server
 * converts every import to raw, and allows web-download only from the loopback server this test
 * starts (its host and port, through STRATUS_IMAGE_IMPORT_ALLOWED_*).
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stratus, startStratus } from "./osc-harness.js";

const run = promisify(execFile);
let stratus: Stratus;
let web: Server;
let webPort: number;
let secretHits = 0;
const osc = (args: string[], json = true) => stratus.openstack(args, { json });
const md5 = (b: Uint8Array) => createHash("md5").update(b).digest("hex");
/** The glance CLI with stdin closed (else it takes a pipe for image data); it negotiates through `GET /versions`. */
const glance = (args: string[]) => run("sh", ["-c", 'exec glance "$@" <&-', "glance", ...args], { env: stratus.env });

/** `openstack image show` until the status is no longer uploading/importing. */
async function settled(name: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 60; i++) {
    const image = await osc(["image", "show", name]);
    if (image.status !== "importing" && image.status !== "uploading") return image;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`image ${name} is still importing`);
}

beforeAll(async () => {
  web = createServer((request, response) => {
    if (request.url === "/disk.qcow2") return response.end(readFileSync(join(stratus.dataDir, "web.qcow2")));
    if (request.url === "/to-metadata") return response.writeHead(302, { location: "http://169.254.169.254/" }).end();
    secretHits++;
    response.writeHead(404).end();
  });
  await new Promise<void>((r) => web.listen(0, "127.0.0.1", r));
  webPort = (web.address() as AddressInfo).port;
  stratus = await startStratus(["image"], {
    serverEnv: {
      STRATUS_IMAGE_CONVERSION_FORMAT: "raw",
      STRATUS_IMAGE_IMPORT_ALLOWED_HOSTS: "127.0.0.1",
      STRATUS_IMAGE_IMPORT_ALLOWED_PORTS: String(webPort),
    },
  });
}, 120_000);

afterAll(async () => {
  await stratus?.stop();
  await new Promise((r) => web?.close(r));
});

describe("image import with the openstack and glance CLIs against stratus serve", () => {
  it("imports a qemu-img qcow2 with `openstack image create --import` (glance-direct) and stores it converted to raw", async () => {
    const file = join(stratus.dataDir, "direct.qcow2");
    await run("qemu-img", ["create", "-f", "qcow2", file, "32M"]);
    await run("qemu-io", ["-f", "qcow2", "-c", "write -P 0x42 1M 256k", file]);
    const expected = join(stratus.dataDir, "direct.raw");
    await run("qemu-img", ["convert", "-f", "qcow2", "-O", "raw", file, expected]);
    const raw = readFileSync(expected);

    await osc([
      "image",
      "create",
      "--import",
      "--file",
      file,
      "--disk-format",
      "qcow2",
      "--container-format",
      "bare",
      "imp-direct",
    ]);
    const image = await settled("imp-direct");
    expect(image).toMatchObject({
      status: "active",
      disk_format: "raw",
      container_format: "bare",
      size: raw.length,
      virtual_size: 32 * 2 ** 20,
      checksum: md5(raw),
    });
    const saved = join(stratus.dataDir, "direct.saved");
    await osc(["image", "save", "--file", saved, "imp-direct"], false);
    expect(readFileSync(saved).equals(raw)).toBe(true);
  });

  it("imports with `glance image-create-via-import --import-method web-download` from the allowed loopback server", async () => {
    await run("qemu-img", ["create", "-f", "qcow2", join(stratus.dataDir, "web.qcow2"), "8M"]);
    const { stdout } = await glance(["import-info"]);
    expect(stdout).toContain("web-download");
    const uri = `http://127.0.0.1:${webPort}/disk.qcow2`;
    await glance(
      ["image-create-via-import", "--name", "imp-web", "--disk-format", "qcow2", "--container-format", "bare"].concat([
        "--import-method",
        "web-download",
        "--uri",
        uri,
      ]),
    );
    const image = await settled("imp-web");
    expect(image).toMatchObject({ status: "active", disk_format: "raw", virtual_size: 8 * 2 ** 20, size: 8 * 2 ** 20 });
  });

  it("refuses unsafe web-download URLs: a link-local URI at once (400), a redirect to it in the task; the images stay queued", async () => {
    const create = (name: string, uri: string) =>
      glance(
        ["image-create-via-import", "--name", name, "--disk-format", "raw", "--container-format", "bare"].concat([
          "--import-method",
          "web-download",
          "--uri",
          uri,
        ]),
      );
    const refused = await create("imp-metadata", "http://169.254.169.254/latest/meta-data/").catch((e) => e);
    expect(String(refused.stderr)).toContain("URI for web-download does not pass filtering");
    const metadata = await osc(["image", "show", "imp-metadata"]);
    expect(metadata.status).toBe("queued");
    expect(metadata.size ?? null).toBeNull(); // osc leaves a null size out

    await create("imp-redirect", `http://127.0.0.1:${webPort}/to-metadata`);
    const image = await settled("imp-redirect");
    expect(image.status).toBe("queued");
    expect(image.size ?? null).toBeNull();
    expect(image.properties).toMatchObject({ os_glance_failed_import: "file" });
    // `glance image-tasks` needs 2.12, found in our `GET /versions`
    const { stdout } = await glance(["image-tasks", String(image.id)]);
    expect(stdout).toContain("failure");
    expect(stdout).toContain("Redirect to disallowed URL");
    expect(secretHits).toBe(0);
  });
});
