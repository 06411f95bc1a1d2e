/**
 * Per-request precomputation for filters and weighers: what a filter derives from the spec alone
 * (parsed extra specs, canonical image properties) is computed once per spec object, not once
 * per host. Keyed weakly by the spec, so nothing outlives the request.
 */
import type { RequestSpec } from "./request-spec.js";

/** Wraps `derive` so it runs once per distinct spec object. `derive` must be pure. */
export function perSpec<T>(derive: (spec: RequestSpec) => T): (spec: RequestSpec) => T {
  const cache = new WeakMap<RequestSpec, T>();
  let lastSpec: RequestSpec | undefined;
  let lastValue: T | undefined;
  return (spec) => {
    // The pipeline asks for the same spec for every host in a row: skip the WeakMap then.
    if (spec === lastSpec) return lastValue as T;
    let value = cache.get(spec);
    if (value === undefined && !cache.has(spec)) {
      value = derive(spec);
      cache.set(spec, value);
    }
    lastSpec = spec;
    lastValue = value;
    return value as T;
  };
}
