/**
 * Hashing off the event loop: two worker threads that keep running digests (md5, sha512) of
 * blocks in shared memory. md5 and sha512 each run at about 700 MB/s on one core, so one after
 * the other on the event loop they cap an upload near 350 MB/s; on two workers they run side by
 * side while the main thread receives and writes.
 */
import { Worker } from "node:worker_threads";

// Plain CommonJS run with `eval`, so it needs no loader under tsx, vitest or the built package.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { createHash } = require("node:crypto");
const jobs = new Map();
parentPort.on("message", (m) => {
  try {
    if (m.op === "begin") jobs.set(m.job, { hash: createHash(m.algorithm), memory: new Uint8Array(m.memory) });
    else if (m.op === "update") {
      const job = jobs.get(m.job);
      job.hash.update(job.memory.subarray(m.offset, m.offset + m.length));
      parentPort.postMessage({ job: m.job });
    } else if (m.op === "digest") {
      const job = jobs.get(m.job);
      jobs.delete(m.job);
      parentPort.postMessage({ job: m.job, digest: job.hash.digest("hex") });
    } else if (m.op === "drop") jobs.delete(m.job);
  } catch (error) {
    parentPort.postMessage({ job: m.job, error: String(error) });
  }
});
`;

/** What a running digest is told by its worker. */
export interface JobListener {
  /** One more block was hashed. */
  updated(): void;
  /** The hex digest, after `digest()`. */
  digested(hex: string): void;
  /** The worker failed or died; the digest is lost. */
  failed(error: Error): void;
}

/** A digest running on a worker: blocks are hashed in the order they are sent. */
export interface RunningDigest {
  /** Hashes `length` bytes of the shared memory from `offset`; the listener hears `updated`. */
  update(offset: number, length: number): void;
  /** Asks for the hex digest; the listener hears `digested`. Ends the job. */
  digest(): void;
  /** Forgets the job (after a failure). Idempotent. */
  drop(): void;
}

class HashWorker {
  readonly #jobs = new Map<number, JobListener>();
  #worker: Worker | null = null;

  #start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (m: { job: number; digest?: string; error?: string }) => {
      const job = this.#jobs.get(m.job);
      if (job === undefined) return;
      if (m.error !== undefined) this.#end(m.job)?.failed(new Error(m.error));
      else if (m.digest !== undefined) this.#end(m.job)?.digested(m.digest);
      else job.updated();
    });
    const die = (error: Error) => {
      if (this.#worker !== worker) return;
      this.#worker = null;
      for (const id of [...this.#jobs.keys()]) this.#end(id)?.failed(error);
    };
    worker.on("error", die);
    worker.on("exit", (code) => die(new Error(`hash worker exited with code ${code}`)));
    worker.unref();
    return worker;
  }

  #end(id: number): JobListener | undefined {
    const job = this.#jobs.get(id);
    this.#jobs.delete(id);
    // an idle worker must not keep the process alive; a busy one must, or an await could hang
    if (this.#jobs.size === 0) this.#worker?.unref();
    return job;
  }

  begin(id: number, algorithm: string, memory: SharedArrayBuffer, listener: JobListener): RunningDigest {
    this.#worker ??= this.#start();
    const worker = this.#worker;
    if (this.#jobs.size === 0) worker.ref();
    this.#jobs.set(id, listener);
    worker.postMessage({ op: "begin", job: id, algorithm, memory });
    return {
      update: (offset, length) => worker.postMessage({ op: "update", job: id, offset, length }),
      digest: () => worker.postMessage({ op: "digest", job: id }),
      drop: () => {
        if (this.#end(id) !== undefined) worker.postMessage({ op: "drop", job: id });
      },
    };
  }
}

/** Worker threads shared by every upload in the process (started on first use, never keeping it alive). */
export class HashPool {
  readonly #workers: HashWorker[];
  #nextJob = 0;

  constructor(size = 2) {
    this.#workers = Array.from({ length: Math.max(1, size) }, () => new HashWorker());
  }

  /**
   * Starts a digest of blocks of `memory` on the next worker in turn (so an upload's md5 and
   * sha512 land on different workers, and concurrent uploads share them).
   */
  begin(algorithm: string, memory: SharedArrayBuffer, listener: JobListener): RunningDigest {
    const id = this.#nextJob++;
    const worker = this.#workers[id % this.#workers.length] as HashWorker;
    return worker.begin(id, algorithm, memory, listener);
  }
}

let shared: HashPool | undefined;
/** The process's pool. */
export const sharedHashPool = (): HashPool => {
  shared ??= new HashPool();
  return shared;
};
