/**
 * Answers "is this token revoked?" in time independent of the number of events. Events are grouped
 * by their shape (which attributes they name); within a shape they are keyed by those attributes'
 * values, each key keeping the latest issued_before. A token is checked by looking up, in each
 * shape, the keys its own values form: a handful of Map lookups however many events there are.
 */
import {
  EVENT_ATTRIBUTES,
  type EventAttribute,
  type RevocationEvent,
  type RevocationEventInput,
  revocationEvent,
} from "./event.js";
import type { RevocationStore } from "./store.js";

/** What the revocation check knows about a token (Keystone's `build_token_values`). */
export interface TokenFacts {
  /** The Fernet timestamp. */
  readonly issuedAt: Date;
  /** The token's expiry (compared to the second). */
  readonly expiresAt?: Date;
  /** The token's user. */
  readonly userId?: string;
  /** A trust token's trustor and trustee (user events match them too). */
  readonly trustorId?: string;
  readonly trusteeId?: string;
  /** The project a token is scoped to. */
  readonly projectId?: string;
  /** The user's domain. */
  readonly identityDomainId?: string;
  /** The scope's domain: the domain of a domain-scoped token, the project's domain of a project-scoped one. */
  readonly assignmentDomainId?: string;
  /** The token's role ids. */
  readonly roles?: readonly string[];
  readonly trustId?: string;
  readonly consumerId?: string;
  readonly accessTokenId?: string;
  /** The token's own audit id (audit_ids[0]). */
  readonly auditId?: string;
  /** The parent audit id (audit_ids[1]) of a rescoped token. */
  readonly auditChainId?: string;
}

/** Options of a RevocationIndex. */
export interface RevocationIndexOptions {
  /** Persist and share events here; without one the index lives in this process only. */
  readonly store?: RevocationStore;
  /** `[token] expiration` (default 3600 s): how long events matter. */
  readonly expirationSeconds?: number;
  /** `[revoke] expiration_buffer` (default 1800 s), added to the above before pruning. */
  readonly expirationBufferSeconds?: number;
  /** refreshIfStale() reads the store at most this often (default 1000 ms). */
  readonly refreshIntervalMs?: number;
  /** The clock (default: Date.now). */
  readonly now?: () => number;
}

interface Entry {
  issuedBefore: number;
  revokedAt: number;
}

const SEP = "\u0000";
const OVERLAP_MS = 2000;

function candidates(facts: TokenFacts, attr: EventAttribute): readonly string[] {
  const present = (...v: Array<string | undefined>) => v.filter((x): x is string => x !== undefined);
  switch (attr) {
    case "userId":
      return present(facts.userId, facts.trustorId, facts.trusteeId);
    case "domainId":
      return present(facts.identityDomainId, facts.assignmentDomainId);
    case "domainScopeId":
      return present(facts.assignmentDomainId);
    case "roleId":
      return facts.roles ?? [];
    case "expiresAt":
      return facts.expiresAt === undefined ? [] : [String(Math.floor(facts.expiresAt.getTime() / 1000))];
    default:
      return present(facts[attr]);
  }
}

function eventValue(event: RevocationEvent, attr: EventAttribute): string | undefined {
  if (attr === "expiresAt") return event.expiresAt && String(Math.floor(event.expiresAt.getTime() / 1000));
  return event[attr];
}

/** The revocation events in force, indexed for constant-time checks. */
export class RevocationIndex {
  readonly #shapes = new Map<number, { attrs: EventAttribute[]; keys: Map<string, Entry> }>();
  readonly #store: RevocationStore | undefined;
  readonly #lifetimeMs: number;
  readonly #refreshMs: number;
  readonly #now: () => number;
  #refreshedAt = Number.NEGATIVE_INFINITY;
  #lastFetchStart: number | undefined;
  #refreshing: Promise<void> | undefined;

  constructor(options: RevocationIndexOptions = {}) {
    this.#store = options.store;
    this.#lifetimeMs = ((options.expirationSeconds ?? 3600) + (options.expirationBufferSeconds ?? 1800)) * 1000;
    this.#refreshMs = options.refreshIntervalMs ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** Number of distinct (shape, values) keys held; many events on one key count once. */
  get size(): number {
    let n = 0;
    for (const shape of this.#shapes.values()) n += shape.keys.size;
    return n;
  }

  /** Adds an event to this index only (not the store). Idempotent; events past their lifetime are ignored. */
  add(event: RevocationEvent): void {
    if (event.revokedAt.getTime() < this.#now() - this.#lifetimeMs) return;
    let mask = 0;
    const values: string[] = [];
    EVENT_ATTRIBUTES.forEach((attr, bit) => {
      const v = eventValue(event, attr);
      if (v !== undefined) {
        mask |= 1 << bit;
        values.push(v);
      }
    });
    let shape = this.#shapes.get(mask);
    if (shape === undefined) {
      shape = { attrs: EVENT_ATTRIBUTES.filter((_, bit) => mask & (1 << bit)), keys: new Map() };
      this.#shapes.set(mask, shape);
    }
    const key = values.join(SEP);
    const entry = shape.keys.get(key);
    const issuedBefore = event.issuedBefore.getTime();
    const revokedAt = event.revokedAt.getTime();
    if (entry === undefined) shape.keys.set(key, { issuedBefore, revokedAt });
    else {
      entry.issuedBefore = Math.max(entry.issuedBefore, issuedBefore);
      entry.revokedAt = Math.max(entry.revokedAt, revokedAt);
    }
  }

  /**
   * Normalizes `input` (see revocationEvent), records it in the store (if any), then in this index.
   * Returns the event. Throws what the store throws; then the index is left unchanged.
   */
  async revoke(input: RevocationEventInput): Promise<RevocationEvent> {
    const event = revocationEvent(input, new Date(this.#now()));
    await this.#store?.add(event);
    this.add(event);
    return event;
  }

  /**
   * True when some event matches every attribute it names and its issued_before is at or after
   * the token's issued_at (Keystone's `is_revoked`). Cost: per shape of event in force, one lookup
   * per combination of the token's candidate values; independent of the number of events.
   */
  isRevoked(facts: TokenFacts): boolean {
    const issuedAt = facts.issuedAt.getTime();
    for (const { attrs, keys } of this.#shapes.values()) {
      const lists = attrs.map((a) => candidates(facts, a));
      if (lists.some((l) => l.length === 0)) continue;
      if (anyKey(lists, 0, "", (key) => (keys.get(key)?.issuedBefore ?? Number.NEGATIVE_INFINITY) >= issuedAt)) {
        return true;
      }
    }
    return false;
  }

  /** Loads events from the store that are new since the last load (all the first time). No-op without a store. */
  async refresh(): Promise<void> {
    if (this.#store === undefined) return;
    if (this.#refreshing !== undefined) return this.#refreshing;
    const started = this.#now();
    const since =
      this.#lastFetchStart === undefined
        ? new Date(started - this.#lifetimeMs)
        : new Date(this.#lastFetchStart - OVERLAP_MS);
    this.#refreshing = this.#store
      .list({ revokedSince: since })
      .then((events) => {
        for (const e of events) this.add(e);
        this.#lastFetchStart = started;
        this.#refreshedAt = started;
      })
      .finally(() => {
        this.#refreshing = undefined;
      });
    return this.#refreshing;
  }

  /** refresh() when the last one is older than refreshIntervalMs; otherwise resolves at once. */
  async refreshIfStale(): Promise<void> {
    if (this.#store === undefined || this.#now() - this.#refreshedAt < this.#refreshMs) return;
    return this.refresh();
  }

  /** Drops keys whose latest event is past the token lifetime + buffer; returns how many. Idempotent. */
  prune(): number {
    const cutoff = this.#now() - this.#lifetimeMs;
    let dropped = 0;
    for (const [mask, shape] of this.#shapes) {
      for (const [key, entry] of shape.keys) {
        if (entry.revokedAt < cutoff) {
          shape.keys.delete(key);
          dropped++;
        }
      }
      if (shape.keys.size === 0) this.#shapes.delete(mask);
    }
    return dropped;
  }
}

/** Whether `test` holds for some key built from one value of each list, in order. */
function anyKey(
  lists: readonly (readonly string[])[],
  i: number,
  prefix: string,
  test: (key: string) => boolean,
): boolean {
  const list = lists[i]!;
  const last = i === lists.length - 1;
  for (const v of list) {
    const key = i === 0 ? v : prefix + SEP + v;
    if (last ? test(key) : anyKey(lists, i + 1, key, test)) return true;
  }
  return false;
}
