/**
 * The two extension points of host selection (one tiny interface each, as Kubernetes' scheduler
 * framework): a filter says yes or no with a reason, a weigher returns a raw number.
 */
import type { HostState } from "./host-state.js";
import type { RequestSpec } from "./request-spec.js";

/** A filter's verdict: pass, or fail with a reason a user can read. */
export type FilterResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** The one passing verdict (shared, so the hot path allocates nothing). */
export const PASS: FilterResult = Object.freeze({ ok: true });

/** Builds a failing verdict. */
export function fail(reason: string): FilterResult {
  return { ok: false, reason };
}

/** A host filter: a pure predicate with a reason. */
export interface HostFilter {
  /** Registry name, e.g. `ComputeFilter`; appears in the trace. */
  readonly name: string;
  /**
   * Whether `host` can take one instance of `spec`. Pure: no I/O, no clock, no config reads,
   * never throws for any host or spec a `buildRequestSpec` could produce.
   */
  filter(host: HostState, spec: RequestSpec): FilterResult;
}

/** A host weigher: a raw number, higher is better before the multiplier. */
export interface HostWeigher {
  /** Registry name, e.g. `RAMWeigher`. */
  readonly name: string;
  /** The raw weight of `host` for `spec`; the pipeline normalizes it across hosts. Pure. */
  weigh(host: HostState, spec: RequestSpec): number;
}
