/**
 * Contract suites every ImageRepository and ImageStore implementation must pass
 * (`runRepositoryContract(make)`, `runStoreContract(make)`), run in tests on each one.
 */
import { describe, expect, it } from "vitest";
import { type Image, type ImageMember, newImage } from "./model.js";
import type { ImageFilter, ImageRepository } from "./repository.js";
import type { ImageStore } from "./store.js";

const image = (n: number, overrides: Partial<Image> = {}): Image => ({
  ...newImage(
    `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    "p1",
  ),
  ...overrides,
});

const member = (n: number, memberId: string, minute: number): ImageMember => ({
  image_id: image(n).id,
  member_id: memberId,
  status: "pending",
  created_at: new Date(Date.UTC(2026, 0, 2, 0, minute)).toISOString(),
  updated_at: new Date(Date.UTC(2026, 0, 2, 0, minute)).toISOString(),
});

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

export function runRepositoryContract(name: string, make: () => Promise<ImageRepository>): void {
  describe(`ImageRepository contract: ${name}`, () => {
    it("creates, gets, updates and deletes an image; a second create of the id is a conflict", async () => {
      const repo = await make();
      await repo.create(image(1));
      await expect(repo.create(image(1))).rejects.toMatchObject({ code: "conflict" });
      expect((await repo.get(image(1).id))?.status).toBe("queued");
      const updated = await repo.update(image(1).id, (i) => ({ ...i, name: "n" }));
      expect(updated.name).toBe("n");
      expect((await repo.get(image(1).id))?.name).toBe("n");
      expect(await repo.delete(image(1).id)).toBe(true);
      expect(await repo.delete(image(1).id)).toBe(false);
      expect(await repo.get(image(1).id)).toBeNull();
    });

    it("writes nothing when the change throws, and updates a missing image with not_found", async () => {
      const repo = await make();
      await repo.create(image(1));
      await expect(
        repo.update(image(1).id, () => {
          throw new Error("no");
        }),
      ).rejects.toThrow("no");
      expect((await repo.get(image(1).id))?.name).toBeNull();
      await expect(repo.update(image(9).id, (i) => i)).rejects.toMatchObject({ code: "not_found" });
    });

    it("lists newest first, pages with a marker, filters, and rejects an unknown marker with not_found", async () => {
      const repo = await make();
      for (let n = 1; n <= 4; n++) await repo.create(image(n, { name: n % 2 ? "odd" : "even" }));
      await repo.create(image(5, { owner: "p2" }));
      await repo.create(image(6, { owner: "p2", visibility: "public" }));
      const ids = (list: readonly Image[]) => list.map((i) => Number(i.id.slice(-2)));
      expect(ids(await repo.list({ filter: {}, limit: 3, marker: null }))).toEqual([6, 5, 4]);
      expect(ids(await repo.list({ filter: {}, limit: 3, marker: image(4).id }))).toEqual([3, 2, 1]);
      expect(ids(await repo.list({ filter: { name: "odd" }, limit: 10, marker: null }))).toEqual([3, 1]);
      expect(ids(await repo.list({ filter: { visibleTo: "p1" }, limit: 10, marker: null }))).toEqual([6, 4, 3, 2, 1]);
      expect(ids(await repo.list({ filter: { visibility: "public" }, limit: 10, marker: null }))).toEqual([6]);
      await repo.update(image(5).id, (i) => ({ ...i, visibility: "community" }));
      await repo.update(image(4).id, (i) => ({ ...i, os_hidden: true }));
      expect(ids(await repo.list({ filter: { visibleTo: "p1", osHidden: false }, limit: 10, marker: null }))).toEqual([
        6, 3, 2, 1,
      ]);
      const community = { visibleTo: "p1", visibility: "community" } as const;
      expect(ids(await repo.list({ filter: community, limit: 10, marker: null }))).toEqual([5]);
      expect(ids(await repo.list({ filter: { osHidden: true }, limit: 10, marker: null }))).toEqual([4]);
      await expect(repo.list({ filter: {}, limit: 1, marker: image(9).id })).rejects.toMatchObject({
        code: "not_found",
      });
    });

    it("adds, reads, lists, updates and deletes members; a duplicate is a conflict, a missing image not_found", async () => {
      const repo = await make();
      await repo.create(image(1, { visibility: "shared" }));
      const m = member(1, "p2", 1);
      await repo.addMember(m);
      await repo.addMember(member(1, "p3", 0));
      await expect(repo.addMember(m)).rejects.toMatchObject({ code: "conflict" });
      await expect(repo.addMember(member(9, "p2", 0))).rejects.toMatchObject({ code: "not_found" });
      expect(await repo.getMember(image(1).id, "p2")).toEqual(m);
      expect(await repo.getMember(image(1).id, "p9")).toBeNull();
      expect((await repo.listMembers(image(1).id)).map((x) => x.member_id)).toEqual(["p3", "p2"]);
      const accepted = await repo.updateMember(image(1).id, "p2", (x) => ({ ...x, status: "accepted" }));
      expect(accepted.status).toBe("accepted");
      expect((await repo.getMember(image(1).id, "p2"))?.status).toBe("accepted");
      await expect(
        repo.updateMember(image(1).id, "p2", () => {
          throw new Error("no");
        }),
      ).rejects.toThrow("no");
      expect((await repo.getMember(image(1).id, "p2"))?.status).toBe("accepted");
      await expect(repo.updateMember(image(1).id, "p9", (x) => x)).rejects.toMatchObject({ code: "not_found" });
      expect(await repo.deleteMember(image(1).id, "p3")).toBe(true);
      expect(await repo.deleteMember(image(1).id, "p3")).toBe(false);
      expect(await repo.listMembers(image(9).id)).toEqual([]);
      await repo.delete(image(1).id);
      expect(await repo.getMember(image(1).id, "p2")).toBeNull();
      await repo.create(image(1));
      expect(await repo.listMembers(image(1).id)).toEqual([]);
    });

    it("lists shared images to a member by member status, and only while the image is shared", async () => {
      const repo = await make();
      await repo.create(image(1, { owner: "p1", visibility: "shared" }));
      await repo.create(image(2, { owner: "p1", visibility: "shared" }));
      await repo.create(image(3, { owner: "p1", visibility: "private" }));
      await repo.create(image(4, { owner: "p2", visibility: "shared" }));
      await repo.addMember({ ...member(1, "p2", 0), status: "accepted" });
      await repo.addMember(member(2, "p2", 0));
      await repo.addMember({ ...member(3, "p2", 0), status: "accepted" });
      const ids = (list: readonly Image[]) => list.map((i) => Number(i.id.slice(-2)));
      const list = (filter: Parameters<ImageRepository["list"]>[0]["filter"]) =>
        repo.list({ filter, limit: 10, marker: null }).then(ids);
      expect(await list({ visibleTo: "p2" })).toEqual([4, 1]);
      expect(await list({ visibleTo: "p2", memberStatus: "pending" })).toEqual([4, 2]);
      expect(await list({ visibleTo: "p2", memberStatus: "all" })).toEqual([4, 2, 1]);
      expect(await list({ visibleTo: "p2", visibility: "shared", memberStatus: "all" })).toEqual([4, 2, 1]);
      expect(await list({ visibleTo: "p3" })).toEqual([]);
      await repo.update(image(1).id, (i) => ({ ...i, visibility: "private" }));
      expect(await list({ visibleTo: "p2" })).toEqual([4]);
    });

    it("filters by attributes, in: lists, size bounds, every tag, properties and times", async () => {
      const repo = await make();
      await repo.create(
        image(1, { name: "a", disk_format: "raw", size: 100, tags: ["x"], properties: { os: "debian" } }),
      );
      await repo.create(image(2, { name: "b", disk_format: "raw", size: 300, tags: ["x", "y"], protected: true }));
      await repo.create(image(3, { name: "c", disk_format: "iso", container_format: "bare", min_disk: 2 }));
      await repo.create(image(4, { name: "d", owner: "p2", checksum: "c4", os_hash_value: "h4", size: 0 }));
      const ids = (list: readonly Image[]) => list.map((i) => Number(i.id.slice(-2))).sort();
      const list = (filter: ImageFilter) => repo.list({ filter, limit: 10, marker: null }).then(ids);
      expect(await list({ diskFormat: "raw" })).toEqual([1, 2]);
      expect(await list({ containerFormat: "bare", minDisk: 2 })).toEqual([3]);
      expect(await list({ names: ["a", "c", "zz"] })).toEqual([1, 3]);
      expect(await list({ ids: [image(2).id, image(4).id] })).toEqual([2, 4]);
      expect(await list({ owner: "p2", checksum: "c4", osHashValue: "h4" })).toEqual([4]);
      expect(await list({ protected: true })).toEqual([2]);
      expect(await list({ protected: false })).toEqual([1, 3, 4]);
      expect(await list({ sizeMin: 100 })).toEqual([1, 2]);
      expect(await list({ sizeMax: 100 })).toEqual([1, 4]);
      expect(await list({ size: 300 })).toEqual([2]);
      expect(await list({ tags: ["x"] })).toEqual([1, 2]);
      expect(await list({ tags: ["x", "y"] })).toEqual([2]);
      expect(await list({ properties: { os: "debian" } })).toEqual([1]);
      expect(await list({ properties: { os: "ubuntu" } })).toEqual([]);
      const at = image(2).created_at;
      expect(await list({ createdAt: { op: "gt", at } })).toEqual([3, 4]);
      expect(await list({ createdAt: { op: "lte", at } })).toEqual([1, 2]);
      expect(await list({ createdAt: { op: "eq", at } })).toEqual([2]);
      expect(await list({ updatedAt: { op: "neq", at } })).toEqual([1, 3, 4]);
    });

    it("counts an owner's images and bytes", async () => {
      const repo = await make();
      expect(await repo.usage("p1")).toEqual({ images: 0, bytes: 0 });
      await repo.create(image(1, { size: 1000 }));
      await repo.create(image(2));
      await repo.create(image(3, { owner: "p2", size: 5 }));
      await repo.create(image(4, { size: 6 * 1024 ** 3 }));
      expect(await repo.usage("p1")).toEqual({ images: 3, bytes: 1000 + 6 * 1024 ** 3 });
    });

    it("sorts by any key with nulls first ascending, ties broken by id, and pages the same order with a marker", async () => {
      const repo = await make();
      const names = [null, "b", "a", "B", null, "a"];
      const sizes = [5, null, 7, 5, null, 1];
      for (let n = 1; n <= 6; n++)
        await repo.create(image(n, { name: names[n - 1] ?? null, size: sizes[n - 1] ?? null, disk_format: "raw" }));
      const ids = (list: readonly Image[]) => list.map((i) => Number(i.id.slice(-2)));
      const all = async (sort: Parameters<ImageRepository["list"]>[0]["sort"]) => {
        const whole = ids(await repo.list({ filter: {}, limit: 10, marker: null, ...(sort ? { sort } : {}) }));
        const paged: number[] = [];
        let marker: string | null = null;
        for (;;) {
          const page: readonly Image[] = await repo.list({ filter: {}, limit: 2, marker, ...(sort ? { sort } : {}) });
          if (page.length === 0) break;
          paged.push(...ids(page));
          marker = page.at(-1)!.id;
        }
        expect(paged).toEqual(whole);
        return whole;
      };
      expect(await all([{ key: "name", dir: "asc" }])).toEqual([1, 5, 4, 3, 6, 2]);
      expect(await all([{ key: "name", dir: "desc" }])).toEqual([2, 6, 3, 4, 5, 1]);
      expect(await all([{ key: "size", dir: "asc" }])).toEqual([2, 5, 6, 1, 4, 3]);
      expect(
        await all([
          { key: "size", dir: "desc" },
          { key: "name", dir: "asc" },
        ]),
      ).toEqual([3, 1, 4, 6, 5, 2]);
      expect(
        await all([
          { key: "disk_format", dir: "asc" },
          { key: "id", dir: "desc" },
          { key: "name", dir: "asc" },
        ]),
      ).toEqual([6, 5, 4, 3, 2, 1]);
      expect(await all(undefined)).toEqual([6, 5, 4, 3, 2, 1]);
      expect(ids(await repo.list({ filter: { name: "a" }, limit: 10, marker: null }))).toEqual([6, 3]);
      await expect(repo.list({ filter: { name: "a" }, limit: 1, marker: image(4).id })).rejects.toMatchObject({
        code: "not_found",
      });
    });

    it("keeps every attribute, tags in order and properties exactly as given, through create and update", async () => {
      const repo = await make();
      const full = image(1, {
        id: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
        name: "Debian 12 \u00e9",
        status: "active",
        visibility: "community",
        protected: true,
        os_hidden: true,
        checksum: "c".repeat(32),
        os_hash_algo: "sha512",
        os_hash_value: "f".repeat(128),
        size: 2 ** 40 + 1,
        virtual_size: 2 ** 41,
        disk_format: "qcow2",
        container_format: "bare",
        min_disk: 20,
        min_ram: 2048,
        owner: "p9",
        tags: ["zeta", "Alpha", "alpha"],
        created_at: "2026-01-01T00:00:00.123Z",
        updated_at: "2026-02-03T04:05:06.789Z",
        properties: { os_distro: "debian", Hw_Disk_Bus: "virtio", empty: "", long: "x".repeat(2000) },
      });
      await repo.create(full);
      expect(await repo.get(full.id)).toEqual(full);
      const changed = await repo.update(full.id, (i) => ({
        ...i,
        tags: ["alpha", "new"],
        properties: { os_distro: "Debian" },
        size: null,
        owner: null,
      }));
      expect(await repo.get(full.id)).toEqual(changed);
      expect(changed.tags).toEqual(["alpha", "new"]);
      expect(await repo.list({ filter: { tags: ["Alpha"] }, limit: 10, marker: null })).toEqual([]);
      expect(await repo.list({ filter: { properties: { os_distro: "debian" } }, limit: 10, marker: null })).toEqual([]);
      expect(await repo.list({ filter: { tags: ["new"], name: "Debian 12 \u00e9" }, limit: 10, marker: null })).toEqual(
        [changed],
      );
      expect(await repo.list({ filter: { name: "debian 12 \u00e9" }, limit: 10, marker: null })).toEqual([]);
      expect(await repo.get(full.id.toUpperCase())).toBeNull();
    });

    it("loses no update when many run at once on the same image", async () => {
      const repo = await make();
      await repo.create(image(1));
      await Promise.all(
        Array.from({ length: 20 }, () => repo.update(image(1).id, (i) => ({ ...i, min_ram: i.min_ram + 1 }))),
      );
      expect((await repo.get(image(1).id))?.min_ram).toBe(20);
    });
  });
}

export function runStoreContract(name: string, make: () => Promise<ImageStore>): void {
  describe(`ImageStore contract: ${name}`, () => {
    const id = "00000000-0000-4000-8000-000000000001";

    it("keeps nothing visible until commit, then reads back the same bytes", async () => {
      const store = await make();
      const staged = await store.begin(id);
      await staged.write(Buffer.from("hello "));
      await staged.write(Buffer.from("world"));
      expect(await store.has(id)).toBe(false);
      expect(await store.read(id)).toBeNull();
      expect(await staged.commit()).toBe(11);
      const data = await store.read(id);
      expect(data && (await collect(data)).toString()).toBe("hello world");
    });

    it("throws the bytes away on abort (twice is fine)", async () => {
      const store = await make();
      const staged = await store.begin(id);
      await staged.write(Buffer.from("x"));
      await staged.abort();
      await staged.abort();
      expect(await store.has(id)).toBe(false);
    });

    it("deletes idempotently", async () => {
      const store = await make();
      const staged = await store.begin(id);
      await staged.write(Buffer.from("x"));
      await staged.commit();
      expect(await store.delete(id)).toBe(true);
      expect(await store.delete(id)).toBe(false);
      expect(await store.has(id)).toBe(false);
    });
  });
}
