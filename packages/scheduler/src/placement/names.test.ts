import { describe, expect, it } from "vitest";
import { RESOURCE_CLASSES_SOURCE_VERSION, STANDARD_RESOURCE_CLASSES } from "../generated/resource-classes.gen.js";
import { STANDARD_TRAITS, TRAITS_SOURCE_VERSION } from "../generated/traits.gen.js";
import { isCustomName, isStandardResourceClass, isStandardTrait } from "./names.js";

describe("standard names", () => {
  it.each([
    ["VCPU is a standard resource class", () => isStandardResourceClass("VCPU"), true],
    ["SRIOV_NET_VF is a standard resource class", () => isStandardResourceClass("SRIOV_NET_VF"), true],
    ["a custom class is not a standard one", () => isStandardResourceClass("CUSTOM_FPGA"), false],
    ["HW_CPU_X86_AVX2 is a standard trait", () => isStandardTrait("HW_CPU_X86_AVX2"), true],
    ["COMPUTE_STATUS_DISABLED is a standard trait", () => isStandardTrait("COMPUTE_STATUS_DISABLED"), true],
    ["CUSTOM_GOLD_1 is a well-formed custom name", () => isCustomName("CUSTOM_GOLD_1"), true],
    ["a lower-case custom name is malformed", () => isCustomName("CUSTOM_gold"), false],
    ["CUSTOM_ alone is malformed", () => isCustomName("CUSTOM_"), false],
    ["a name without the CUSTOM_ prefix is not custom", () => isCustomName("GOLD"), false],
  ])("%s", (_name, check, expected) => {
    expect(check()).toBe(expected);
  });

  it("the generated lists carry their source versions and the expected sizes", () => {
    expect(RESOURCE_CLASSES_SOURCE_VERSION).toMatch(/^\d+\.\d+/);
    expect(TRAITS_SOURCE_VERSION).toMatch(/^\d+\.\d+/);
    expect(STANDARD_RESOURCE_CLASSES.length).toBeGreaterThanOrEqual(20);
    expect(STANDARD_TRAITS.length).toBeGreaterThan(300);
  });
});
