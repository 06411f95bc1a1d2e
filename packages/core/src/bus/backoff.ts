/** Exponential reconnect backoff with jitter. Pure. */

export interface BackoffPolicy {
  /** Delay before the first retry, in ms. */
  readonly initialMs: number;
  /** Upper bound of any delay, in ms (jitter included). */
  readonly maxMs: number;
  /** Growth per attempt. */
  readonly factor: number;
  /** Spread as a fraction of the delay (0.2 = up to 20% shorter), so clients do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 5_000, factor: 2, jitter: 0.2 };

/** The delay before retry number `attempt` (1-based); `random` returns a number in [0, 1). */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** Math.max(0, attempt - 1));
  return Math.round(base * (1 - policy.jitter * random()));
}
