import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const CN1 = "11111111-1111-4111-8111-111111111111";
const CN2 = "22222222-2222-4222-8222-222222222222";
const CN3 = "33333333-3333-4333-8333-333333333333";
const NUMA = "44444444-4444-4444-8444-444444444444";
const AGG = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa";

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  const s = t.store.state;
  s.createProvider({ uuid: CN1, name: "cn1" });
  s.setInventories(CN1, 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 }, DISK_GB: { total: 100 } });
  s.setTraits(CN1, 1, ["HW_CPU_X86_AVX2"]);
  s.setAggregates(CN1, 2, [AGG]);
  s.createProvider({ uuid: CN2, name: "cn2" });
  s.setInventories(CN2, 0, { VCPU: { total: 4 }, MEMORY_MB: { total: 1024 } });
});
afterEach(() => t.close());

const get = (query: string, microversion: string, token?: "member") =>
  t.call("GET", `/allocation_candidates?${query}`, undefined, { microversion, ...(token ? { token } : {}) });

/** A tree whose VCPU sits on a NUMA child and memory on the root. */
function nestedTree(): void {
  const s = t.store.state;
  s.createProvider({ uuid: CN3, name: "cn3" });
  s.setInventories(CN3, 0, { MEMORY_MB: { total: 8192 } });
  s.createProvider({ uuid: NUMA, name: "cn3_numa0", parentUuid: CN3 });
  s.setInventories(NUMA, 0, { VCPU: { total: 16 } });
}

describe("GET /allocation_candidates shapes per microversion", () => {
  it("is not found before 1.10 and forbidden to members", async () => {
    expect((await get("resources=VCPU:1", "1.9")).status).toBe(404);
    const member = await get("resources=VCPU:1", "1.10", "member");
    expect(member.status).toBe(403);
  });

  it("answers in the list form at 1.10, with only the requested classes and no traits", async () => {
    const res = await get("resources=VCPU:1", "1.10");
    expect(res.status).toBe(200);
    expect(res.body.allocation_requests).toContainEqual({
      allocations: [{ resource_provider: { uuid: CN1 }, resources: { VCPU: 1 } }],
    });
    expect(res.body.provider_summaries[CN1]).toEqual({ resources: { VCPU: { capacity: 8, used: 0 } } });
    expect(res.headers["cache-control"]).toBeUndefined();
  });

  it.each([
    ["1.12", { allocations: { [CN1]: { resources: { VCPU: 1 } } } }, { resources: { VCPU: { capacity: 8, used: 0 } } }],
    [
      "1.17",
      { allocations: { [CN1]: { resources: { VCPU: 1 } } } },
      { resources: { VCPU: { capacity: 8, used: 0 } }, traits: ["HW_CPU_X86_AVX2"] },
    ],
    [
      "1.27",
      { allocations: { [CN1]: { resources: { VCPU: 1 } } } },
      {
        resources: {
          VCPU: { capacity: 8, used: 0 },
          MEMORY_MB: { capacity: 4096, used: 0 },
          DISK_GB: { capacity: 100, used: 0 },
        },
        traits: ["HW_CPU_X86_AVX2"],
      },
    ],
    [
      "1.34",
      { allocations: { [CN1]: { resources: { VCPU: 1 } } }, mappings: { "": [CN1] } },
      {
        resources: {
          VCPU: { capacity: 8, used: 0 },
          MEMORY_MB: { capacity: 4096, used: 0 },
          DISK_GB: { capacity: 100, used: 0 },
        },
        traits: ["HW_CPU_X86_AVX2"],
        parent_provider_uuid: null,
        root_provider_uuid: CN1,
      },
    ],
  ])("answers at %s in that version's shape", async (microversion, request, summary) => {
    const res = await get("resources=VCPU:1", microversion);
    expect(res.body.allocation_requests).toContainEqual(request);
    expect(res.body.provider_summaries[CN1]).toEqual(summary);
    expect(res.headers["cache-control"]).toBe(microversion === "1.12" ? undefined : "no-cache");
  });

  it("leaves out requests that take from two providers of one tree before 1.29", async () => {
    nestedTree();
    const old = await get("resources=VCPU:1,MEMORY_MB:512", "1.28");
    expect(old.body.allocation_requests.map((r: { allocations: object }) => Object.keys(r.allocations))).toEqual([
      [CN1],
      [CN2],
    ]);
    expect(Object.keys(old.body.provider_summaries).sort()).toEqual([CN1, CN2]);
    const nested = await get("resources=VCPU:1,MEMORY_MB:512", "1.29");
    expect(nested.body.allocation_requests).toHaveLength(3);
    expect(nested.body.provider_summaries[NUMA]).toMatchObject({ parent_provider_uuid: CN3, root_provider_uuid: CN3 });
  });

  it.each([
    ["limit from 1.16", "resources=VCPU:1&limit=1", "1.16", [CN1]],
    ["required traits from 1.17", "resources=VCPU:1&required=HW_CPU_X86_AVX2", "1.17", [CN1]],
    ["forbidden traits from 1.22", "resources=VCPU:1&required=!HW_CPU_X86_AVX2", "1.22", [CN2]],
    ["member_of from 1.21", `resources=VCPU:1&member_of=${AGG}`, "1.21", [CN1]],
    ["forbidden aggregates from 1.32", `resources=VCPU:1&member_of=!${AGG}`, "1.32", [CN2]],
    [
      "the last required only before 1.39",
      "resources=VCPU:1&required=HW_CPU_X86_SSE&required=HW_CPU_X86_AVX2",
      "1.38",
      [CN1],
    ],
    ["every required from 1.39", "resources=VCPU:1&required=HW_CPU_X86_SSE&required=HW_CPU_X86_AVX2", "1.39", []],
    ["any-of traits from 1.39", "resources=VCPU:1&required=in:HW_CPU_X86_SSE,HW_CPU_X86_AVX2", "1.39", [CN1]],
    ["in_tree from 1.31", `resources=VCPU:1&in_tree=${CN2}`, "1.31", [CN2]],
    ["a suffixed in_tree from 1.31", `resources1=VCPU:1&in_tree1=${CN2}`, "1.31", [CN2]],
    ["root_required from 1.35", "resources=VCPU:1&root_required=HW_CPU_X86_AVX2", "1.35", [CN1]],
  ])("filters with %s", async (_name, query, microversion, providers) => {
    const res = await get(query, microversion);
    expect(res.status).toBe(200);
    expect(res.body.allocation_requests.flatMap((r: { allocations: object }) => Object.keys(r.allocations))).toEqual(
      providers,
    );
  });
});

const REGEXES_1_25 = "'^member_of([1-9][0-9]*)?$', '^required([1-9][0-9]*)?$', '^resources([1-9][0-9]*)?$'";
const REGEXES_1_33 =
  "'^in_tree([a-zA-Z0-9_-]{1,64})?$', '^member_of([a-zA-Z0-9_-]{1,64})?$', '^required([a-zA-Z0-9_-]{1,64})?$', '^resources([a-zA-Z0-9_-]{1,64})?$'";

describe("GET /allocation_candidates query gates", () => {
  it.each([
    [
      "limit before 1.16",
      "resources=VCPU:1&limit=1",
      "1.15",
      "Additional properties are not allowed ('limit' was unexpected)",
    ],
    ["no resources at 1.10", "", "1.10", "'resources' is a required property"],
    ["required before 1.17", "resources=VCPU:1&required=HW_CPU_X86_AVX2", "1.16", "('required' was unexpected)"],
    ["member_of before 1.21", `resources=VCPU:1&member_of=${AGG}`, "1.20", "('member_of' was unexpected)"],
    [
      "two unknown keys",
      "resources=VCPU:1&b=1&a=2",
      "1.20",
      "Additional properties are not allowed ('a', 'b' were unexpected)",
    ],
    [
      "a forbidden trait before 1.22",
      "resources=VCPU:1&required=!HW_CPU_X86_AVX2",
      "1.21",
      "Expected 'required' parameter value of the form: HW_CPU_X86_VMX,CUSTOM_MAGIC. Got: !HW_CPU_X86_AVX2",
    ],
    [
      "a forbidden aggregate before 1.32",
      `resources=VCPU:1&member_of=!${AGG}`,
      "1.31",
      "Forbidden member_of parameters are not supported in the specified microversion",
    ],
    [
      "two member_of before 1.24",
      `resources=VCPU:1&member_of=${AGG}&member_of=${AGG}`,
      "1.23",
      "Multiple member_of parameters are not supported",
    ],
    [
      "a numbered group before 1.25",
      "resources1=VCPU:1",
      "1.24",
      "Additional properties are not allowed ('resources1' was unexpected)",
    ],
    [
      "a named group before 1.33",
      "resources_GPU=VCPU:1",
      "1.30",
      `'resources_GPU' does not match any of the regexes: ${REGEXES_1_25}`,
    ],
    [
      "in_tree before 1.31",
      `resources=VCPU:1&in_tree=${CN1}`,
      "1.30",
      `'in_tree' does not match any of the regexes: ${REGEXES_1_25}`,
    ],
    [
      "root_required before 1.35",
      "resources=VCPU:1&root_required=HW_CPU_X86_AVX2",
      "1.34",
      `'root_required' does not match any of the regexes: ${REGEXES_1_33}`,
    ],
    [
      "same_subtree before 1.36",
      "resources_A=VCPU:1&same_subtree=_A",
      "1.35",
      `'same_subtree' does not match any of the regexes: ${REGEXES_1_33}`,
    ],
    [
      "any-of traits before 1.39",
      "resources=VCPU:1&required=in:HW_CPU_X86_AVX2",
      "1.38",
      "The format 'in:HW_CPU_X86_VMX,CUSTOM_MAGIC' only supported since microversion 1.39. Got: in:HW_CPU_X86_AVX2",
    ],
    ["a zero limit", "resources=VCPU:1&limit=0", "1.16", "'0' does not match '^[1-9][0-9]*$'"],
    ["an unknown group_policy", "resources=VCPU:1&group_policy=bad", "1.25", "'bad' is not one of ['none', 'isolate']"],
    ["an unknown resource class", "resources=CUSTOM_NOPE:1", "1.25", "No such resource class CUSTOM_NOPE"],
  ])("refuses %s", async (_name, query, microversion, message) => {
    const res = await get(query, microversion);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain(message);
  });

  it("refuses root_required given twice with placement.query.duplicate_key", async () => {
    const res = await get("resources=VCPU:1&root_required=HW_CPU_X86_AVX2&root_required=!HW_CPU_X86_SSE", "1.35");
    expect(res.body.errors[0]).toMatchObject({ status: 400, code: "placement.query.duplicate_key" });
    expect(res.body.errors[0].detail).toContain("Query parameter 'root_required' may be specified only once.");
  });
});

describe("GET /allocation_candidates bodies big enough to reuse reply memory", () => {
  it("answers each request afresh, a claim between two requests showing in the second", async () => {
    const s = t.store.state;
    const root = (i: number) => `00000001-0000-4000-8000-${i.toString(16).padStart(12, "0")}`;
    for (let i = 0; i < 1500; i++) {
      s.createProvider({ uuid: root(i), name: `big${i}` });
      s.setInventories(root(i), 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } });
    }
    const query = "resources=VCPU:1,MEMORY_MB:64";
    const first = await get(query, "1.39");
    expect(first.text.length).toBeGreaterThan(256 * 1024);
    s.claim("99999999-0000-4000-8000-000000000001", {
      allocations: { [root(7)]: { VCPU: 3, MEMORY_MB: 64 } },
      consumerGeneration: null,
      projectId: "p",
      userId: "u",
    });
    const second = await get(query, "1.39");
    expect(second.text).not.toBe(first.text);
    expect(second.body.provider_summaries[root(7)].resources.VCPU.used).toBe(3);
    expect(first.body.provider_summaries[root(7)].resources.VCPU.used).toBe(0);
    expect((await get(query, "1.39")).text).toBe(second.text);
  });
});
