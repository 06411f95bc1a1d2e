import koffi from "koffi";
import { afterEach, describe, expect, it } from "vitest";
import { blocking, callConcurrency } from "./calls.js";

const usleep = koffi.load("libc.so.6").func("int usleep(uint32_t usec)");
const initial = callConcurrency();
afterEach(() => {
  callConcurrency(initial);
});

describe("blocking calls", () => {
  it("run off the event loop: timers keep firing while a 100 ms native sleep runs", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    await blocking(usleep, 100_000);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(5);
  });

  it("never run more than the concurrency limit at once; the rest wait in order", async () => {
    callConcurrency(2);
    const started = performance.now();
    const done: number[] = [];
    await Promise.all(Array.from({ length: 6 }, (_, i) => blocking(usleep, 40_000).then(() => done.push(i))));
    expect(performance.now() - started).toBeGreaterThanOrEqual(110); // 3 rounds of 2
    expect(done).toHaveLength(6);
  });

  it("rejects a limit below 1", () => {
    expect(() => callConcurrency(0)).toThrow(RangeError);
    expect(() => callConcurrency(1.5)).toThrow(RangeError);
  });
});
