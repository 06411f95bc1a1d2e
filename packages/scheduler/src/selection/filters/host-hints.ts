/** SameHostFilter and DifferentHostFilter: the `same_host` / `different_host` scheduler hints. */
import { fail, type HostFilter, PASS } from "../plugin.js";

/** Passes hosts running at least one of the `same_host` instances (any host without the hint). */
export const sameHostFilter: HostFilter = {
  name: "SameHostFilter",
  filter(host, spec) {
    const wanted = spec.hints.sameHost;
    if (wanted === undefined || wanted.length === 0) return PASS;
    for (const uuid of wanted) if (host.instances.has(uuid)) return PASS;
    return fail("host runs none of the same_host instances");
  },
};

/** Passes hosts running none of the `different_host` instances. */
export const differentHostFilter: HostFilter = {
  name: "DifferentHostFilter",
  filter(host, spec) {
    const avoid = spec.hints.differentHost;
    if (avoid === undefined) return PASS;
    for (const uuid of avoid) if (host.instances.has(uuid)) return fail(`host runs different_host instance ${uuid}`);
    return PASS;
  },
};
