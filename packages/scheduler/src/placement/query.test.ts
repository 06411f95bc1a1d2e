import { StratusError } from "@stratus/core/errors";
import { describe, expect, it } from "vitest";
import { parseCandidatesQuery } from "./query.js";
import { PlacementState } from "./state.js";

const AGG1 = "aaaaaaaa-0000-4000-8000-000000000001";
const AGG2 = "aaaaaaaa-0000-4000-8000-000000000002";
const RP = "11111111-1111-4111-8111-111111111111";

function vocabulary(): PlacementState {
  const s = new PlacementState();
  s.createResourceClass("CUSTOM_FPGA");
  s.createTrait("CUSTOM_GOLD");
  return s;
}

describe("parseCandidatesQuery", () => {
  it.each([
    [
      "a plain resources list becomes one unsuffixed group",
      "resources=VCPU:1,MEMORY_MB:512",
      {
        groups: [
          {
            suffix: "",
            resources: { VCPU: 1, MEMORY_MB: 512 },
            requiredTraits: [],
            forbiddenTraits: [],
            memberOf: [],
            forbiddenAggregates: [],
          },
        ],
        groupPolicy: null,
        inTree: null,
        limit: null,
      },
    ],
    [
      "required traits with a forbidden one are split into required and forbidden",
      "resources=VCPU:1&required=HW_CPU_X86_AVX2,!CUSTOM_GOLD",
      {
        groups: [expect.objectContaining({ requiredTraits: [["HW_CPU_X86_AVX2"]], forbiddenTraits: ["CUSTOM_GOLD"] })],
      },
    ],
    [
      "an in: required list is one any-of condition",
      "resources=VCPU:1&required=in:HW_CPU_X86_AVX2,HW_CPU_X86_SSE",
      {
        groups: [expect.objectContaining({ requiredTraits: [["HW_CPU_X86_AVX2", "HW_CPU_X86_SSE"]] })],
      },
    ],
    [
      "member_of with in:, a single aggregate and a negative one",
      `resources=VCPU:1&member_of=in:${AGG1},${AGG2}&member_of=!${AGG2}`,
      {
        groups: [expect.objectContaining({ memberOf: [[AGG1, AGG2]], forbiddenAggregates: [AGG2] })],
      },
    ],
    [
      "granular groups with isolate come after the unsuffixed group in suffix order",
      "resources=VCPU:1&resources_NIC2=SRIOV_NET_VF:1&resources_NIC1=SRIOV_NET_VF:1&required_NIC1=CUSTOM_GOLD&group_policy=isolate",
      {
        groups: [
          expect.objectContaining({ suffix: "" }),
          expect.objectContaining({ suffix: "_NIC1", requiredTraits: [["CUSTOM_GOLD"]] }),
          expect.objectContaining({ suffix: "_NIC2" }),
        ],
        groupPolicy: "isolate",
      },
    ],
    [
      "in_tree, limit, same_subtree and root_required are kept",
      `resources_A=VCPU:1&resources_B=CUSTOM_FPGA:1&group_policy=none&in_tree=${RP}&limit=5&same_subtree=_A,_B&root_required=CUSTOM_GOLD,!HW_CPU_X86_SSE`,
      {
        inTree: RP,
        limit: 5,
        sameSubtree: [["_A", "_B"]],
        rootRequired: [["CUSTOM_GOLD"]],
        rootForbidden: ["HW_CPU_X86_SSE"],
      },
    ],
  ])("%s", (_name, raw, expected) => {
    expect(parseCandidatesQuery(raw, vocabulary())).toMatchObject(expected);
  });

  it.each([
    [
      "an unknown resource class is refused by name",
      "resources=VCPU:1,CUSTOM_NOPE:1",
      "No such resource class CUSTOM_NOPE",
    ],
    [
      "a resource without an amount is a badly formed resources parameter",
      "resources=VCPU",
      "Badly formed resources parameter",
    ],
    [
      "a non-numeric amount is a badly formed resources parameter",
      "resources=VCPU:two",
      "Badly formed resources parameter",
    ],
    ["a negative amount is refused", "resources=VCPU:-1", "requires amount >= 1. Got: -1"],
    ["a zero amount is refused", "resources=VCPU:0", "requires amount >= 1. Got: 0"],
    ["a class given twice is refused", "resources=VCPU:1,VCPU:2", "given more than once"],
    ["an unknown trait is refused", "resources=VCPU:1&required=CUSTOM_NOPE", "No such trait(s): CUSTOM_NOPE"],
    [
      "a trait both required and forbidden is refused",
      "resources=VCPU:1&required=CUSTOM_GOLD,!CUSTOM_GOLD",
      "Conflicting required and forbidden",
    ],
    [
      "a lower-case trait is bad syntax",
      "resources=VCPU:1&required=custom_gold",
      "Expected 'required' parameter value",
    ],
    ["a member_of that is not a UUID is refused", "resources=VCPU:1&member_of=foo", "valid UUID(s)"],
    [
      "two granular groups without group_policy are refused as Placement does",
      "resources_A=VCPU:1&resources_B=VCPU:1",
      'The "group_policy" parameter is required',
    ],
    ["a bad group_policy is refused", "resources=VCPU:1&group_policy=spread", "group_policy must be"],
    [
      "a required without its resources is an orphaned traits key",
      "resources=VCPU:1&required_X=CUSTOM_GOLD",
      "orphaned traits keys: required_X",
    ],
    ["a query without resources is refused", "required=CUSTOM_GOLD", "orphaned"],
    ["an empty query is refused", "", "At least one of 'resources'"],
    ["a limit of zero is refused", "resources=VCPU:1&limit=0", "'limit' must be an integer >= 1"],
    ["an in_tree that is not a UUID is refused", "resources=VCPU:1&in_tree=abc", "in_tree"],
    ["a suffixed in_tree that is not a UUID is refused", "resources1=VCPU:1&in_tree1=abc", "'in_tree1'"],
    ["a suffixed in_tree without its resources is refused", `resources=VCPU:1&in_tree1=${RP}`, "in_tree1"],
    ["a same_subtree naming an unknown suffix is refused", "resources_A=VCPU:1&same_subtree=_A,_Z", "_Z not found"],
    ["an unknown parameter is refused", "resources=VCPU:1&colour=blue", "'colour' was unexpected"],
  ])("%s", (_name, raw, message) => {
    let thrown: unknown;
    try {
      parseCandidatesQuery(raw, vocabulary());
    } catch (e) {
      thrown = e;
    }
    expect(StratusError.is(thrown)).toBe(true);
    expect((thrown as StratusError).code).toBe("bad_request");
    expect((thrown as StratusError).message).toContain(message);
  });

  it("accepts a record with repeated values as URLSearchParams would give them", () => {
    const q = parseCandidatesQuery({ resources: "VCPU:1", required: ["CUSTOM_GOLD", "!HW_CPU_X86_SSE"] }, vocabulary());
    expect(q.groups[0]).toMatchObject({ requiredTraits: [["CUSTOM_GOLD"]], forbiddenTraits: ["HW_CPU_X86_SSE"] });
  });
});
