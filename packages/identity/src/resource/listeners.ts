/**
 * A small typed listener list: how the resource and assignment services tell others (the token
 * layer's revocation, cache invalidation) that something they depend on changed.
 */

/** A map from event name to its payload type. */
export type EventMap = { readonly [event: string]: unknown };

/** Subscribe to and emit typed events; listeners run in subscription order and are awaited. */
export class Listeners<E extends EventMap> {
  private readonly byEvent = new Map<keyof E, Array<(payload: never) => unknown>>();

  /** Adds `listener` for `event`; returns a function that removes it (idempotent). */
  on<K extends keyof E>(event: K, listener: (payload: E[K]) => void | Promise<void>): () => void {
    const list = this.byEvent.get(event) ?? [];
    list.push(listener as (payload: never) => unknown);
    this.byEvent.set(event, list);
    return () => {
      const current = this.byEvent.get(event) ?? [];
      const at = current.indexOf(listener as (payload: never) => unknown);
      if (at >= 0) current.splice(at, 1);
    };
  }

  /**
   * Calls every listener of `event` in order and waits for each. When listeners throw, the others
   * still run and the first error is rethrown afterwards (a revocation hook must not be skipped).
   */
  async emit<K extends keyof E>(event: K, payload: E[K]): Promise<void> {
    let first: unknown;
    let failed = false;
    for (const listener of [...(this.byEvent.get(event) ?? [])]) {
      try {
        await (listener as (p: E[K]) => unknown)(payload);
      } catch (err) {
        if (!failed) first = err;
        failed = true;
      }
    }
    if (failed) throw first;
  }
}
