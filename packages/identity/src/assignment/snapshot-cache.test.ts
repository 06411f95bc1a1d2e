import { describe, expect, it } from "vitest";
import type { SnapshotData } from "./snapshot.js";
import { SnapshotCache } from "./snapshot-cache.js";

const empty: SnapshotData = { assignments: [], roles: [], rules: [], projects: [] };

/** A loader whose loads the test finishes by hand, counting them. */
function manualLoader() {
  const pending: Array<(d: SnapshotData) => void> = [];
  return {
    load: () => new Promise<SnapshotData>((resolve) => pending.push(resolve)),
    finish: () => pending.shift()?.(empty),
    get started() {
      return pending.length;
    },
  };
}
const tick = () => new Promise((r) => setImmediate(r));

describe("SnapshotCache", () => {
  it("keeps serving an old snapshot while a reload runs in the background", async () => {
    let now = 0;
    const loader = manualLoader();
    const cache = new SnapshotCache(loader.load, 5_000, () => now);
    const first = cache.get();
    loader.finish();
    const a = await first;
    now = 6_000;
    expect(await cache.get()).toBe(a); // stale: answered at once, reload started
    expect(loader.started).toBe(1);
    expect(await cache.get()).toBe(a); // one reload at a time
    expect(loader.started).toBe(1);
    loader.finish();
    await tick();
    expect(await cache.get()).not.toBe(a);
  });

  it("makes the next reader wait for fresh data after an invalidation (a process sees its own writes)", async () => {
    const loader = manualLoader();
    const cache = new SnapshotCache(loader.load, Number.POSITIVE_INFINITY);
    const first = cache.get();
    loader.finish();
    const a = await first;
    cache.invalidate();
    let settled = false;
    const next = cache.get().then((s) => {
      settled = true;
      return s;
    });
    await tick();
    expect(settled).toBe(false);
    loader.finish();
    expect(await next).not.toBe(a);
  });

  it("never reloads on a timer when maxAgeMs is Infinity", async () => {
    let now = 0;
    const loader = manualLoader();
    const cache = new SnapshotCache(loader.load, Number.POSITIVE_INFINITY, () => now);
    const first = cache.get();
    loader.finish();
    await first;
    now = 1e12;
    await cache.get();
    expect(loader.started).toBe(0);
  });
});
