/**
 * The contract every TaskRepository passes: `runTaskContract(() => new MemoryTaskRepository())`;
 * a SQL implementation runs the same cases.
 */
import { describe, expect, it } from "vitest";
import type { ImageTask, TaskRepository } from "../tasks.js";

const task = (id: string, over: Partial<ImageTask> = {}): ImageTask => ({
  id,
  type: "api_image_import",
  status: "pending",
  input: { image_id: "img" },
  result: null,
  message: "",
  owner: "p1",
  image_id: "img",
  request_id: "req-1",
  user_id: "u1",
  expires_at: null,
  created_at: `2026-01-01T00:00:0${id.at(-1)}.000Z`,
  updated_at: "2026-01-01T00:00:00.000Z",
  ...over,
});

export function runTaskContract(make: () => TaskRepository | Promise<TaskRepository>): void {
  describe("TaskRepository contract", () => {
    it("creates, gets and updates a task; a second create of the id is a conflict", async () => {
      const repo = await make();
      await repo.create(task("t1"));
      await expect(repo.create(task("t1"))).rejects.toMatchObject({ code: "conflict" });
      const done = await repo.update("t1", (t) => ({ ...t, status: "success", result: { image_id: "img" } }));
      expect(done.status).toBe("success");
      expect(await repo.get("t1")).toEqual(done);
      expect(await repo.get("nope")).toBeNull();
    });

    it("answers not_found for an update of a missing task and writes nothing when the change throws", async () => {
      const repo = await make();
      await expect(repo.update("nope", (t) => t)).rejects.toMatchObject({ code: "not_found" });
      await repo.create(task("t1"));
      await expect(
        repo.update("t1", () => {
          throw new Error("no");
        }),
      ).rejects.toThrow("no");
      expect((await repo.get("t1"))?.status).toBe("pending");
    });

    it("lists by owner, status and liveness, newest first, in pages after a marker", async () => {
      const repo = await make();
      await repo.create(task("t1"));
      await repo.create(task("t2", { owner: "p2" }));
      await repo.create(task("t3", { status: "failure", expires_at: "2026-01-02T00:00:00.000Z" }));
      const ids = async (r: Parameters<TaskRepository["list"]>[0]) => (await repo.list(r)).map((t) => t.id);
      expect(await ids({ limit: 10 })).toEqual(["t3", "t2", "t1"]);
      expect(await ids({ limit: 10, owner: "p1" })).toEqual(["t3", "t1"]);
      expect(await ids({ limit: 10, status: "failure" })).toEqual(["t3"]);
      expect(await ids({ limit: 10, liveAt: "2026-01-03T00:00:00.000Z" })).toEqual(["t2", "t1"]);
      expect(await ids({ limit: 1, marker: "t3", sortDir: "desc" })).toEqual(["t2"]);
      expect(await ids({ limit: 10, sortKey: "id", sortDir: "asc" })).toEqual(["t1", "t2", "t3"]);
      await expect(repo.list({ limit: 10, marker: "nope" })).rejects.toMatchObject({ code: "not_found" });
    });

    it("lists an image's tasks oldest first", async () => {
      const repo = await make();
      await repo.create(task("t2"));
      await repo.create(task("t1"));
      await repo.create(task("t3", { image_id: "other" }));
      expect((await repo.listByImage("img")).map((t) => t.id)).toEqual(["t1", "t2"]);
    });
  });
}
