import { StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import { createDefaultRegistry } from "./registry-defaults.js";
import { createSelector } from "./selector.js";
import { makeHost, makeSpec } from "./testing.js";

const hosts = [
  makeHost("down", { up: false, freeRamMb: 99999 }),
  makeHost("off", { enabled: false }),
  makeHost("h1", { freeRamMb: 1000 }),
  makeHost("h2", { freeRamMb: 4000 }),
  makeHost("h3", { freeRamMb: 3000 }),
  makeHost("h4", { freeRamMb: 2000, availabilityZone: "az2" }),
  makeHost("other-cell", { freeRamMb: 3500, cell: "cell2" }),
];
const ramOnly = { weighers: [{ name: "RAMWeigher", multiplier: 1 }] };

function noValidHost(run: () => unknown): StratusError {
  try {
    run();
  } catch (error) {
    if (StratusError.is(error)) return error;
    throw error;
  }
  throw new Error("select did not throw");
}

describe("createSelector().select", () => {
  it("filters, weighs and picks the heaviest host with same-cell alternates", () => {
    const result = createSelector({ ...ramOnly, maxAttempts: 3 }).select(hosts, makeSpec());
    expect(result.hosts.map((h) => h.host)).toEqual(["h2"]);
    expect(result.selections[0]!.alternates.map((h) => h.host)).toEqual(["h3", "h4"]);
  });

  it("the trace says how many hosts entered each filter and which it removed, with reasons", () => {
    const { traces } = createSelector({ ...ramOnly, filters: ["ComputeFilter", "AvailabilityZoneFilter"] }).select(
      hosts,
      makeSpec({ availabilityZone: "az2" }),
    );
    expect(traces[0]).toEqual([
      {
        filter: "ComputeFilter",
        hostsIn: 7,
        removed: [
          { host: "down", nodename: "down", reason: "compute service is down" },
          { host: "off", nodename: "off", reason: "compute service is disabled" },
        ],
      },
      {
        filter: "AvailabilityZoneFilter",
        hostsIn: 5,
        removed: ["h1", "h2", "h3", "other-cell"].map((h) => ({
          host: h,
          nodename: h,
          reason: "host is in availability zone 'nova', not 'az2'",
        })),
      },
    ]);
  });

  it("throws no_valid_host with the per-filter trace when no host is left", () => {
    const error = noValidHost(() =>
      createSelector({ filters: ["ComputeFilter", "AvailabilityZoneFilter", "SameHostFilter"] }).select(
        hosts,
        makeSpec({ availabilityZone: "az9" }),
      ),
    );
    expect(error.code).toBe("no_valid_host");
    expect(error.message).toMatch(
      /^No valid host was found\. ComputeFilter removed 2 of 7 \(down: compute service is down/,
    );
    expect(error.message).toContain("AvailabilityZoneFilter removed 5 of 5");
    const trace = error.details["trace"] as { filter: string; hostsIn: number; removed: unknown[] }[];
    // The filters after the hosts ran out are not run.
    expect(trace.map((t) => [t.filter, t.hostsIn, t.removed.length])).toEqual([
      ["ComputeFilter", 7, 2],
      ["AvailabilityZoneFilter", 5, 5],
    ]);
  });

  it.each([
    ["a random value near 0 picks the best of the subset", 0, "h2"],
    ["a random value in the middle picks the second", 0.5, "other-cell"],
    ["a random value near 1 picks the last of the subset", 0.99, "other-cell"],
  ])("with hostSubsetSize 2, %s", (_name, r, expected) => {
    const selector = createSelector({ ...ramOnly, hostSubsetSize: 2, random: () => r });
    expect(selector.select(hosts, makeSpec()).hosts[0]!.host).toBe(expected);
  });

  it("places each of num_instances on the host that is best after the previous one consumed", () => {
    const twins = [makeHost("a", { freeRamMb: 5000 }), makeHost("b", { freeRamMb: 4000 })];
    const result = createSelector({ ...ramOnly, maxAttempts: 2 }).select(
      twins,
      makeSpec({ numInstances: 2, instanceUuids: ["u1", "u2"], flavor: { vcpus: 1, memoryMb: 2048 } }),
    );
    // After the first 2 GiB instance a has 3000 MiB free, so b wins the second.
    expect(result.hosts.map((h) => h.host)).toEqual(["a", "b"]);
    expect(result.selections.map((s) => s.alternates.length)).toEqual([0, 0]);
  });

  it("anti-affinity spreads the instances of one request over different hosts", () => {
    const result = createSelector({ ...ramOnly, filters: ["ServerGroupAntiAffinityFilter"] }).select(
      [makeHost("a"), makeHost("b"), makeHost("c")],
      makeSpec({ numInstances: 3, serverGroup: { policy: "anti-affinity", hosts: [], members: [] } }),
    );
    expect(new Set(result.hosts.map((h) => h.host)).size).toBe(3);
  });

  it("ignore_hosts removes hosts and force_hosts skips the filters", () => {
    const selector = createSelector(ramOnly);
    const ignored = selector.select(hosts, makeSpec({ ignoreHosts: ["h2", "other-cell"] }));
    expect(ignored.hosts[0]!.host).toBe("h3");
    const forced = selector.select(hosts, makeSpec({ forceHosts: ["down"] }));
    expect(forced.hosts[0]!.host).toBe("down");
    expect(forced.traces[0]!.map((t) => t.filter)).toEqual(["force_hosts"]);
  });

  it("users add their own filters through the registry", () => {
    const registry = createDefaultRegistry().registerFilter("NameFilter", () => ({
      name: "NameFilter",
      filter: (host) => (host.host === "h1" ? { ok: true } : { ok: false, reason: "not h1" }),
    }));
    const result = createSelector({ registry, filters: ["ComputeFilter", "NameFilter"] }).select(hosts, makeSpec());
    expect(result.hosts[0]!.host).toBe("h1");
  });

  it.each([
    ["an unknown filter name", { filters: ["NoSuchFilter"] }, /Unknown filter 'NoSuchFilter'/],
    ["an unknown weigher name", { weighers: ["NoSuchWeigher"] }, /Unknown weigher 'NoSuchWeigher'/],
    ["a host subset size of 0", { hostSubsetSize: 0 }, /./],
  ])("rejects %s when the selector is created", (_name, options, error) => {
    expect(() => createSelector(options)).toThrow(error);
  });
});

describe("Registry", () => {
  it("throws on a duplicate filter or weigher name", () => {
    const registry = createDefaultRegistry();
    expect(() => registry.registerFilter("ComputeFilter", () => ({ name: "x", filter: () => ({ ok: true }) }))).toThrow(
      /already registered/,
    );
    expect(() => registry.registerWeigher("RAMWeigher", () => ({ name: "x", weigh: () => 0 }))).toThrow(
      /already registered/,
    );
  });

  it("holds the twelve built-in filters and eight weighers", () => {
    const registry = createDefaultRegistry();
    expect(registry.filterNames()).toHaveLength(12);
    expect(registry.weigherNames()).toHaveLength(8);
  });
});
