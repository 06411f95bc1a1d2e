/**
 * Keeps one AssignmentSnapshot in memory. Every write through the services calls `invalidate()`
 * (directly or through the resource events), so a process sees its own writes at once: the next
 * `get` waits for a fresh load. Writes by other processes (several API servers on one database)
 * are picked up once the snapshot is older than `maxAgeMs`: it is then reloaded in the background
 * while callers keep getting the one they have (a reload of a million assignments takes seconds,
 * and nobody should wait for it). Set `maxAgeMs` to the staleness you accept for roles granted
 * elsewhere (Infinity when this process is the only writer); revocation does not depend on it.
 */
import { AssignmentSnapshot, type SnapshotData } from "./snapshot.js";

/** Loads, caches and invalidates the snapshot. */
export class SnapshotCache {
  private current: { snapshot: AssignmentSnapshot; loadedAt: number } | null = null;
  private loading: Promise<AssignmentSnapshot> | null = null;
  private generation = 0;

  constructor(
    private readonly load: () => Promise<SnapshotData>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Drops the snapshot; the next `get` reloads. Cheap, idempotent. */
  invalidate(): void {
    this.generation++;
    this.current = null;
    this.loading = null;
  }

  /**
   * The current snapshot. Missing (first use, or invalidated): waits for a load. Older than
   * `maxAgeMs`: starts a reload in the background and returns the one it has meanwhile.
   */
  get(): Promise<AssignmentSnapshot> {
    const c = this.current;
    if (c !== null) {
      if (this.now() - c.loadedAt > this.maxAgeMs && this.loading === null) {
        // a failed background reload leaves the old snapshot in place and is retried next time
        this.startLoad().catch(() => undefined);
      }
      return Promise.resolve(c.snapshot);
    }
    return this.loading ?? this.startLoad();
  }

  private startLoad(): Promise<AssignmentSnapshot> {
    const generation = this.generation;
    const startedAt = this.now();
    const loading = this.load().then(
      (data) => {
        const snapshot = new AssignmentSnapshot(data);
        // An invalidation during the load means the data may predate a write: use it once, keep none.
        if (generation === this.generation) this.current = { snapshot, loadedAt: startedAt };
        if (this.loading === loading) this.loading = null;
        return snapshot;
      },
      (err: unknown) => {
        if (this.loading === loading) this.loading = null;
        throw err;
      },
    );
    this.loading = loading;
    return loading;
  }
}
