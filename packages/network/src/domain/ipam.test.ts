import { describe, expect, it } from "vitest";
import { parseCidr } from "./ip.js";
import { defaultAllocationPools, nextFreeAddress, validateAllocationPools, validForSubnet } from "./ipam.js";

const c = (s: string) => parseCidr(s)!;

describe("IPAM rules", () => {
  it.each([
    ["10.0.0.0/24", "10.0.0.1", [{ start: "10.0.0.2", end: "10.0.0.254" }]],
    ["10.0.0.0/24", null, [{ start: "10.0.0.1", end: "10.0.0.254" }]],
    [
      "10.0.0.0/24",
      "10.0.0.100",
      [
        { start: "10.0.0.1", end: "10.0.0.99" },
        { start: "10.0.0.101", end: "10.0.0.254" },
      ],
    ],
    ["10.0.0.0/24", "192.168.0.1", [{ start: "10.0.0.1", end: "10.0.0.254" }]],
    ["10.0.0.0/31", null, [{ start: "10.0.0.0", end: "10.0.0.1" }]],
    ["fd00::/64", "fd00::1", [{ start: "fd00::2", end: "fd00::ffff:ffff:ffff:ffff" }]],
  ])("the default pools of %s with gateway %s are %j", (cidr, gw, pools) => {
    expect(defaultAllocationPools(c(cidr), gw)).toEqual(pools);
  });

  it.each([
    [[{ start: "10.0.0.20", end: "10.0.0.10" }], "InvalidAllocationPool"],
    [[{ start: "10.0.0.10", end: "10.0.1.10" }], "OutOfBoundsAllocationPool"],
    [[{ start: "10.0.0.0", end: "10.0.0.10" }], "OutOfBoundsAllocationPool"],
    [[{ start: "10.0.0.10", end: "10.0.0.255" }], "OutOfBoundsAllocationPool"],
    [[{ start: "fd00::1", end: "fd00::2" }], "InvalidAllocationPool"],
    [
      [
        { start: "10.0.0.10", end: "10.0.0.20" },
        { start: "10.0.0.15", end: "10.0.0.30" },
      ],
      "OverlappingAllocationPools",
    ],
    [[{ start: "10.0.0.1", end: "10.0.0.20" }], "GatewayConflictWithAllocationPools"],
  ])("refuses the pools %j with %s", (pools, type) => {
    expect(() => validateAllocationPools(c("10.0.0.0/24"), pools, "10.0.0.1")).toThrow(
      expect.objectContaining({ details: { type } }),
    );
  });

  it("returns the lowest free pool address, skipping taken ones, and null when the pools are full", () => {
    const pools = [{ start: "10.0.0.2", end: "10.0.0.4" }];
    expect(nextFreeAddress(4, pools, new Set())).toBe("10.0.0.2");
    expect(nextFreeAddress(4, pools, new Set(["10.0.0.2", "10.0.0.3"]))).toBe("10.0.0.4");
    expect(nextFreeAddress(4, pools, new Set(["10.0.0.2", "10.0.0.3", "10.0.0.4"]))).toBeNull();
  });

  it("accepts a fixed address inside the subnet but not its network or broadcast address", () => {
    expect(validForSubnet(c("10.0.0.0/24"), "10.0.0.200")).toBe(true);
    expect(validForSubnet(c("10.0.0.0/24"), "10.0.0.0")).toBe(false);
    expect(validForSubnet(c("10.0.0.0/24"), "10.0.0.255")).toBe(false);
    expect(validForSubnet(c("10.0.0.0/24"), "10.0.1.1")).toBe(false);
  });
});
