/**
 * `GET /v2/tasks`, `GET /v2/tasks/{id}` (the owner's project or an admin), `GET /v2/images/{id}/tasks`
 * (Glance 2.12) and the task schemas. Tasks are made only by imports: `POST /v2/tasks` (the old
 * `import` task type) is not offered.
 */
import { badRequest, notFound, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { type ImageRouteContext, isAdmin, projectOf } from "./context.js";
import { taskSchema, tasksSchema } from "./import/task-schemas.js";
import {
  type ImageTask,
  imageTaskView,
  TASK_SORT_KEYS,
  TASK_STATUSES,
  type TaskListRequest,
  type TaskRepository,
  type TaskSortKey,
  type TaskStatus,
  taskStubView,
  taskView,
} from "./tasks.js";

type Query = Readonly<Record<string, string | string[] | undefined>>;
const DEFAULT_LIMIT = 25; // Glance's limit_param_default
const MAX_LIMIT = 1000; // Glance's api_limit_max
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

const one = (q: Query, key: string): string | undefined => {
  const v = q[key];
  return Array.isArray(v) ? v.at(-1) : v;
};

/** Whether the caller may see a task: an admin, or a member of the project that started it. */
const maySee = (request: FastifyRequest, task: ImageTask): boolean =>
  isAdmin(request) || (task.owner !== null && task.owner === projectOf(request));

/** Expired tasks are gone, as Glance's soft delete makes them. */
const live = (task: ImageTask, now: string): boolean => task.expires_at === null || task.expires_at >= now;

/** Glance's task list query parameters, checked with its messages. */
function listRequest(query: Query, request: FastifyRequest, now: string): TaskListRequest {
  const sortDir = one(query, "sort_dir") ?? "desc";
  if (sortDir !== "asc" && sortDir !== "desc") throw badRequest(`Invalid sort direction: ${sortDir}`);
  const sortKey = one(query, "sort_key") ?? "created_at";
  if (!(TASK_SORT_KEYS as readonly string[]).includes(sortKey)) throw badRequest(`Invalid sort key: ${sortKey}`);
  const status = one(query, "status");
  if (status && !(TASK_STATUSES as readonly string[]).includes(status))
    throw badRequest(`Invalid status value: ${status}`);
  const type = one(query, "type");
  if (type && type !== "import") throw badRequest(`Invalid type value: ${type}`);
  const marker = one(query, "marker");
  if (marker && !UUID.test(marker)) throw badRequest("Invalid marker format");
  const rawLimit = one(query, "limit");
  if (rawLimit !== undefined && !/^-?\d+$/.test(rawLimit)) throw badRequest("limit param must be an integer");
  if (rawLimit !== undefined && Number(rawLimit) < 0) throw badRequest("limit param must be positive");
  return {
    ...(isAdmin(request) ? {} : { owner: projectOf(request) }),
    ...(status ? { status: status as TaskStatus } : {}),
    ...(type ? { type } : {}),
    liveAt: now,
    limit: rawLimit === undefined ? DEFAULT_LIMIT : Math.min(Number(rawLimit), MAX_LIMIT),
    marker: marker || null,
    sortKey: sortKey as TaskSortKey,
    sortDir,
  };
}

/** Registers the task routes and schemas on `app`. */
export function registerTaskRoutes(app: ServiceApp, ctx: ImageRouteContext, tasks: TaskRepository): void {
  app.get("/v2/tasks", async (request) => {
    const query = request.query as Query;
    const list = listRequest(query, request, ctx.now());
    let page: readonly ImageTask[];
    try {
      page = await tasks.list(list);
    } catch (error) {
      // an unknown marker is a 400, as Glance
      if (StratusError.is(error) && error.code === "not_found") throw badRequest(error.message);
      throw error;
    }
    const { marker: _m, ...rest } = query;
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(rest)) for (const x of [v ?? []].flat()) params.append(k, x);
    const last = page.at(-1);
    const next = new URLSearchParams(params);
    if (last !== undefined) next.set("marker", last.id);
    return {
      tasks: page.map(taskStubView),
      first: params.size === 0 ? "/v2/tasks" : `/v2/tasks?${params}`,
      schema: "/v2/schemas/tasks",
      ...(last !== undefined && page.length === list.limit ? { next: `/v2/tasks?${next}` } : {}),
    };
  });

  app.get<{ Params: { id: string } }>("/v2/tasks/:id", async (request) => {
    const task = await tasks.get(request.params.id);
    if (task === null || !maySee(request, task) || !live(task, ctx.now()))
      throw notFound(`Task with identifier ${request.params.id} not found`);
    return taskView(task);
  });

  app.get<{ Params: { id: string } }>("/v2/images/:id/tasks", async (request) => {
    let imageId: string;
    try {
      imageId = (await ctx.visibleImage(request, request.params.id)).id;
    } catch (error) {
      // Glance answers a bare 404 whether the image is missing or hidden from the caller
      if (StratusError.is(error) && error.code === "not_found") throw notFound("The resource could not be found.");
      throw error;
    }
    const now = ctx.now();
    const all = await tasks.listByImage(imageId);
    return { tasks: all.filter((t) => live(t, now) && maySee(request, t)).map(imageTaskView) };
  });

  app.get("/v2/schemas/task", async () => taskSchema());
  app.get("/v2/schemas/tasks", async () => tasksSchema());
}
