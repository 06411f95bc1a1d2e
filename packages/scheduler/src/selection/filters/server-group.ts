/**
 * ServerGroupAffinityFilter and ServerGroupAntiAffinityFilter (hard policies). Soft policies are
 * weighers (`ServerGroupSoftAffinityWeigher`, `ServerGroupSoftAntiAffinityWeigher`).
 */
import type { HostState } from "../host-state.js";
import { fail, type HostFilter, PASS } from "../plugin.js";
import type { ServerGroupSpec } from "../request-spec.js";

/** How many members of `group` run on `host`. */
export function groupMembersOnHost(host: HostState, group: ServerGroupSpec): number {
  let count = 0;
  for (const member of group.members) if (host.instances.has(member)) count++;
  return count;
}

/** Passes, for an `affinity` group that already has hosts, only those hosts. */
export const serverGroupAffinityFilter: HostFilter = {
  name: "ServerGroupAffinityFilter",
  filter(host, spec) {
    const group = spec.serverGroup;
    if (group === undefined || group.policy !== "affinity" || group.hosts.length === 0) return PASS;
    if (group.hosts.includes(host.host)) return PASS;
    return fail(`server group (affinity) members run on ${group.hosts.join(", ")}`);
  },
};

/** Passes, for an `anti-affinity` group, hosts running fewer than `maxServerPerHost` members. */
export const serverGroupAntiAffinityFilter: HostFilter = {
  name: "ServerGroupAntiAffinityFilter",
  filter(host, spec) {
    const group = spec.serverGroup;
    if (group === undefined || group.policy !== "anti-affinity") return PASS;
    const max = group.maxServerPerHost ?? 1;
    // Hosts recorded for the group count even when the member list lags behind (Nova's `hosts`).
    const onHost = Math.max(groupMembersOnHost(host, group), group.hosts.includes(host.host) && max === 1 ? 1 : 0);
    if (onHost < max) return PASS;
    return fail(`host already runs ${onHost} member(s) of the anti-affinity group (max_server_per_host ${max})`);
  },
};
