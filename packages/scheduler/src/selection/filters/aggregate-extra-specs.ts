/**
 * AggregateInstanceExtraSpecsFilter: every flavor extra spec scoped `aggregate_instance_extra_specs:`
 * (or unscoped, without any `:`) must match the metadata of at least one of the host's aggregates.
 */
import { compileExtraSpec, type ExtraSpecMatcher } from "../extra-specs-ops.js";
import { type FilterResult, fail, type HostFilter, PASS } from "../plugin.js";
import { perSpec } from "../spec-memo.js";

const SCOPE = "aggregate_instance_extra_specs";

interface Requirement {
  readonly key: string;
  readonly match: ExtraSpecMatcher;
  /** The verdicts depend on the requirement alone: built once per request, shared by every host. */
  readonly missing: FilterResult;
  readonly mismatch: FilterResult;
}

const requirements = perSpec((spec): readonly Requirement[] => {
  const out: Requirement[] = [];
  for (const [fullKey, requirement] of Object.entries(spec.flavor.extraSpecs)) {
    const colon = fullKey.indexOf(":");
    if (colon >= 0 && fullKey.slice(0, colon) !== SCOPE) continue;
    const key = colon >= 0 ? fullKey.slice(colon + 1) : fullKey;
    out.push({
      key,
      match: compileExtraSpec(requirement),
      missing: fail(`no aggregate of the host has metadata '${key}'`),
      mismatch: fail(`aggregate metadata '${key}' does not match '${requirement}'`),
    });
  }
  return out;
});

function valueMatches(value: string, match: ExtraSpecMatcher): boolean {
  // Aggregate metadata may carry a comma-separated list of values, any of which may match.
  if (!value.includes(",")) return match(value);
  return value.split(",").some((v) => match(v.trim()));
}

/** Nova's AggregateInstanceExtraSpecsFilter. */
export const aggregateInstanceExtraSpecsFilter: HostFilter = {
  name: "AggregateInstanceExtraSpecsFilter",
  filter(host, spec) {
    for (const { key, match, missing, mismatch } of requirements(spec)) {
      let seen = false;
      let matched = false;
      for (const aggregate of host.aggregates) {
        const value = aggregate.metadata[key];
        if (value === undefined) continue;
        seen = true;
        if (valueMatches(value, match)) {
          matched = true;
          break;
        }
      }
      if (!seen) return missing;
      if (!matched) return mismatch;
    }
    return PASS;
  },
};
