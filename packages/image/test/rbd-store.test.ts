/**
 * RbdImageStore on the harness's Ceph: the ImageStore contract (each store in a fresh RBD
 * namespace, so the contract's fixed id never collides), Glance's layout (image `<id>`, protected
 * snapshot `snap`, `rbd://fsid/pool/id/snap`), big uploads across segments, ranges, the size cap,
 * sweeping dead uploads, and a delete refused with `conflict` while a clone uses the snapshot.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { Cluster, type IoCtx, rbd } from "@stratus/rados";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CephConnection, useCeph } from "../../../scripts/harness/index.js";
import { runStoreContract } from "../src/api/contract.js";
import { RbdImageStore } from "../src/api/rbd-store.js";

let ceph: CephConnection;
let cluster: Cluster;
const contexts: IoCtx[] = [];

beforeAll(async () => {
  ceph = await useCeph({ objectstore: "memstore" });
  cluster = await Cluster.connect({ conf: ceph.conf, keyring: ceph.keyring, client: ceph.client });
});
afterAll(async () => {
  await cluster?.shutdown();
});

/** A store in a new RBD namespace of the harness's pool. */
async function freshStore(options: { maxSize?: number; order?: number } = {}): Promise<RbdImageStore> {
  const root = await cluster.ioctx(ceph.pool);
  const namespace = `glance-${randomUUID().slice(0, 8)}`;
  await rbd.namespaceCreate(root, namespace);
  await root.close();
  const ioctx = await cluster.ioctx(ceph.pool, { namespace });
  contexts.push(ioctx);
  return new RbdImageStore({ ioctx, fsid: ceph.fsid, ...options });
}

async function collect(stream: AsyncIterable<Uint8Array> | null): Promise<Buffer> {
  if (!stream) throw new Error("no data");
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

const id = "11111111-2222-4333-8444-555555555555";

runStoreContract("RBD", () => freshStore());

describe("RbdImageStore", () => {
  it("stores an image as Glance's RBD driver does: image <id>, protected snapshot snap, rbd:// location", async () => {
    const store = await freshStore();
    const staged = await store.begin(id);
    await staged.write(Buffer.from("data"));
    expect((await rbd.list(store.ioctx)).some((n) => n.startsWith(`${id}.tmp-`))).toBe(true);
    expect(await staged.commit()).toBe(4);
    expect(await rbd.list(store.ioctx)).toEqual([id]);
    await rbd.withImage(store.ioctx, id, async (image) => {
      expect(await image.size()).toBe(4);
      expect((await image.snapList()).map((s) => s.name)).toEqual(["snap"]);
      expect(await image.isProtected("snap")).toBe(true);
    });
    expect(store.locationOf(id)).toBe(`rbd://${ceph.fsid}/${ceph.pool}/${id}/snap`);
    expect(await store.listIds()).toEqual([id]);
  });

  it("round-trips an upload of many odd-sized chunks across object boundaries, and reads byte ranges", async () => {
    const store = await freshStore({ order: 20 }); // 1 MiB objects: many segments, several growths
    const data = randomBytes(9 * 2 ** 20 + 12345);
    const staged = await store.begin(id);
    for (let at = 0; at < data.length; at += 65_537) await staged.write(data.subarray(at, at + 65_537));
    expect(await staged.commit()).toBe(data.length);
    expect((await collect(await store.read(id))).equals(data)).toBe(true);
    const range = { start: 2 ** 20 - 7, end: 5 * 2 ** 20 + 3 };
    expect((await collect(await store.read(id, range))).equals(data.subarray(range.start, range.end + 1))).toBe(true);
    expect((await collect(await store.read(id, { start: 0, end: 0 }))).equals(data.subarray(0, 1))).toBe(true);
    await rbd.withImage(store.ioctx, id, async (image) => expect(await image.size()).toBe(data.length));
  });

  it("stores an empty image and reads it back empty", async () => {
    const store = await freshStore();
    expect(await (await store.begin(id)).commit()).toBe(0);
    expect(await store.has(id)).toBe(true);
    expect((await collect(await store.read(id))).length).toBe(0);
  });

  it("refuses bytes past the size cap with payload_too_large, and abort leaves no image behind", async () => {
    const store = await freshStore({ maxSize: 10 });
    const staged = await store.begin(id);
    await staged.write(Buffer.alloc(10));
    await expect(staged.write(Buffer.alloc(1))).rejects.toMatchObject({ code: "payload_too_large" });
    await staged.abort();
    expect(await rbd.list(store.ioctx)).toEqual([]);
  });

  it("rejects an id that is not an image id with bad_request", async () => {
    const store = await freshStore();
    await expect(store.begin("../x")).rejects.toMatchObject({ code: "bad_request" });
    await expect(store.has("a/b")).rejects.toMatchObject({ code: "bad_request" });
    expect(() => store.locationOf("x y")).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("a second commit of the same id is a conflict and leaves the first data", async () => {
    const store = await freshStore();
    const first = await store.begin(id);
    const second = await store.begin(id);
    await first.write(Buffer.from("one"));
    await second.write(Buffer.from("two"));
    await first.commit();
    await expect(second.commit()).rejects.toMatchObject({ code: "conflict" });
    expect((await collect(await store.read(id))).toString()).toBe("one");
    expect(await rbd.list(store.ioctx)).toEqual([id]);
  });

  it("sweeps the temporary images of dead uploads, leaving a live one (still open) alone", async () => {
    const store = await freshStore();
    const other = "22222222-2222-4333-8444-555555555555";
    await rbd.create(store.ioctx, `${other}.tmp-0123456789ab`, 2 ** 20); // a process died mid-upload
    const live = await store.begin(id);
    await live.write(Buffer.from("half"));
    await (await store.begin(other)).commit();
    expect(await store.sweep()).toBe(1);
    expect((await rbd.list(store.ioctx)).sort()).toEqual(
      [`${id}.tmp-`, other].sort().map((n) => expect.stringContaining(n)),
    );
    expect(await live.commit()).toBe(4);
    expect(await store.sweep()).toBe(0);
  });

  it("refuses to delete an image whose snapshot has a clone (409 in use), and deletes it once the clone is gone", async () => {
    const store = await freshStore();
    const staged = await store.begin(id);
    await staged.write(Buffer.from("base"));
    await staged.commit();
    await rbd.clone(store.ioctx, id, "snap", store.ioctx, "volume-1", { features: ["layering"] });
    await expect(store.delete(id)).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringContaining(`Image ${id} could not be deleted because it is in use`),
    });
    expect((await collect(await store.read(id))).toString()).toBe("base");
    await rbd.withImage(store.ioctx, id, async (image) => expect(await image.isProtected("snap")).toBe(true));
    await rbd.remove(store.ioctx, "volume-1");
    expect(await store.delete(id)).toBe(true);
    expect(await rbd.list(store.ioctx)).toEqual([]);
  });
});

describe("RbdImageStore.connect", () => {
  it("connects from a ceph.conf and pool, stores and reads an image, and closes its connection", async () => {
    const store = await RbdImageStore.connect({
      conf: ceph.conf,
      keyring: ceph.keyring,
      client: ceph.client,
      pool: ceph.pool,
    });
    const own = randomUUID();
    try {
      expect(store.fsid).toBe(ceph.fsid);
      const staged = await store.begin(own);
      await staged.write(Buffer.from("via connect"));
      await staged.commit();
      expect((await collect(await store.read(own))).toString()).toBe("via connect");
      expect(await store.delete(own)).toBe(true);
      expect(await store.read(own)).toBeNull();
    } finally {
      await store.close();
    }
    await expect(store.has(own)).rejects.toMatchObject({ code: "EBADF" });
  });

  it("fails to connect to a pool that does not exist with the pool's ENOENT", async () => {
    await expect(RbdImageStore.connect({ conf: ceph.conf, pool: "no-such-pool" })).rejects.toMatchObject({
      code: "ENOENT",
    });
  });
});
