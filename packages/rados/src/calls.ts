/**
 * Every librados/librbd call that may wait on the network runs through `blocking()`: koffi's
 * `fn.async` runs it on a libuv thread-pool thread, never on the event loop.
 *
 * That pool is shared with fs, crypto, zlib and dns (`UV_THREADPOOL_SIZE`, 4 threads unless set),
 * and koffi throws once more than `max_async_calls` (256) calls are queued. So calls wait here, in
 * a FIFO, and at most `concurrency` of them are handed to koffi at a time: by default one fewer
 * than the pool's threads, leaving one for the rest of the process.
 */
import { promisify } from "node:util";
import type { LibraryHandle } from "koffi";

/** A function koffi bound (callable, with `.async`). */
export type NativeFunction = ReturnType<LibraryHandle["func"]>;

const poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
let limit = Math.max(1, poolSize - 1);
let running = 0;
const waiting: Array<() => void> = [];

/**
 * Sets how many librados/librbd calls may run at once on the thread pool (at least 1); returns
 * the value in force. Raise `UV_THREADPOOL_SIZE` (before the process starts) to raise it usefully.
 */
export function callConcurrency(value?: number): number {
  if (value !== undefined) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`call concurrency must be >= 1, got ${value}`);
    limit = value;
    while (running < limit && waiting.length > 0) waiting.shift()?.();
  }
  return limit;
}

async function acquire(): Promise<void> {
  if (running < limit) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}

function release(): void {
  const next = running <= limit ? waiting.shift() : undefined;
  if (next)
    next(); // the slot passes straight to the next caller
  else running--;
}

const promisified = new WeakMap<NativeFunction, (...args: unknown[]) => Promise<unknown>>();

/** Runs the native function on a worker thread, queued behind the concurrency limit. */
export async function blocking<T = number>(fn: NativeFunction, ...args: unknown[]): Promise<T> {
  let run = promisified.get(fn);
  if (!run) {
    run = promisify(fn.async) as (...args: unknown[]) => Promise<unknown>;
    promisified.set(fn, run);
  }
  await acquire();
  try {
    return (await run(...args)) as T;
  } finally {
    release();
  }
}
