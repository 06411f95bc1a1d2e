/** Soft server group policies: weigh hosts by how many group members they already run. */
import { groupMembersOnHost } from "../filters/server-group.js";
import type { HostWeigher } from "../plugin.js";

/** For a `soft-affinity` group: members on the host (more is better); 0 otherwise. */
export const serverGroupSoftAffinityWeigher: HostWeigher = {
  name: "ServerGroupSoftAffinityWeigher",
  weigh(host, spec) {
    const group = spec.serverGroup;
    return group?.policy === "soft-affinity" ? groupMembersOnHost(host, group) : 0;
  },
};

/** For a `soft-anti-affinity` group: minus the members on the host (fewer is better); 0 otherwise. */
export const serverGroupSoftAntiAffinityWeigher: HostWeigher = {
  name: "ServerGroupSoftAntiAffinityWeigher",
  weigh(host, spec) {
    const group = spec.serverGroup;
    return group?.policy === "soft-anti-affinity" ? -groupMembersOnHost(host, group) : 0;
  },
};
