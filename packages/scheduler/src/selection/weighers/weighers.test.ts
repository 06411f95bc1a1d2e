import { describe, expect, it } from "vitest";
import type { HostState } from "../host-state.js";
import type { HostWeigher } from "../plugin.js";
import type { RequestSpec } from "../request-spec.js";
import { makeHost, makeSpec } from "../testing.js";
import {
  buildFailureWeigher,
  cpuWeigher,
  diskWeigher,
  ioOpsWeigher,
  numInstancesWeigher,
  ramWeigher,
} from "./resources.js";
import { serverGroupSoftAffinityWeigher, serverGroupSoftAntiAffinityWeigher } from "./server-group.js";

const withMembers = makeHost("a", { instances: new Set(["m1", "m2", "other"]) });
const soft = (policy: "soft-affinity" | "soft-anti-affinity" | "affinity") =>
  makeSpec({ serverGroup: { policy, hosts: ["a"], members: ["m1", "m2", "m3"] } });

describe("weighers return raw numbers", () => {
  it.each<[string, HostWeigher, HostState, RequestSpec, number]>([
    ["RAMWeigher returns the free RAM in MiB", ramWeigher, makeHost("a", { freeRamMb: 1234 }), makeSpec(), 1234],
    [
      "CPUWeigher returns free vCPUs counting the allocation ratio (16 x 4 - 10)",
      cpuWeigher,
      makeHost("a", { vcpusUsed: 10 }),
      makeSpec(),
      54,
    ],
    ["DiskWeigher returns the free disk in MiB", diskWeigher, makeHost("a", { freeDiskMb: 777 }), makeSpec(), 777],
    ["IoOpsWeigher returns the number of IO-heavy tasks", ioOpsWeigher, makeHost("a", { numIoOps: 3 }), makeSpec(), 3],
    [
      "NumInstancesWeigher returns the instance count",
      numInstancesWeigher,
      makeHost("a", { numInstances: 9 }),
      makeSpec(),
      9,
    ],
    [
      "BuildFailureWeigher returns minus the failed builds",
      buildFailureWeigher,
      makeHost("a", { failedBuilds: 2 }),
      makeSpec(),
      -2,
    ],
    [
      "ServerGroupSoftAffinityWeigher counts group members on the host",
      serverGroupSoftAffinityWeigher,
      withMembers,
      soft("soft-affinity"),
      2,
    ],
    [
      "ServerGroupSoftAffinityWeigher is 0 for other policies",
      serverGroupSoftAffinityWeigher,
      withMembers,
      soft("soft-anti-affinity"),
      0,
    ],
    ["ServerGroupSoftAffinityWeigher is 0 without a group", serverGroupSoftAffinityWeigher, withMembers, makeSpec(), 0],
    [
      "ServerGroupSoftAntiAffinityWeigher returns minus the members on the host",
      serverGroupSoftAntiAffinityWeigher,
      withMembers,
      soft("soft-anti-affinity"),
      -2,
    ],
    [
      "ServerGroupSoftAntiAffinityWeigher is 0 for a hard policy",
      serverGroupSoftAntiAffinityWeigher,
      withMembers,
      soft("affinity"),
      0,
    ],
  ])("%s", (_name, weigher, host, spec, expected) => {
    expect(weigher.weigh(host, spec)).toBe(expected);
  });
});
