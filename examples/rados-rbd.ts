/**
 * @stratus/rados: librados/librbd from TypeScript, every blocking call off the event loop. An RBD
 * image written at an offset, snapshotted and protected (Glance's layout), cloned copy-on-write
 * (what a volume from an image is), and the typed errors: EBUSY for a protected snapshot with a
 * clone, ENOENT for a missing image. Needs a cluster: CEPH_CONF (and optionally CEPH_POOL,
 * CEPH_KEYRING); the test suite points it at the harness's single-node Ceph.
 */
import { randomUUID } from "node:crypto";
import { Cluster, isRadosError, rbd } from "@stratus/rados";

const conf = process.env["CEPH_CONF"];
if (conf === undefined) throw new Error("set CEPH_CONF to a ceph.conf (scripts/harness/stratus-harness env ceph)");
const cluster = await Cluster.connect({
  conf,
  ...(process.env["CEPH_KEYRING"] ? { keyring: process.env["CEPH_KEYRING"] } : {}),
});
const ioctx = await cluster.ioctx(process.env["CEPH_POOL"] ?? "rbd");
const name = `example-${randomUUID().slice(0, 8)}`;
const child = `${name}-clone`;
const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => "none",
    (e) => (isRadosError(e) ? e.code : String(e)),
  );

try {
  await rbd.create(ioctx, name, 64 * 2 ** 20, { features: ["layering"] });
  const image = await rbd.open(ioctx, name);
  await image.write(4 * 2 ** 20 + 17, Buffer.from("hello from stratus"));
  await image.snapCreate("snap");
  await image.snapProtect("snap");
  await rbd.clone(ioctx, name, "snap", ioctx, child);
  const clone = await rbd.open(ioctx, child);
  const read = (await clone.read(4 * 2 ** 20 + 17, 18)).toString();
  console.log(`clone reads its parent's data: "${read}"`);
  const atSnap = await rbd.open(ioctx, name, { snapshot: "snap" });
  const children = await atSnap.listChildren();
  await atSnap.close();
  console.log(`children of ${name}@snap: ${children.map((c) => c.name).join(", ")}`);
  const busy = await codeOf(image.snapUnprotect("snap"));
  console.log(`unprotecting a snapshot with a clone: ${busy}`);
  const missing = await codeOf(rbd.open(ioctx, `${name}-nope`));
  console.log(`opening a missing image: ${missing}`);
  await clone.close();
  await rbd.remove(ioctx, child);
  await image.snapUnprotect("snap");
  await image.snapRemove("snap");
  await image.close();
  const ok = read === "hello from stratus" && busy === "EBUSY" && missing === "ENOENT" && children.length === 1;
  console.log(ok ? "ok" : "unexpected");
  if (!ok) process.exitCode = 1;
} finally {
  await rbd.remove(ioctx, child).catch(() => undefined);
  await rbd.remove(ioctx, name).catch(() => undefined);
  await cluster.shutdown();
}
