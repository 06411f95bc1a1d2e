/** ComputeFilter and AvailabilityZoneFilter: is the service usable, is it in the asked zone. */
import { fail, type HostFilter, PASS } from "../plugin.js";

/** Passes enabled compute services that are up (Nova's ComputeFilter). */
export const computeFilter: HostFilter = {
  name: "ComputeFilter",
  filter(host) {
    if (!host.enabled) return fail("compute service is disabled");
    if (!host.up) return fail("compute service is down");
    return PASS;
  },
};

/** Passes hosts in the requested availability zone; any host when none is requested. */
export const availabilityZoneFilter: HostFilter = {
  name: "AvailabilityZoneFilter",
  filter(host, spec) {
    const wanted = spec.availabilityZone;
    if (wanted === undefined || wanted === host.availabilityZone) return PASS;
    return fail(`host is in availability zone '${host.availabilityZone}', not '${wanted}'`);
  },
};
