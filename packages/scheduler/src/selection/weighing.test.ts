import { describe, expect, it } from "vitest";
import type { HostState } from "./host-state.js";
import { makeHost, makeSpec } from "./testing.js";
import { ioOpsWeigher, ramWeigher } from "./weighers/resources.js";
import { normalize, rankHosts, topIndices, weighHosts } from "./weighing.js";

describe("normalize", () => {
  it.each<[string, number[], number[]]>([
    ["maps the minimum to 0 and the maximum to 1, linearly between", [10, 20, 30], [0, 0.5, 1]],
    ["gives all zeros when every value is equal", [5, 5, 5], [0, 0, 0]],
    ["handles negative raw values", [-4, 0, -2], [0, 1, 0.5]],
    ["gives an empty array for no hosts", [], []],
  ])("%s", (_name, input, expected) => {
    expect([...normalize(input)]).toEqual(expected);
  });
});

describe("weighHosts and rankHosts", () => {
  const hosts = [
    makeHost("a", { freeRamMb: 1000, numIoOps: 0 }),
    makeHost("b", { freeRamMb: 3000, numIoOps: 4 }),
    makeHost("c", { freeRamMb: 2000, numIoOps: 2 }),
  ];

  it("sums multiplier x normalized weight per weigher", () => {
    const w = weighHosts(hosts, makeSpec(), [
      { weigher: ramWeigher, multiplier: 2 },
      { weigher: ioOpsWeigher, multiplier: -1 },
    ]);
    // a: 2*0 - 0 = 0; b: 2*1 - 1 = 1; c: 2*0.5 - 0.5 = 0.5
    expect([...w]).toEqual([0, 1, 0.5]);
  });

  it("ranks heavier hosts first", () => {
    const ranked = rankHosts(hosts, makeSpec(), [{ weigher: ramWeigher, multiplier: 1 }]);
    expect(ranked.map((r) => r.host.host)).toEqual(["b", "c", "a"]);
  });

  it("a negative multiplier reverses the preference", () => {
    const ranked = rankHosts(hosts, makeSpec(), [{ weigher: ramWeigher, multiplier: -1 }]);
    expect(ranked.map((r) => r.host.host)).toEqual(["a", "c", "b"]);
  });

  it("a zero multiplier skips the weigher, leaving every weight 0", () => {
    expect([...weighHosts(hosts, makeSpec(), [{ weigher: ramWeigher, multiplier: 0 }])]).toEqual([0, 0, 0]);
  });

  it("breaks ties by host name then node name, whatever the input order", () => {
    const tied: HostState[] = [
      makeHost("z"),
      makeHost("m", { nodename: "m-2" }),
      makeHost("m", { nodename: "m-1" }),
      makeHost("a"),
    ];
    for (const order of [tied, [...tied].reverse()]) {
      const ranked = rankHosts(order, makeSpec(), [{ weigher: ramWeigher, multiplier: 1 }]);
      expect(ranked.map((r) => r.host.nodename)).toEqual(["a", "m-1", "m-2", "z"]);
    }
  });

  it("topIndices agrees with the full ranking on its first k hosts", () => {
    const many = Array.from({ length: 200 }, (_, i) => makeHost(`h${i}`, { freeRamMb: (i * 7919) % 50 }));
    const weights = weighHosts(many, makeSpec(), [{ weigher: ramWeigher, multiplier: 1 }]);
    const full = rankHosts(many, makeSpec(), [{ weigher: ramWeigher, multiplier: 1 }]).map((r) => r.host.host);
    expect(topIndices(many, weights, 10).map((i) => many[i]!.host)).toEqual(full.slice(0, 10));
  });
});
