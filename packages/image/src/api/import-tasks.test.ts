import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "@stratus/core/db";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { runTaskContract } from "./import/task-contract.js";
import { type ImportTestApp, importTestApp } from "./import/testing.js";
import { SqlTaskRepository } from "./sql-tasks.js";
import { MemoryTaskRepository } from "./tasks.js";

runTaskContract(() => new MemoryTaskRepository());

const sqliteDir = mkdtempSync(join(tmpdir(), "stratus-tasks-"));
const databases: Database<unknown>[] = [];
afterAll(async () => {
  for (const db of databases) await db.close();
  rmSync(sqliteDir, { recursive: true, force: true });
});
let n = 0;
describe("SqlTaskRepository on SQLite", () => {
  runTaskContract(async () => {
    const db = await openDatabase({ engine: "sqlite", path: join(sqliteDir, `tasks-${++n}.db`) });
    databases.push(db);
    return SqlTaskRepository.open(db);
  });
});

let t: ImportTestApp;
beforeEach(async () => {
  t = await importTestApp();
});
afterEach(() => t.close());

async function importedTask(): Promise<string> {
  const id = (await t.call("POST", "/v2/images", { name: "i", disk_format: "raw", container_format: "bare" })).body.id;
  await t.call("PUT", `/v2/images/${id}/stage`, randomBytes(1024));
  await t.call("POST", `/v2/images/${id}/import`, { method: { name: "glance-direct" } });
  await t.imports.idle();
  return (await t.call("GET", `/v2/images/${id}/tasks`)).body.tasks[0].id;
}

describe("tasks API", () => {
  it("shows the task to its project and to an admin with Glance's fields, and hides it from others (404)", async () => {
    const taskId = await importedTask();
    const res = await t.call("GET", `/v2/tasks/${taskId}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: taskId,
      type: "api_image_import",
      status: "success",
      owner: "p-member",
      user_id: "u-member",
      message: "",
      self: `/v2/tasks/${taskId}`,
      schema: "/v2/schemas/task",
    });
    expect(res.body.expires_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(typeof res.body.request_id).toBe("string");
    expect((await t.call("GET", `/v2/tasks/${taskId}`, undefined, { token: "admin" })).status).toBe(200);
    expect((await t.call("GET", `/v2/tasks/${taskId}`, undefined, { token: "other" })).status).toBe(404);
  });

  it("lists stubs without input, result and message, only the caller's unless admin", async () => {
    const taskId = await importedTask();
    const mine = (await t.call("GET", "/v2/tasks")).body;
    expect(mine).toMatchObject({ first: "/v2/tasks", schema: "/v2/schemas/tasks" });
    expect(mine.tasks).toEqual([expect.objectContaining({ id: taskId, status: "success" })]);
    expect(mine.tasks[0].input).toBeUndefined();
    expect((await t.call("GET", "/v2/tasks", undefined, { token: "other" })).body.tasks).toEqual([]);
    expect((await t.call("GET", "/v2/tasks", undefined, { token: "admin" })).body.tasks).toHaveLength(1);
    const paged = (await t.call("GET", "/v2/tasks?limit=1")).body;
    expect(paged.next).toBe(`/v2/tasks?limit=1&marker=${taskId}`);
  });

  it.each([
    ["?status=done", "Invalid status value: done"],
    ["?type=api_image_import", "Invalid type value: api_image_import"],
    ["?sort_dir=up", "Invalid sort direction: up"],
    ["?limit=x", "limit param must be an integer"],
    ["?limit=-1", "limit param must be positive"],
    ["?marker=abc", "Invalid marker format"],
    ["?marker=00000000-0000-0000-0000-000000000000", "not found"],
  ])("answers GET /v2/tasks%s with 400", async (query, message) => {
    const res = await t.call("GET", `/v2/tasks${query}`);
    expect(res.status).toBe(400);
    expect(res.body.message).toContain(message);
  });

  it("answers 404 for the tasks of an image the caller cannot see, and serves both schemas", async () => {
    const id = (await t.call("POST", "/v2/images", { name: "i" })).body.id;
    expect((await t.call("GET", `/v2/images/${id}/tasks`, undefined, { token: "other" })).status).toBe(404);
    expect((await t.call("GET", `/v2/images/${id}/tasks`)).body).toEqual({ tasks: [] });
    expect((await t.call("GET", "/v2/schemas/task")).body.properties.status.enum).toEqual([
      "pending",
      "processing",
      "success",
      "failure",
    ]);
    expect((await t.call("GET", "/v2/schemas/tasks")).body.properties.tasks.items.properties.input).toBeUndefined();
  });
});
