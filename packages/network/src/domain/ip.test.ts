import { describe, expect, it } from "vitest";
import { canonicalIp, cidrsOverlap, eui64, formatCidr, parseCidr } from "./ip.js";

describe("IP addresses", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["FD00:0:0:0:0:0:0:1", "fd00::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["::", "::"],
    ["::ffff:10.0.0.1", "::ffff:a00:1"],
    ["fe80::", "fe80::"],
  ])("canonicalizes %s as %s", (input, out) => {
    expect(canonicalIp(input)).toBe(out);
  });

  it.each(["10.0.0", "10.0.0.256", "01.0.0.1", "1::2::3", "fd00::g", "1:2:3:4:5:6:7:8:9", "", "10.0.0.1/24"])(
    "refuses %j as an address",
    (input) => {
      expect(canonicalIp(input)).toBeNull();
    },
  );

  it("canonicalizes a CIDR with host bits to its network, and strict parsing refuses it", () => {
    expect(formatCidr(parseCidr("10.0.0.5/24")!)).toBe("10.0.0.0/24");
    expect(formatCidr(parseCidr("FD00:1::5/64")!)).toBe("fd00:1::/64");
    expect(parseCidr("10.0.0.5/24", true)).toBeNull();
    expect(parseCidr("10.0.0.0/33")).toBeNull();
  });

  it("detects overlapping CIDRs only within one family", () => {
    expect(cidrsOverlap(parseCidr("10.0.0.0/16")!, parseCidr("10.0.5.0/24")!)).toBe(true);
    expect(cidrsOverlap(parseCidr("10.0.0.0/24")!, parseCidr("10.0.1.0/24")!)).toBe(false);
    expect(cidrsOverlap(parseCidr("::/0")!, parseCidr("10.0.0.0/8")!)).toBe(false);
  });

  it("derives the modified EUI-64 address of a MAC (universal/local bit flipped)", () => {
    expect(eui64(parseCidr("fd00:1::/64")!, "fa:16:3e:12:34:56")).toBe("fd00:1::f816:3eff:fe12:3456");
  });
});
