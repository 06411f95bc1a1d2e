/**
 * Keeps one AssignmentSnapshot in memory. Every write through the services calls `invalidate()`
 * (directly or through the resource events), so a process sees its own writes at once. Writes by
 * other processes (several API servers on one database) are picked up when the snapshot is older
 * than `maxAgeMs`: set it to the staleness you accept for newly granted roles; revocation does not
 * depend on it, since the token layer revokes through the events and its revocation list.
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

  /** Bumped on every invalidation; results computed from an older one are stale. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Drops the snapshot; the next `get` reloads. Cheap, idempotent. */
  invalidate(): void {
    this.generation++;
    this.current = null;
    this.loading = null;
  }

  /** The current snapshot, loading it when missing or older than `maxAgeMs`. */
  get(): Promise<AssignmentSnapshot> {
    const c = this.current;
    if (c !== null && this.now() - c.loadedAt <= this.maxAgeMs) return Promise.resolve(c.snapshot);
    if (this.loading !== null) return this.loading;
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
