/**
 * Contract suites every ImageRepository and ImageStore implementation must pass
 * (`runRepositoryContract(make)`, `runStoreContract(make)`), run in tests on each one.
 */
import { describe, expect, it } from "vitest";
import { type Image, newImage } from "./model.js";
import type { ImageRepository } from "./repository.js";
import type { ImageStore } from "./store.js";

const image = (n: number, overrides: Partial<Image> = {}): Image => ({
  ...newImage(
    `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
    "p1",
  ),
  ...overrides,
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
