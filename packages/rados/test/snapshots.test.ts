/**
 * Snapshots, protection, clones and children on a real Ceph, including the errno codes callers
 * branch on: EBUSY for a protected snapshot or one with clones, EINVAL for unprotecting twice.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCeph } from "../../../scripts/harness/index.js";
import { Cluster, type IoCtx, rbd } from "../src/index.js";

let cluster: Cluster;
let ioctx: IoCtx;
const MiB = 1 << 20;
const name = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  const ceph = await useCeph({ objectstore: "memstore" });
  cluster = await Cluster.connect({ conf: ceph.conf, keyring: ceph.keyring, client: ceph.client });
  ioctx = await cluster.ioctx(ceph.pool);
});
afterAll(async () => {
  await cluster?.shutdown();
});

describe("rbd snapshots and clones", () => {
  it("creates, lists, protects and removes snapshots; a protected one is EBUSY to remove", async () => {
    const n = name("snap");
    await rbd.create(ioctx, n, 4 * MiB, { features: ["layering"] });
    await rbd.withImage(ioctx, n, async (image) => {
      await image.snapCreate("one");
      await expect(image.snapCreate("one")).rejects.toMatchObject({ code: "EEXIST", op: "rbd_snap_create" });
      await image.resize(8 * MiB);
      await image.snapCreate("two");
      expect((await image.snapList()).map(({ name, size }) => ({ name, size }))).toEqual([
        { name: "one", size: 4 * MiB },
        { name: "two", size: 8 * MiB },
      ]);
      await image.snapProtect("one");
      expect(await image.isProtected("one")).toBe(true);
      expect(await image.isProtected("two")).toBe(false);
      await expect(image.isProtected("nope")).rejects.toMatchObject({ code: "ENOENT" });
      await expect(image.snapRemove("one")).rejects.toMatchObject({ code: "EBUSY", op: "rbd_snap_remove" });
      await image.snapUnprotect("one");
      await expect(image.snapUnprotect("one")).rejects.toMatchObject({ code: "EINVAL" });
      await image.snapRemove("one");
      await image.snapRemove("two");
      await expect(image.snapRemove("two")).rejects.toMatchObject({ code: "ENOENT" });
      expect(await image.snapList()).toEqual([]);
    });
    await rbd.remove(ioctx, n);
  });

  it("refuses to remove an image that has snapshots with ENOTEMPTY", async () => {
    const n = name("hassnap");
    await rbd.create(ioctx, n, MiB);
    await rbd.withImage(ioctx, n, (image) => image.snapCreate("s"));
    await expect(rbd.remove(ioctx, n)).rejects.toMatchObject({ code: "ENOTEMPTY" });
    await rbd.withImage(ioctx, n, (image) => image.snapRemove("s"));
    await rbd.remove(ioctx, n);
  });

  it("clones a protected snapshot copy-on-write, lists the child, and keeps the snapshot busy until it goes", async () => {
    const parent = name("parent");
    const child = name("child");
    await rbd.create(ioctx, parent, 8 * MiB, { features: ["layering"] });
    await rbd.withImage(ioctx, parent, async (image) => {
      await image.write(MiB, Buffer.from("base image"));
      await image.snapCreate("snap");
      await image.snapProtect("snap");
    });
    await rbd.clone(ioctx, parent, "snap", ioctx, child, { features: ["layering"] });
    await expect(rbd.clone(ioctx, parent, "snap", ioctx, child)).rejects.toMatchObject({ code: "EEXIST" });
    await expect(rbd.clone(ioctx, parent, "missing", ioctx, name("c"))).rejects.toMatchObject({ code: "ENOENT" });
    await rbd.withImage(ioctx, child, async (image) => {
      expect((await image.read(MiB, 10)).toString()).toBe("base image");
      await image.write(MiB, Buffer.from("CHILD"));
      expect((await image.read(MiB, 10)).toString()).toBe("CHILDimage");
    });
    const children = await rbd.withImage(ioctx, parent, (image) => image.listChildren(), { snapshot: "snap" });
    expect(children).toEqual([{ pool: "rbd", namespace: "", id: expect.any(String), name: child, trash: false }]);
    await rbd.withImage(ioctx, parent, async (image) => {
      expect((await image.read(MiB, 10)).toString()).toBe("base image");
      await expect(image.snapUnprotect("snap")).rejects.toMatchObject({ code: "EBUSY" });
    });
    await rbd.remove(ioctx, child);
    await rbd.withImage(ioctx, parent, async (image) => {
      await image.snapUnprotect("snap");
      await image.snapRemove("snap");
    });
    await rbd.remove(ioctx, parent);
  });

  it("keeps images of RBD namespaces apart", async () => {
    const ns = name("ns");
    await rbd.namespaceCreate(ioctx, ns);
    const scoped = await cluster.ioctx(ioctx.pool, { namespace: ns });
    const n = name("scoped");
    await rbd.create(scoped, n, MiB);
    expect(await rbd.list(scoped)).toEqual([n]);
    expect(await rbd.list(ioctx)).not.toContain(n);
    await expect(rbd.namespaceRemove(ioctx, ns)).rejects.toMatchObject({ code: "EBUSY" });
    await rbd.remove(scoped, n);
    await scoped.close();
    await rbd.namespaceRemove(ioctx, ns);
  });
});
