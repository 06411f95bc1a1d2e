/**
 * @stratus/rados against a real single-node Ceph (the harness's, memstore): connection, errno
 * mapping, image life cycle, data at offsets, snapshots and clones, and the event loop staying
 * free during long calls.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CephConnection, useCeph } from "../../../scripts/harness/index.js";
import { Cluster, type IoCtx, RadosError, rbd } from "../src/index.js";

let ceph: CephConnection;
let cluster: Cluster;
let ioctx: IoCtx;
const MiB = 1 << 20;
const name = (what: string) => `${what}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  ceph = await useCeph({ objectstore: "memstore" });
  cluster = await Cluster.connect({ conf: ceph.conf, keyring: ceph.keyring, client: ceph.client });
  ioctx = await cluster.ioctx(ceph.pool);
});
afterAll(async () => {
  await cluster?.shutdown();
});

describe("Cluster", () => {
  it("connects from the harness's ceph.conf and reports the cluster's fsid", async () => {
    expect(await cluster.fsid()).toBe(ceph.fsid);
  });

  it("rejects a missing conf file with ENOENT and a missing pool with ENOENT", async () => {
    await expect(Cluster.connect({ conf: "/nonexistent/ceph.conf" })).rejects.toMatchObject({
      name: "RadosError",
      code: "ENOENT",
      op: "rados_conf_read_file",
    });
    await expect(cluster.ioctx("no-such-pool")).rejects.toMatchObject({ code: "ENOENT", op: "rados_ioctx_create" });
  });

  it("connects from options alone (mon_host) without a conf file", async () => {
    const other = await Cluster.connect({ options: { mon_host: ceph.monHost, auth_client_required: "none" } });
    try {
      expect(await other.fsid()).toBe(ceph.fsid);
    } finally {
      await other.shutdown();
      await other.shutdown();
    }
    await expect(other.ioctx(ceph.pool)).rejects.toMatchObject({ code: "EBADF" });
  });
});

describe("rbd images", () => {
  it("creates, lists, renames and removes an image; errors carry the errno name", async () => {
    const a = name("life");
    const b = name("life");
    await rbd.create(ioctx, a, 8 * MiB, { features: ["layering"], order: 22 });
    await expect(rbd.create(ioctx, a, MiB)).rejects.toMatchObject({ code: "EEXIST", op: "rbd_create4" });
    expect(await rbd.list(ioctx)).toContain(a);
    await rbd.rename(ioctx, a, b);
    const names = await rbd.list(ioctx);
    expect(names).toContain(b);
    expect(names).not.toContain(a);
    await expect(rbd.open(ioctx, a)).rejects.toMatchObject({ code: "ENOENT", op: "rbd_open" });
    const stat = await rbd.withImage(ioctx, b, (image) => image.stat());
    expect(stat).toMatchObject({ size: 8 * MiB, order: 22, objectSize: 4 * MiB, objects: 2, features: ["layering"] });
    await rbd.remove(ioctx, b);
    await expect(rbd.remove(ioctx, b)).rejects.toBeInstanceOf(RadosError);
    await expect(rbd.remove(ioctx, b)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(rbd.create(ioctx, name("bad"), MiB, { order: 5 })).rejects.toMatchObject({ code: "EDOM" });
  });

  it("reads back what was written at offsets, across object boundaries, zeros where unwritten", async () => {
    const n = name("io");
    await rbd.create(ioctx, n, 16 * MiB, { order: 22 });
    const image = await rbd.open(ioctx, n);
    try {
      const head = randomBytes(4096);
      const straddle = randomBytes(3 * MiB);
      expect(await image.write(0, head)).toBe(4096);
      expect(await image.write(4 * MiB - MiB, straddle)).toBe(3 * MiB);
      await image.flush();
      expect((await image.read(0, 4096)).equals(head)).toBe(true);
      expect((await image.read(3 * MiB, 3 * MiB)).equals(straddle)).toBe(true);
      expect((await image.read(3 * MiB + 10, 5)).equals(straddle.subarray(10, 15))).toBe(true);
      expect((await image.read(10 * MiB, 4096)).equals(Buffer.alloc(4096))).toBe(true);
      expect((await image.read(16 * MiB - 100, 4096)).length).toBe(100);
      await expect(image.write(16 * MiB, Buffer.from("x"))).rejects.toMatchObject({ code: "EINVAL" });
      await image.resize(20 * MiB);
      expect(await image.size()).toBe(20 * MiB);
      await image.write(16 * MiB, Buffer.from("tail"));
      await image.resize(4096);
      expect((await image.read(0, 8192)).equals(head)).toBe(true);
    } finally {
      await image.close();
    }
    await rbd.remove(ioctx, n);
  });

  it("serves many concurrent writes and reads on one image, and refuses calls after close with EBADF", async () => {
    const n = name("many");
    await rbd.create(ioctx, n, 64 * 64 * 1024);
    const image = await rbd.open(ioctx, n);
    const blocks = Array.from({ length: 64 }, () => randomBytes(64 * 1024));
    await Promise.all(blocks.map((block, i) => image.write(i * 64 * 1024, block)));
    const back = await Promise.all(blocks.map((_, i) => image.read(i * 64 * 1024, 64 * 1024)));
    expect(back.every((b, i) => b.equals(blocks[i] as Buffer))).toBe(true);
    const reads = Promise.all(blocks.map((_, i) => image.read(i * 64 * 1024, 64 * 1024)));
    await image.close(); // waits for the reads already borrowed the handle
    await expect(reads).resolves.toHaveLength(64);
    await expect(image.read(0, 1)).rejects.toMatchObject({ code: "EBADF" });
    await image.close();
    await rbd.remove(ioctx, n);
  });

  it("keeps the event loop ticking during a long call (a 64 MiB write)", async () => {
    const n = name("loop");
    await rbd.create(ioctx, n, 64 * MiB);
    const image = await rbd.open(ioctx, n);
    const data = Buffer.alloc(64 * MiB, 7);
    let ticks = 0;
    let last = performance.now();
    let maxGap = 0;
    const timer = setInterval(() => {
      const now = performance.now();
      maxGap = Math.max(maxGap, now - last);
      last = now;
      ticks++;
    }, 2);
    const started = performance.now();
    try {
      await image.write(0, data);
      await image.flush();
    } finally {
      clearInterval(timer);
      await image.close();
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThan(20); // a real call that a blocked loop would show
    expect(ticks).toBeGreaterThan(elapsed / 50);
    // a call on the loop thread would make one gap as long as the whole call
    expect(maxGap).toBeLessThan(elapsed * 0.6);
    await rbd.remove(ioctx, n);
  });
});
