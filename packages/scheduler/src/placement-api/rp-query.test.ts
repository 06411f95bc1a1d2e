import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const ROOT = "11111111-1111-1111-1111-111111111111";
const CHILD = "22222222-2222-2222-2222-222222222222";
const OTHER = "33333333-3333-3333-3333-333333333333";
const AGG = "f4c1a8d2-3e5b-4c6d-8e7f-9a0b1c2d3e4f";
const AGG2 = "0a7a3c5e-1b1e-4a3c-9d0a-6f2c0a1b2c3d";

let t: PlacementTestApp;
beforeAll(async () => {
  t = await placementTestApp();
  const v = { microversion: "1.20" };
  await t.call("POST", "/resource_providers", { name: "root", uuid: ROOT }, v);
  await t.call("POST", "/resource_providers", { name: "child", uuid: CHILD, parent_provider_uuid: ROOT }, v);
  await t.call("POST", "/resource_providers", { name: "other", uuid: OTHER }, v);
  await t.call("PUT", `/resource_providers/${ROOT}/inventories`, {
    resource_provider_generation: 0,
    inventories: { VCPU: { total: 8, max_unit: 4 } },
  });
  await t.call("PUT", `/resource_providers/${OTHER}/inventories`, {
    resource_provider_generation: 0,
    inventories: { VCPU: { total: 2 } },
  });
  await t.call(
    "PUT",
    `/resource_providers/${CHILD}/traits`,
    { traits: ["HW_CPU_X86_AVX2"], resource_provider_generation: 0 },
    { microversion: "1.6" },
  );
  await t.call(
    "PUT",
    `/resource_providers/${OTHER}/traits`,
    { traits: ["STORAGE_DISK_SSD"], resource_provider_generation: 1 },
    { microversion: "1.6" },
  );
  await t.call("PUT", `/resource_providers/${ROOT}/aggregates`, [AGG], { microversion: "1.1" });
  await t.call("PUT", `/resource_providers/${OTHER}/aggregates`, [AGG2], { microversion: "1.1" });
});
afterEach(() => undefined);

const names = async (qs: string, microversion: string) => {
  const res = await t.call("GET", `/resource_providers?${qs}`, undefined, { microversion });
  expect(res.status).toBe(200);
  return res.body.resource_providers.map((p: { name: string }) => p.name);
};

describe("GET /resource_providers filters", () => {
  it.each([
    ["no filter", "", "1.0", ["root", "child", "other"]],
    ["name", "name=child", "1.0", ["child"]],
    ["uuid", `uuid=${OTHER}`, "1.0", ["other"]],
    ["member_of", `member_of=${AGG}`, "1.3", ["root"]],
    ["member_of in:", `member_of=in:${AGG},${AGG2}`, "1.3", ["root", "other"]],
    ["repeated member_of (AND)", `member_of=${AGG}&member_of=${AGG2}`, "1.24", []],
    ["forbidden member_of", `member_of=!${AGG}`, "1.32", ["child", "other"]],
    ["forbidden member_of in:", `member_of=!in:${AGG},${AGG2}`, "1.32", ["child"]],
    ["resources with room", "resources=VCPU:2", "1.4", ["root", "other"]],
    ["resources over max_unit", "resources=VCPU:5", "1.4", []],
    ["resources over capacity", "resources=VCPU:3", "1.4", ["root"]],
    ["in_tree", `in_tree=${CHILD}`, "1.14", ["root", "child"]],
    ["in_tree of an unknown provider", "in_tree=44444444-4444-4444-4444-444444444444", "1.14", []],
    ["required", "required=HW_CPU_X86_AVX2", "1.18", ["child"]],
    ["required with in_tree", `required=HW_CPU_X86_AVX2&in_tree=${OTHER}`, "1.18", []],
    ["forbidden trait", "required=!HW_CPU_X86_AVX2", "1.22", ["root", "other"]],
    ["any-of traits", "required=in:HW_CPU_X86_AVX2,STORAGE_DISK_SSD", "1.39", ["child", "other"]],
    ["repeated required (AND)", "required=HW_CPU_X86_AVX2&required=STORAGE_DISK_SSD", "1.39", []],
    [
      "repeated required before 1.39 (last wins)",
      "required=HW_CPU_X86_AVX2&required=STORAGE_DISK_SSD",
      "1.38",
      ["other"],
    ],
  ])("by %s", async (_what, qs, microversion, expected) => {
    expect(await names(qs, microversion)).toEqual(expected);
  });

  it.each([
    [
      "member_of before 1.3",
      `member_of=${AGG}`,
      "1.2",
      "Additional properties are not allowed ('member_of' was unexpected)",
    ],
    ["resources before 1.4", "resources=VCPU:1", "1.3", "Additional properties"],
    ["in_tree before 1.14", `in_tree=${ROOT}`, "1.13", "Additional properties"],
    ["required before 1.18", "required=HW_CPU_X86_AVX2", "1.17", "Additional properties"],
    ["a bad uuid", "uuid=nope", "1.0", "Invalid query string parameters"],
    ["a bad in_tree", "in_tree=nope", "1.14", "Invalid query string parameters"],
    [
      "repeated member_of before 1.24",
      `member_of=${AGG}&member_of=${AGG2}`,
      "1.23",
      "Multiple member_of parameters are not supported",
    ],
    [
      "a comma list without in:",
      `member_of=${AGG},${AGG2}`,
      "1.3",
      "must be prefixed with the 'in:' or '!in:' keyword",
    ],
    ["a bad aggregate uuid", "member_of=nope", "1.3", "Expected 'member_of' parameter to contain valid UUID(s)"],
    [
      "forbidden member_of before 1.32",
      `member_of=!${AGG}`,
      "1.31",
      "Forbidden member_of parameters are not supported",
    ],
    ["a malformed resources", "resources=VCPU", "1.4", "Badly formed resources parameter"],
    ["a non-integer amount", "resources=VCPU:x", "1.4", "expected positive integer amount"],
    ["a zero amount", "resources=VCPU:0", "1.4", "requires amount >= 1"],
    [
      "an unknown class",
      "resources=HOUSE:1",
      "1.4",
      "Invalid resource class in resources parameter: No such resource class HOUSE.",
    ],
    ["an unknown trait", "required=BOGUS_TRAIT", "1.18", "No such trait(s): BOGUS_TRAIT."],
    [
      "a forbidden trait before 1.22",
      "required=!HW_CPU_X86_AVX2",
      "1.21",
      "HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !HW_CPU_X86_AVX2",
    ],
    ["an empty trait", "required=HW_CPU_X86_AVX2,", "1.22", "Got an empty trait in"],
    ["in: before 1.39", "required=in:HW_CPU_X86_AVX2", "1.38", "only supported since microversion 1.39"],
    ["a forbidden trait in in:", "required=in:!HW_CPU_X86_AVX2", "1.39", "does not support forbidden traits"],
  ])("refuses %s with 400", async (_what, qs, microversion, detail) => {
    const res = await t.call("GET", `/resource_providers?${qs}`, undefined, { microversion });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain(detail);
  });
});
