/**
 * What the image module puts right at start, now that records outlive the process: work a dead
 * process left half done. Temporary files of unfinished writes go; bytes no record owns go; an
 * image left `saving` (upload cut short) goes back to `queued` without bytes, an image left
 * `importing` (its task ran in that process) to `queued` with Glance's failed-import marks and
 * its task ended as a failure, an image left `uploading` without staged bytes to `queued`.
 */
import {
  FAILED_STORES,
  IMPORT_LOCK,
  IMPORTING_STORES,
  type Image,
  type ImageRepository,
  type ImageStatus,
  type ImageStore,
  type TaskRepository,
} from "@stratus/image/api";

/** A store reconcile can list and sweep (FilesystemStore is one). */
export interface ReconciledStore extends ImageStore {
  /** The ids the store holds committed data for. */
  listIds(): Promise<string[]>;
  /** Removes leftovers of writes that never finished; returns how many. */
  sweep(): Promise<number>;
}

export interface ImageReconcileOptions {
  readonly repository: ImageRepository;
  /** Where active images' bytes live. */
  readonly store: ReconciledStore;
  /** The import staging area, if any. */
  readonly staging?: ReconciledStore;
  /** The current instant (ISO), for `updated_at`. */
  readonly now: () => string;
  /** Where import tasks live: an interrupted import's task is ended as a failure. */
  readonly tasks?: TaskRepository;
  /**
   * Put back images left `saving`, `importing` or `uploading`. Only safe when no other process
   * shares the database (one might be uploading right now): the embedded SQLite default.
   */
  readonly resetInterrupted: boolean;
}

/** What reconcile did, for the log. */
export interface ImageReconcileReport {
  /** Temporary files of unfinished writes removed (store and staging). */
  readonly temporaryFiles: number;
  /** Images put back to `queued`. */
  readonly requeued: readonly string[];
  /** Stored or staged bytes removed because no record (or no record in a staging state) owns them. */
  readonly orphans: readonly string[];
}

const PAGE = 200;

/** Every image id with `status`, collected before anything changes (changes would move the marker). */
async function idsWithStatus(repository: ImageRepository, status: ImageStatus): Promise<string[]> {
  const ids: string[] = [];
  for (let marker: string | null = null; ; ) {
    const page = await repository.list({ filter: { status }, limit: PAGE, marker, sort: [{ key: "id", dir: "asc" }] });
    ids.push(...page.map((i) => i.id));
    if (page.length < PAGE) return ids;
    marker = page.at(-1)!.id;
  }
}

const withoutData = (image: Image, now: string): Image => ({
  ...image,
  status: "queued",
  size: null,
  virtual_size: null,
  checksum: null,
  os_hash_algo: null,
  os_hash_value: null,
  updated_at: now,
});

/** Back to `queued` if still `status` (another writer may have moved on); true when it was. */
async function requeue(
  repository: ImageRepository,
  id: string,
  status: ImageStatus,
  change: (current: Image) => Image,
): Promise<boolean> {
  let changed = false;
  await repository.update(id, (current) => {
    if (current.status !== status) return current;
    changed = true;
    return change(current);
  });
  return changed;
}

/** Ends a task its process left running as a failure (absent: nothing to do). */
async function endInterruptedTask(tasks: TaskRepository, id: string, now: string): Promise<void> {
  await tasks
    .update(id, (task) =>
      task.status === "success" || task.status === "failure"
        ? task
        : { ...task, status: "failure", message: "The image service restarted during the import.", updated_at: now },
    )
    .catch(() => undefined);
}

async function resetInterrupted(o: ImageReconcileOptions): Promise<string[]> {
  const { repository, store, staging } = o;
  const requeued: string[] = [];
  for (const id of await idsWithStatus(repository, "saving")) {
    await store.delete(id);
    if (await requeue(repository, id, "saving", (i) => withoutData(i, o.now()))) requeued.push(id);
  }
  for (const id of await idsWithStatus(repository, "importing")) {
    const taskId = (await repository.get(id))?.properties[IMPORT_LOCK];
    if (taskId !== undefined && o.tasks !== undefined) await endInterruptedTask(o.tasks, taskId, o.now());
    await store.delete(id);
    await staging?.delete(id);
    const failed = (i: Image): Image => {
      const { [IMPORT_LOCK]: _lock, ...properties } = i.properties;
      return {
        ...withoutData(i, o.now()),
        properties: { ...properties, [IMPORTING_STORES]: "", [FAILED_STORES]: "file" },
      };
    };
    if (await requeue(repository, id, "importing", failed)) requeued.push(id);
  }
  for (const id of await idsWithStatus(repository, "uploading")) {
    if (staging !== undefined && (await staging.has(id))) continue;
    if (await requeue(repository, id, "uploading", (i) => withoutData(i, o.now()))) requeued.push(id);
  }
  return requeued;
}

/** Removes bytes in `store` whose image is gone, or (`keep`) not in a state that uses them. */
async function deleteOrphans(
  repository: ImageRepository,
  store: ReconciledStore,
  keep: (image: Image) => boolean,
): Promise<string[]> {
  const orphans: string[] = [];
  for (const id of await store.listIds()) {
    const image = await repository.get(id);
    if (image !== null && keep(image)) continue;
    await store.delete(id);
    orphans.push(id);
  }
  return orphans;
}

/**
 * Puts the records and the bytes back in agreement after a restart (see the file comment).
 * Call it before the API serves requests. Idempotent. Throws the repository's or store's errors.
 */
export async function reconcileImages(options: ImageReconcileOptions): Promise<ImageReconcileReport> {
  const { repository, store, staging } = options;
  let temporaryFiles = await store.sweep();
  if (staging !== undefined) temporaryFiles += await staging.sweep();
  const requeued = options.resetInterrupted ? await resetInterrupted(options) : [];
  const orphans = await deleteOrphans(repository, store, () => true);
  if (staging !== undefined) {
    const staged = (i: Image) => i.status === "uploading" || i.status === "importing";
    orphans.push(...(await deleteOrphans(repository, staging, staged)));
  }
  return { temporaryFiles, requeued, orphans };
}
