/**
 * @stratus/image/api: Glance v2 on loopback, called over real HTTP: an image created and uploaded
 * (md5, sha512 and the format check in one streaming pass), shared with another project which
 * accepts it, imported with glance-direct into a second image, and a qcow2 declared as raw refused.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { FilesystemStore, ImportRunner, MemoryImageRepository, registerImageRoutes } from "@stratus/image/api";

const dir = mkdtempSync(join(tmpdir(), "stratus-example-glance-"));
const imports = new ImportRunner();
const app = createServiceApp({
  service: "image",
  authenticator: new StaticAuthenticator({
    "alice-token": { userId: "alice", projectId: "p-alice", roles: ["member", "reader"] },
    "bob-token": { userId: "bob", projectId: "p-bob", roles: ["member", "reader"] },
  }),
  identityUri: "http://127.0.0.1:5000",
});
registerImageRoutes(app, {
  repository: new MemoryImageRepository(),
  store: new FilesystemStore({ directory: join(dir, "images") }),
  staging: new FilesystemStore({ directory: join(dir, "staging") }),
  imports,
});
await app.listen({ host: "127.0.0.1", port: 0 });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

// biome-ignore lint/suspicious/noExplicitAny: the example reads the JSON bodies freely
async function call(who: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const binary = Buffer.isBuffer(body);
  const res = await fetch(base + path, {
    method,
    headers: {
      "x-auth-token": `${who}-token`,
      accept: "application/json",
      ...(body === undefined ? {} : { "content-type": binary ? "application/octet-stream" : "application/json" }),
    },
    ...(body === undefined ? {} : { body: binary ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text === "" ? undefined : JSON.parse(text) };
}

try {
  // a 64 MiB qcow2 made by qemu-img, uploaded by alice
  const disk = join(dir, "disk.qcow2");
  execFileSync("qemu-img", ["create", "-q", "-f", "qcow2", disk, "64M"]);
  const image = (
    await call("alice", "POST", "/v2/images", {
      name: "cirros",
      disk_format: "qcow2",
      container_format: "bare",
      visibility: "shared",
    })
  ).json;
  await call("alice", "PUT", `/v2/images/${image.id}/file`, readFileSync(disk));
  const shown = (await call("alice", "GET", `/v2/images/${image.id}`)).json;
  console.log(
    `${shown.name}: ${shown.status}, ${shown.size} bytes, virtual ${shown.virtual_size}, md5 ${shown.checksum}`,
  );

  // shared with bob: he sees it at once, lists it once he accepts
  await call("alice", "POST", `/v2/images/${image.id}/members`, { member: "p-bob" });
  const before = (await call("bob", "GET", "/v2/images")).json.images.length;
  await call("bob", "PUT", `/v2/images/${image.id}/members/p-bob`, { status: "accepted" });
  const after = (await call("bob", "GET", "/v2/images")).json.images.length;
  console.log(`bob lists ${before} image(s) before accepting, ${after} after`);

  // glance-direct import: stage, import (a background task), active
  const imported = (
    await call("alice", "POST", "/v2/images", { name: "imported", disk_format: "qcow2", container_format: "bare" })
  ).json;
  await call("alice", "PUT", `/v2/images/${imported.id}/stage`, readFileSync(disk));
  const accepted = await call("alice", "POST", `/v2/images/${imported.id}/import`, {
    method: { name: "glance-direct" },
  });
  await imports.idle();
  const task = (await call("alice", "GET", `/v2/images/${imported.id}/tasks`)).json.tasks[0];
  console.log(
    `import: ${accepted.status}, task ${task.status}, image ${(await call("alice", "GET", `/v2/images/${imported.id}`)).json.status}`,
  );

  // a qcow2 declared raw never becomes active
  const lying = (
    await call("alice", "POST", "/v2/images", { name: "lying", disk_format: "raw", container_format: "bare" })
  ).json;
  const refused = await call("alice", "PUT", `/v2/images/${lying.id}/file`, readFileSync(disk));
  console.log(`qcow2 declared raw: ${refused.status} ${String(refused.json.message).split("<br")[0]}`);

  const ok =
    shown.status === "active" && before === 0 && after === 1 && task.status === "success" && refused.status === 400;
  console.log(ok ? "ok" : "unexpected");
  if (!ok) process.exitCode = 1;
} finally {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
}
