import { describe, expect, it } from "vitest";
import type { HostState } from "../host-state.js";
import type { HostFilter } from "../plugin.js";
import type { RequestSpec } from "../request-spec.js";
import { makeHost, makeSpec } from "../testing.js";
import { aggregateInstanceExtraSpecsFilter } from "./aggregate-extra-specs.js";
import { availabilityZoneFilter, computeFilter } from "./compute.js";
import { computeCapabilitiesFilter } from "./compute-capabilities.js";
import { differentHostFilter, sameHostFilter } from "./host-hints.js";
import { imagePropertiesFilter } from "./image-properties.js";
import { isolatedHostsFilter } from "./isolated-hosts.js";
import { serverGroupAffinityFilter, serverGroupAntiAffinityFilter } from "./server-group.js";

type Case = [string, HostFilter, HostState, RequestSpec, string | null];

const h = makeHost;
const group = (policy: "affinity" | "anti-affinity", hosts: string[], members: string[], max?: number) =>
  makeSpec({ serverGroup: { policy, hosts, members, ...(max === undefined ? {} : { maxServerPerHost: max }) } });
const ssdAgg = [{ name: "fast", metadata: { ssd: "true", cpu_gen: "7", tier: "gold,silver" } }];
const isolated = isolatedHostsFilter({ isolatedImages: ["img-iso"], isolatedHosts: ["iso1"] });
const isolatedLoose = isolatedHostsFilter({
  isolatedImages: ["img-iso"],
  isolatedHosts: ["iso1"],
  restrictIsolatedHostsToIsolatedImages: false,
});
const img = (properties: Record<string, string>, id?: string) =>
  makeSpec({ image: { properties, ...(id === undefined ? {} : { id }) } });
const specs = (extraSpecs: Record<string, string>) => makeSpec({ flavor: { vcpus: 2, memoryMb: 2048, extraSpecs } });

const cases: Case[] = [
  ["ComputeFilter passes an enabled host that is up", computeFilter, h("a"), makeSpec(), null],
  [
    "ComputeFilter removes a disabled host",
    computeFilter,
    h("a", { enabled: false }),
    makeSpec(),
    "compute service is disabled",
  ],
  [
    "ComputeFilter removes a host that is down",
    computeFilter,
    h("a", { up: false }),
    makeSpec(),
    "compute service is down",
  ],
  [
    "AvailabilityZoneFilter passes any host when no zone is asked",
    availabilityZoneFilter,
    h("a", { availabilityZone: "az2" }),
    makeSpec(),
    null,
  ],
  [
    "AvailabilityZoneFilter passes a host in the asked zone",
    availabilityZoneFilter,
    h("a", { availabilityZone: "az2" }),
    makeSpec({ availabilityZone: "az2" }),
    null,
  ],
  [
    "AvailabilityZoneFilter removes a host in another zone",
    availabilityZoneFilter,
    h("a"),
    makeSpec({ availabilityZone: "az2" }),
    "host is in availability zone 'nova', not 'az2'",
  ],
  [
    "AggregateInstanceExtraSpecsFilter passes a flavor without extra specs",
    aggregateInstanceExtraSpecsFilter,
    h("a"),
    makeSpec(),
    null,
  ],
  [
    "AggregateInstanceExtraSpecsFilter passes a scoped key the aggregate matches",
    aggregateInstanceExtraSpecsFilter,
    h("a", { aggregates: ssdAgg }),
    specs({ "aggregate_instance_extra_specs:ssd": "true" }),
    null,
  ],
  [
    "AggregateInstanceExtraSpecsFilter passes an unscoped key with an operator",
    aggregateInstanceExtraSpecsFilter,
    h("a", { aggregates: ssdAgg }),
    specs({ cpu_gen: ">= 6" }),
    null,
  ],
  [
    "AggregateInstanceExtraSpecsFilter matches any value of a comma-separated list",
    aggregateInstanceExtraSpecsFilter,
    h("a", { aggregates: ssdAgg }),
    specs({ tier: "silver" }),
    null,
  ],
  [
    "AggregateInstanceExtraSpecsFilter ignores keys of other scopes",
    aggregateInstanceExtraSpecsFilter,
    h("a"),
    specs({ "hw:cpu_policy": "dedicated" }),
    null,
  ],
  [
    "AggregateInstanceExtraSpecsFilter removes a host whose aggregates lack the key",
    aggregateInstanceExtraSpecsFilter,
    h("a"),
    specs({ "aggregate_instance_extra_specs:ssd": "true" }),
    "no aggregate of the host has metadata 'ssd'",
  ],
  [
    "AggregateInstanceExtraSpecsFilter removes a host whose value does not match",
    aggregateInstanceExtraSpecsFilter,
    h("a", { aggregates: ssdAgg }),
    specs({ "aggregate_instance_extra_specs:ssd": "false" }),
    "aggregate metadata 'ssd' does not match 'false'",
  ],
  [
    "ComputeCapabilitiesFilter passes a scoped capability that matches",
    computeCapabilitiesFilter,
    h("a", { capabilities: { cpu_info: { arch: "x86_64" } } }),
    specs({ "capabilities:cpu_info:arch": "x86_64" }),
    null,
  ],
  [
    "ComputeCapabilitiesFilter reads host state fields such as hypervisor_type",
    computeCapabilitiesFilter,
    h("a"),
    specs({ "capabilities:hypervisor_type": "s== QEMU" }),
    null,
  ],
  [
    "ComputeCapabilitiesFilter compares numbers with operators",
    computeCapabilitiesFilter,
    h("a"),
    specs({ "capabilities:vcpus_total": ">= 32" }),
    "capability 'vcpus_total' is '16', which does not match '>= 32'",
  ],
  [
    "ComputeCapabilitiesFilter removes a host without the capability",
    computeCapabilitiesFilter,
    h("a"),
    specs({ "capabilities:gpu": "true" }),
    "host has no capability 'gpu'",
  ],
  [
    "ComputeCapabilitiesFilter ignores keys of other scopes",
    computeCapabilitiesFilter,
    h("a"),
    specs({ "hw:mem_page_size": "large" }),
    null,
  ],
  ["ImagePropertiesFilter passes an image without properties", imagePropertiesFilter, h("a"), img({}), null],
  [
    "ImagePropertiesFilter passes a supported arch, hypervisor and vm mode",
    imagePropertiesFilter,
    h("a"),
    img({ hw_architecture: "x86_64", img_hv_type: "qemu", hw_vm_mode: "hvm" }),
    null,
  ],
  [
    "ImagePropertiesFilter canonicalizes amd64 to x86_64",
    imagePropertiesFilter,
    h("a"),
    img({ hw_architecture: "amd64" }),
    null,
  ],
  [
    "ImagePropertiesFilter removes a host of another architecture",
    imagePropertiesFilter,
    h("a"),
    img({ hw_architecture: "aarch64" }),
    "host supports no instance type matching arch=aarch64 hv_type=* vm_mode=*",
  ],
  [
    "ImagePropertiesFilter removes a host reporting no supported instances",
    imagePropertiesFilter,
    h("a", { supportedInstances: [] }),
    img({ img_hv_type: "qemu" }),
    "host reports no supported instance types",
  ],
  [
    "ImagePropertiesFilter passes a compatible requested hypervisor version",
    imagePropertiesFilter,
    h("a"),
    img({ img_hv_requested_version: ">=8.1" }),
    null,
  ],
  [
    "ImagePropertiesFilter removes an older hypervisor version",
    imagePropertiesFilter,
    h("a"),
    img({ img_hv_requested_version: ">=8.3" }),
    "hypervisor version 8.2.0 is not '>=8.3'",
  ],
  [
    "ImagePropertiesFilter removes a hypervisor of another major version",
    imagePropertiesFilter,
    h("a"),
    img({ img_hv_requested_version: ">=7.0" }),
    "hypervisor version 8.2.0 is not '>=7.0'",
  ],
  [
    "ServerGroupAffinityFilter passes any host for the first member",
    serverGroupAffinityFilter,
    h("a"),
    group("affinity", [], []),
    null,
  ],
  [
    "ServerGroupAffinityFilter passes a host of the group",
    serverGroupAffinityFilter,
    h("a"),
    group("affinity", ["a"], ["i1"]),
    null,
  ],
  [
    "ServerGroupAffinityFilter removes a host outside the group",
    serverGroupAffinityFilter,
    h("b"),
    group("affinity", ["a"], ["i1"]),
    "server group (affinity) members run on a",
  ],
  [
    "ServerGroupAffinityFilter ignores anti-affinity groups",
    serverGroupAffinityFilter,
    h("b"),
    group("anti-affinity", ["a"], ["i1"]),
    null,
  ],
  [
    "ServerGroupAntiAffinityFilter passes a host without members",
    serverGroupAntiAffinityFilter,
    h("b"),
    group("anti-affinity", ["a"], ["i1"]),
    null,
  ],
  [
    "ServerGroupAntiAffinityFilter removes a host running a member",
    serverGroupAntiAffinityFilter,
    h("a", { instances: new Set(["i1"]) }),
    group("anti-affinity", ["a"], ["i1"]),
    "host already runs 1 member(s) of the anti-affinity group (max_server_per_host 1)",
  ],
  [
    "ServerGroupAntiAffinityFilter passes below max_server_per_host",
    serverGroupAntiAffinityFilter,
    h("a", { instances: new Set(["i1"]) }),
    group("anti-affinity", ["a"], ["i1", "i2"], 2),
    null,
  ],
  [
    "ServerGroupAntiAffinityFilter removes a host at max_server_per_host",
    serverGroupAntiAffinityFilter,
    h("a", { instances: new Set(["i1", "i2"]) }),
    group("anti-affinity", ["a"], ["i1", "i2"], 2),
    "host already runs 2 member(s) of the anti-affinity group (max_server_per_host 2)",
  ],
  ["SameHostFilter passes any host without the hint", sameHostFilter, h("a"), makeSpec(), null],
  [
    "SameHostFilter passes a host running a named instance",
    sameHostFilter,
    h("a", { instances: new Set(["i1"]) }),
    makeSpec({ hints: { sameHost: ["i1", "i9"] } }),
    null,
  ],
  [
    "SameHostFilter removes a host running none of them",
    sameHostFilter,
    h("a"),
    makeSpec({ hints: { sameHost: ["i1"] } }),
    "host runs none of the same_host instances",
  ],
  [
    "DifferentHostFilter passes a host running none of them",
    differentHostFilter,
    h("a"),
    makeSpec({ hints: { differentHost: ["i1"] } }),
    null,
  ],
  [
    "DifferentHostFilter removes a host running a named instance",
    differentHostFilter,
    h("a", { instances: new Set(["i1"]) }),
    makeSpec({ hints: { differentHost: ["i1"] } }),
    "host runs different_host instance i1",
  ],
  ["IsolatedHostsFilter passes an isolated image on an isolated host", isolated, h("iso1"), img({}, "img-iso"), null],
  [
    "IsolatedHostsFilter removes a normal host for an isolated image",
    isolated,
    h("a"),
    img({}, "img-iso"),
    "image is isolated and the host is not",
  ],
  [
    "IsolatedHostsFilter removes an isolated host for a normal image by default",
    isolated,
    h("iso1"),
    img({}, "img-x"),
    "host is isolated and the image is not",
  ],
  [
    "IsolatedHostsFilter lets normal images on isolated hosts when not restricted",
    isolatedLoose,
    h("iso1"),
    img({}, "img-x"),
    null,
  ],
  [
    "IsolatedHostsFilter passes everything without configuration",
    isolatedHostsFilter(),
    h("iso1"),
    img({}, "img-iso"),
    null,
  ],
];

describe("filters", () => {
  it.each(cases)("%s", (_name, filter, host, spec, reason) => {
    const result = filter.filter(host, spec);
    expect(result).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });

  it("IsolatedHostsFilter rejects malformed options at construction", () => {
    expect(() => isolatedHostsFilter({ isolatedHosts: "h1" })).toThrow();
  });
});
