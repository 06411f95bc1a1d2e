import { describe, expect, it } from "vitest";
import { matchExtraSpec } from "./extra-specs-ops.js";

describe("matchExtraSpec", () => {
  it.each([
    ["a plain requirement matches the identical string", "ssd", "ssd", true],
    ["a plain requirement does not match a different string", "hdd", "ssd", false],
    ["'=' means at least, numerically, so 8 satisfies '= 4'", "8", "= 4", true],
    ["'=' fails when the host value is smaller", "2", "= 4", false],
    ["'==' is numeric equality, so 4.0 equals 4", "4.0", "== 4", true],
    ["'!=' is numeric inequality", "4", "!= 4", false],
    ["'>=' passes on equality", "4", ">= 4", true],
    ["'<=' fails when the value is larger", "5", "<= 4", false],
    ["'s==' compares strings exactly", "ssd", "s== ssd", true],
    ["'s!=' fails on the same string", "ssd", "s!= ssd", false],
    ["'s<' compares strings lexically", "abc", "s< abd", true],
    ["'s>=' compares strings lexically", "abc", "s>= abd", false],
    ["'<in>' finds a substring", "avx avx2 sse4", "<in> avx2", true],
    ["'<in>' fails without the substring", "sse4", "<in> avx2", false],
    ["'<all-in>' needs every word", "avx avx2 sse4", "<all-in> avx sse4", true],
    ["'<all-in>' fails when one word is missing", "avx sse4", "<all-in> avx avx2", false],
    ["'<or>' matches any alternative", "kvm", "<or> qemu <or> kvm", true],
    ["'<or>' fails when no alternative matches", "xen", "<or> qemu <or> kvm", false],
    ["a numeric operator never matches a non-numeric host value", "fast", ">= 4", false],
    ["an operator without an operand never matches", "4", ">=", false],
  ])("%s", (_name, value, requirement, expected) => {
    expect(matchExtraSpec(value, requirement)).toBe(expected);
  });

  it("an absent host value never matches an operator requirement", () => {
    expect(matchExtraSpec(undefined, ">= 1")).toBe(false);
  });
});
