/**
 * AggregateInstanceExtraSpecsFilter: every flavor extra spec scoped `aggregate_instance_extra_specs:`
 * (or unscoped, without any `:`) must match the metadata of at least one of the host's aggregates.
 */
import { matchExtraSpec } from "../extra-specs-ops.js";
import { fail, type HostFilter, PASS } from "../plugin.js";

const SCOPE = "aggregate_instance_extra_specs";

/** Nova's AggregateInstanceExtraSpecsFilter. */
export const aggregateInstanceExtraSpecsFilter: HostFilter = {
  name: "AggregateInstanceExtraSpecsFilter",
  filter(host, spec) {
    for (const [fullKey, requirement] of Object.entries(spec.flavor.extraSpecs)) {
      const colon = fullKey.indexOf(":");
      if (colon >= 0 && fullKey.slice(0, colon) !== SCOPE) continue;
      const key = colon >= 0 ? fullKey.slice(colon + 1) : fullKey;
      let seen = false;
      let matched = false;
      for (const aggregate of host.aggregates) {
        const value = aggregate.metadata[key];
        if (value === undefined) continue;
        seen = true;
        // Aggregate metadata may carry a comma-separated list of values, any of which may match.
        if (value.split(",").some((v) => matchExtraSpec(v.trim(), requirement))) {
          matched = true;
          break;
        }
      }
      if (!seen) return fail(`no aggregate of the host has metadata '${key}'`);
      if (!matched) return fail(`aggregate metadata '${key}' does not match '${requirement}'`);
    }
    return PASS;
  },
};
