import type { RevocationEvent } from "./event.js";

/** Where revocation events persist, shared by every process that validates tokens. */
export interface RevocationStore {
  /** Records an event. Recording the same event twice is harmless (the index merges it). */
  add(event: RevocationEvent): Promise<void>;
  /**
   * Events with `revokedAt >= revokedSince` (all when omitted), oldest first. Callers ask with
   * some overlap so that events recorded in the same instant are not missed.
   */
  list(options?: { readonly revokedSince?: Date }): Promise<RevocationEvent[]>;
  /** Deletes events with `revokedAt < revokedBefore`; returns how many. Idempotent. */
  prune(revokedBefore: Date): Promise<number>;
}

/** A RevocationStore in memory, for one process and for tests. */
export class InMemoryRevocationStore implements RevocationStore {
  #events: RevocationEvent[] = [];

  async add(event: RevocationEvent): Promise<void> {
    // Keep the list sorted by revokedAt so list() can return it as is.
    let i = this.#events.length;
    while (i > 0 && this.#events[i - 1]!.revokedAt.getTime() > event.revokedAt.getTime()) i--;
    this.#events.splice(i, 0, { ...event });
  }

  async list(options: { readonly revokedSince?: Date } = {}): Promise<RevocationEvent[]> {
    const since = options.revokedSince?.getTime() ?? Number.NEGATIVE_INFINITY;
    return this.#events.filter((e) => e.revokedAt.getTime() >= since).map((e) => ({ ...e }));
  }

  async prune(revokedBefore: Date): Promise<number> {
    const before = this.#events.length;
    this.#events = this.#events.filter((e) => e.revokedAt.getTime() >= revokedBefore.getTime());
    return before - this.#events.length;
  }
}
