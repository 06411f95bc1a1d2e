/**
 * The import tasks running in the background of one app: started by `POST /v2/images/{id}/import`,
 * awaited by tests (`idle`) and cancelled when the app closes (`close`).
 */

export class ImportRunner {
  readonly #running = new Set<Promise<void>>();
  readonly #abort = new AbortController();

  /**
   * Runs `job` in the background with a signal that fires on `close`; returns its promise, which
   * never rejects (a job records its own failure on its task).
   */
  start(job: (signal: AbortSignal) => Promise<void>): Promise<void> {
    const running = job(this.#abort.signal).catch(() => undefined);
    this.#running.add(running);
    void running.finally(() => this.#running.delete(running));
    return running;
  }

  /** How many imports are under way. */
  get size(): number {
    return this.#running.size;
  }

  /** Resolves once no import is running (including ones started meanwhile). */
  async idle(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }

  /** Cancels every running import and waits for them to record their end. Idempotent. */
  async close(): Promise<void> {
    this.#abort.abort(new Error("The image service is shutting down."));
    await this.idle();
  }
}
