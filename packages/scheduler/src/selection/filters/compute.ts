/** ComputeFilter and AvailabilityZoneFilter: is the service usable, is it in the asked zone. */
import { type FilterResult, fail, type HostFilter, PASS } from "../plugin.js";
import { perSpec } from "../spec-memo.js";

const DISABLED = fail("compute service is disabled");
const DOWN = fail("compute service is down");
// One verdict per (host zone) for a request: thousands of hosts share a handful of zones.
const zoneVerdicts = perSpec(() => new Map<string, FilterResult>());

/** Passes enabled compute services that are up (Nova's ComputeFilter). */
export const computeFilter: HostFilter = {
  name: "ComputeFilter",
  filter(host) {
    if (!host.enabled) return DISABLED;
    if (!host.up) return DOWN;
    return PASS;
  },
};

/** Passes hosts in the requested availability zone; any host when none is requested. */
export const availabilityZoneFilter: HostFilter = {
  name: "AvailabilityZoneFilter",
  filter(host, spec) {
    const wanted = spec.availabilityZone;
    if (wanted === undefined || wanted === host.availabilityZone) return PASS;
    const verdicts = zoneVerdicts(spec);
    let verdict = verdicts.get(host.availabilityZone);
    if (verdict === undefined) {
      verdict = fail(`host is in availability zone '${host.availabilityZone}', not '${wanted}'`);
      verdicts.set(host.availabilityZone, verdict);
    }
    return verdict;
  },
};
