/**
 * SqlImageRepository on real PostgreSQL and MariaDB, each in a scratch database: the
 * ImageRepository contract, then what only a shared database shows (reopening, two API nodes
 * updating one image at once). A server that cannot be reached fails the file, unless
 * STRATUS_ALLOW_MISSING_DB=1 (then skipped).
 */
import { type Database, openDatabase } from "@stratus/core/db";
import { MARIADB, POSTGRES, withScratchDatabase } from "@stratus/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import { runRepositoryContract } from "../src/api/contract.js";
import { runTaskContract } from "../src/api/import/task-contract.js";
import { newImage } from "../src/api/model.js";
import { SqlImageRepository } from "../src/api/sql-repository.js";
import { SqlTaskRepository } from "../src/api/sql-tasks.js";

const TABLES = ["image_members", "image_tags", "image_properties", "images", "image_tasks"] as const;

for (const server of [POSTGRES, MARIADB]) {
  await withScratchDatabase(server, (scratch) => {
    const open: SqlImageRepository[] = [];
    const connect = (): Promise<Database<unknown>> =>
      server.engine === "postgres"
        ? openDatabase({ engine: "postgres", url: scratch().url })
        : openDatabase({ engine: "mysql", url: scratch().url });
    const fresh = async () => {
      const repository = await SqlImageRepository.open(await connect());
      open.push(repository);
      return repository;
    };
    const emptied = async () => {
      const db = await connect();
      const repository = await SqlImageRepository.open(db);
      const k = db.kysely as unknown as Database<Record<(typeof TABLES)[number], object>>["kysely"];
      for (const table of TABLES) await k.deleteFrom(table).execute();
      open.push(repository);
      return repository;
    };
    afterEach(async () => {
      for (const repository of open.splice(0)) await repository.close();
    });

    runRepositoryContract(`SQL on ${server.title}`, emptied);
    describe(`SqlTaskRepository on ${server.title}`, () => {
      runTaskContract(async () => {
        await emptied();
        const db = await connect();
        const tasks = await SqlTaskRepository.open(db);
        open.push({ close: () => db.close() } as unknown as SqlImageRepository);
        return tasks;
      });
    });

    describe(`SqlImageRepository on ${server.title}`, () => {
      const id = "0b0b0b0b-0000-4000-8000-00000000000b";

      it("keeps an image, its tags, properties and members across reopening the database", async () => {
        const first = await emptied();
        const image = { ...newImage(id, "2026-03-04T05:06:07.008Z", "p1"), tags: ["t"], properties: { k: "v" } };
        await first.create(image);
        await first.addMember({
          image_id: id,
          member_id: "p2",
          status: "pending",
          created_at: "2026-03-04T05:06:07.009Z",
          updated_at: "2026-03-04T05:06:07.010Z",
        });
        const again = await fresh();
        expect(await again.get(id)).toEqual(image);
        expect((await again.listMembers(id)).map((m) => m.updated_at)).toEqual(["2026-03-04T05:06:07.010Z"]);
      });

      it("loses no update when two API nodes change the same image at once", async () => {
        const [a, b] = [await emptied(), await fresh()];
        await a.create(newImage(id, "2026-03-04T05:06:07.008Z", "p1"));
        const bump = (repo: SqlImageRepository) =>
          repo.update(id, (i) => ({ ...i, min_ram: i.min_ram + 1, tags: [...i.tags, `t${i.min_ram}`] }));
        await Promise.all(Array.from({ length: 10 }, (_, n) => bump(n % 2 ? a : b)));
        const after = await b.get(id);
        expect(after?.min_ram).toBe(10);
        expect(after?.tags).toEqual(Array.from({ length: 10 }, (_, n) => `t${n}`));
      });
    });
  });
}
