/**
 * Glance's tasks: the record an interoperable image import leaves behind (`api_image_import`),
 * the port they are kept behind, an in-memory implementation, and their three wire views.
 */
import { conflict, notFound } from "@stratus/core/errors";
import { glanceTime } from "./model.js";

/** Every status Glance's task schema names, in the order a task goes through them. */
export const TASK_STATUSES = ["pending", "processing", "success", "failure"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Glance's `task_time_to_live` (hours): a finished task expires this long after it ends. */
export const TASK_TIME_TO_LIVE_HOURS = 48;

/** One task as the repository keeps it (Glance's task and task_info rows in one record). */
export interface ImageTask {
  readonly id: string;
  /** `api_image_import` for every task the import API creates. */
  readonly type: string;
  readonly status: TaskStatus;
  /** What the task was asked: `{ image_id, import_req, backend }` for an import. */
  readonly input: Readonly<Record<string, unknown>> | null;
  /** `{ image_id }` once it succeeded, else null. */
  readonly result: Readonly<Record<string, unknown>> | null;
  /** Why it failed (empty string otherwise, as Glance). */
  readonly message: string;
  /** The project that started it. */
  readonly owner: string | null;
  readonly image_id: string | null;
  readonly request_id: string | null;
  readonly user_id: string | null;
  /** ISO instants; `expires_at` is set when the task ends. */
  readonly expires_at: string | null;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What a task list may ask. */
export interface TaskListRequest {
  /** Only this project's tasks; undefined for all (an admin). */
  readonly owner?: string | null;
  readonly status?: TaskStatus;
  readonly type?: string;
  /** Only tasks not expired at this ISO instant. */
  readonly liveAt?: string;
  readonly limit: number;
  /** Start after this task; throws `not_found` if it is not in the filtered list. */
  readonly marker?: string | null;
  readonly sortKey?: TaskSortKey;
  readonly sortDir?: "asc" | "desc";
}

export const TASK_SORT_KEYS = ["created_at", "updated_at", "expires_at", "id", "status", "type"] as const;
export type TaskSortKey = (typeof TASK_SORT_KEYS)[number];

/** The port tasks are kept behind. A SQL implementation passes the same contract (`runTaskContract`). */
export interface TaskRepository {
  /** The task with `id`, or null. */
  get(id: string): Promise<ImageTask | null>;
  /** Adds a task; throws `conflict` if the id is taken. */
  create(task: ImageTask): Promise<void>;
  /**
   * Replaces the task by `change(current)` atomically and returns it. Throws `not_found` when
   * absent; whatever `change` throws propagates and nothing is written.
   */
  update(id: string, change: (current: ImageTask) => ImageTask): Promise<ImageTask>;
  /** One page of tasks, filtered and sorted (ties broken by id). */
  list(request: TaskListRequest): Promise<readonly ImageTask[]>;
  /** Every task of one image, oldest first. */
  listByImage(imageId: string): Promise<readonly ImageTask[]>;
}

/** Tasks in a map: for tests and the embedded server. */
export class MemoryTaskRepository implements TaskRepository {
  readonly #tasks = new Map<string, ImageTask>();

  async get(id: string): Promise<ImageTask | null> {
    return this.#tasks.get(id) ?? null;
  }

  async create(task: ImageTask): Promise<void> {
    if (this.#tasks.has(task.id)) throw conflict(`Task with identifier ${task.id} already exists.`);
    this.#tasks.set(task.id, task);
  }

  async update(id: string, change: (current: ImageTask) => ImageTask): Promise<ImageTask> {
    const current = this.#tasks.get(id);
    if (current === undefined) throw notFound(`Task with identifier ${id} not found`);
    const next = change(current);
    this.#tasks.set(id, next);
    return next;
  }

  async list(request: TaskListRequest): Promise<readonly ImageTask[]> {
    const key = request.sortKey ?? "created_at";
    const sign = (request.sortDir ?? "desc") === "asc" ? 1 : -1;
    const matching = [...this.#tasks.values()]
      .filter(
        (t) =>
          (request.owner === undefined || t.owner === request.owner) &&
          (request.status === undefined || t.status === request.status) &&
          (request.type === undefined || t.type === request.type) &&
          (request.liveAt === undefined || t.expires_at === null || t.expires_at >= request.liveAt),
      )
      .sort((a, b) => sign * compare(a[key] ?? "", b[key] ?? "") || sign * compare(a.id, b.id));
    let start = 0;
    if (request.marker !== undefined && request.marker !== null) {
      const at = matching.findIndex((t) => t.id === request.marker);
      if (at < 0) throw notFound(`Task with identifier ${request.marker} not found`);
      start = at + 1;
    }
    return matching.slice(start, start + request.limit);
  }

  async listByImage(imageId: string): Promise<readonly ImageTask[]> {
    return [...this.#tasks.values()]
      .filter((t) => t.image_id === imageId)
      .sort((a, b) => compare(a.created_at, b.created_at) || compare(a.id, b.id));
  }
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `GET /v2/tasks/{id}`: the full task, optional fields only when set (Glance's `_format_task`). */
export function taskView(task: ImageTask): Record<string, unknown> {
  return {
    id: task.id,
    input: task.input,
    type: task.type,
    status: task.status,
    owner: task.owner,
    message: task.message,
    result: task.result,
    created_at: glanceTime(task.created_at),
    updated_at: glanceTime(task.updated_at),
    self: `/v2/tasks/${task.id}`,
    schema: "/v2/schemas/task",
    ...(task.image_id ? { image_id: task.image_id } : {}),
    ...(task.request_id ? { request_id: task.request_id } : {}),
    ...(task.user_id ? { user_id: task.user_id } : {}),
    ...(task.expires_at ? { expires_at: glanceTime(task.expires_at) } : {}),
  };
}

/** `GET /v2/tasks`: the stub without input, result and message (`_format_task_stub`). */
export function taskStubView(task: ImageTask): Record<string, unknown> {
  return {
    id: task.id,
    type: task.type,
    status: task.status,
    owner: task.owner,
    created_at: glanceTime(task.created_at),
    updated_at: glanceTime(task.updated_at),
    self: `/v2/tasks/${task.id}`,
    schema: "/v2/schemas/task",
    ...(task.expires_at ? { expires_at: glanceTime(task.expires_at) } : {}),
  };
}

/** oslo's `to_primitive` of a datetime, as `GET /v2/images/{id}/tasks` shows the database rows. */
const dbTime = (iso: string | null): string | null => (iso === null ? null : `${iso.slice(0, 19)}.000000`);

/** `GET /v2/images/{id}/tasks`: the database row (`_task_format` with its info). */
export function imageTaskView(task: ImageTask): Record<string, unknown> {
  return {
    id: task.id,
    type: task.type,
    status: task.status,
    owner: task.owner,
    expires_at: dbTime(task.expires_at),
    created_at: dbTime(task.created_at),
    updated_at: dbTime(task.updated_at),
    deleted_at: null,
    deleted: false,
    image_id: task.image_id,
    request_id: task.request_id,
    user_id: task.user_id,
    input: task.input,
    result: task.result,
    message: task.message,
  };
}
