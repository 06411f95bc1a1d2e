import { seededRandom } from "@stratus/core/testing";
/**
 * Malformed input on every Placement route, seeded: wrong types, missing and extra fields, odd
 * UUIDs and names, junk query strings, every microversion. Placement answers each with a 4xx in
 * its own fault body (or a success), never a 500, and the state stays consistent: no provider's
 * usage exceeds its capacity and every consumer's allocations sum to the providers' usages.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { capacityOf } from "../placement/model.js";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "5b6f7e1c-0d1a-4c4e-9a2b-3c4d5e6f7a8b";
const CHILD = "6c7a8f2d-1e2b-4d5f-8b3c-4d5e6f7a8b9c";
const CONSUMER = "7d8b9a3e-2f3c-4e60-9c4d-5e6f7a8b9c0d";

const ROUTES: ReadonlyArray<readonly [string, string]> = [
  ["GET", "/resource_providers"],
  ["POST", "/resource_providers"],
  ["GET", "/resource_providers/{rp}"],
  ["PUT", "/resource_providers/{rp}"],
  ["DELETE", "/resource_providers/{rp}"],
  ["GET", "/resource_providers/{rp}/inventories"],
  ["PUT", "/resource_providers/{rp}/inventories"],
  ["POST", "/resource_providers/{rp}/inventories"],
  ["DELETE", "/resource_providers/{rp}/inventories"],
  ["GET", "/resource_providers/{rp}/inventories/{rc}"],
  ["PUT", "/resource_providers/{rp}/inventories/{rc}"],
  ["DELETE", "/resource_providers/{rp}/inventories/{rc}"],
  ["GET", "/resource_providers/{rp}/traits"],
  ["PUT", "/resource_providers/{rp}/traits"],
  ["DELETE", "/resource_providers/{rp}/traits"],
  ["GET", "/resource_providers/{rp}/aggregates"],
  ["PUT", "/resource_providers/{rp}/aggregates"],
  ["GET", "/resource_providers/{rp}/usages"],
  ["GET", "/resource_providers/{rp}/allocations"],
  ["GET", "/resource_classes"],
  ["POST", "/resource_classes"],
  ["GET", "/resource_classes/{rc}"],
  ["PUT", "/resource_classes/{rc}"],
  ["DELETE", "/resource_classes/{rc}"],
  ["GET", "/traits"],
  ["GET", "/traits/{trait}"],
  ["PUT", "/traits/{trait}"],
  ["DELETE", "/traits/{trait}"],
  ["GET", "/usages"],
  ["GET", "/allocations/{consumer}"],
  ["PUT", "/allocations/{consumer}"],
  ["DELETE", "/allocations/{consumer}"],
  ["POST", "/allocations"],
  ["POST", "/reshaper"],
  ["GET", "/allocation_candidates"],
];

const FIELDS = [
  "name",
  "uuid",
  "parent_provider_uuid",
  "resource_provider_generation",
  "inventories",
  "total",
  "reserved",
  "min_unit",
  "max_unit",
  "step_size",
  "allocation_ratio",
  "traits",
  "aggregates",
  "allocations",
  "resources",
  "project_id",
  "user_id",
  "consumer_generation",
  "consumer_type",
  "mappings",
  "generation",
  "resource_provider",
];
const CLASSES = ["VCPU", "MEMORY_MB", "CUSTOM_X", "vcpu", "", "NOT A CLASS", "CUSTOM_"];
const IDS = [RP, CHILD, CONSUMER, "not-a-uuid", "", "00000000-0000-0000-0000-000000000000", RP.toUpperCase()];

function junk(r: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  switch (Math.floor(r() * (depth > 2 ? 7 : 9))) {
    case 0:
      return null;
    case 1:
      return pick([0, -1, 1, 2 ** 31, 1.5, -0.5, 1e308, 8, 64]);
    case 2:
      return pick(["", "x", "VCPU", RP, "CUSTOM_GOLD", "in:a,b", "!HW_CPU_X86_AVX2", "\u0000", "é".repeat(300)]);
    case 3:
      return pick([true, false]);
    case 4:
      return pick(IDS);
    case 5:
      return pick(CLASSES);
    case 6:
      return [];
    case 7:
      return Array.from({ length: 1 + Math.floor(r() * 3) }, () => junk(r, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++) {
        const key = r() < 0.7 ? pick(FIELDS) : r() < 0.5 ? pick(IDS) : pick(CLASSES);
        out[key] = junk(r, depth + 1);
      }
      return out;
    }
  }
}

/** A body close to a valid one for the route (so claims and inventory writes really happen), with one value off at times. */
function nearlyValid(r: () => number, template: string, version: string): unknown {
  const amount = () => [1, 2, 3, 0, -1, 100, 1.5][Math.floor(r() * 7)];
  const generation = () => (r() < 0.8 ? (t.store.state.peek(RP)?.generation ?? 0) : Math.floor(r() * 5));
  if (template === "/allocations/{consumer}") {
    const current = t.store.state.getAllocations(CONSUMER);
    return {
      allocations: { [r() < 0.9 ? RP : CHILD]: { resources: { [r() < 0.8 ? "VCPU" : "MEMORY_MB"]: amount() } } },
      project_id: "p",
      user_id: "u",
      consumer_generation: r() < 0.8 ? (current?.generation ?? null) : 7,
      ...(version >= "1.38" ? { consumer_type: "INSTANCE" } : {}),
    };
  }
  if (template === "/resource_providers/{rp}/inventories") {
    return {
      resource_provider_generation: generation(),
      inventories: {
        VCPU: { total: 4 + Math.floor(r() * 8), allocation_ratio: r() < 0.5 ? 1 : 2 },
        MEMORY_MB: { total: 4096 },
      },
    };
  }
  return junk(r);
}

function query(r: () => number): string {
  const keys = ["resources", "resources1", "required", "member_of", "in_tree", "limit", "group_policy", "name", "uuid"];
  const parts: string[] = [];
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const k = keys[Math.floor(r() * keys.length)]!;
    const v = String(junk(r, 3) ?? "");
    parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(r() < 0.3 ? "VCPU:1,MEMORY_MB:x" : v)}`);
  }
  return parts.length === 0 ? "" : `?${parts.join("&")}`;
}

let t: PlacementTestApp;

/** No usage over capacity, and every provider's usage is the sum of the consumers' allocations on it. */
function checkConsistent(): void {
  const state = t.store.state;
  const sums = new Map<string, number>();
  for (const c of state.consumerRecords()) {
    for (const [rp, res] of Object.entries(c.allocations)) {
      for (const [rc, n] of Object.entries(res)) sums.set(`${rp} ${rc}`, (sums.get(`${rp} ${rc}`) ?? 0) + n);
    }
  }
  for (const p of state.listProviders()) {
    const usages = state.usages(p.uuid);
    for (const [rc, inv] of Object.entries(state.getInventories(p.uuid))) {
      expect(usages[rc] ?? 0).toBeLessThanOrEqual(capacityOf(inv));
      expect(usages[rc] ?? 0).toBe(sums.get(`${p.uuid} ${rc}`) ?? 0);
    }
  }
}

beforeEach(async () => {
  t = await placementTestApp();
  const s = t.store.state;
  s.createProvider({ uuid: RP, name: "fuzz-root" });
  s.createProvider({ uuid: CHILD, name: "fuzz-child", parentUuid: RP });
  s.setInventories(RP, 0, { VCPU: { total: 8 }, MEMORY_MB: { total: 4096 } });
  s.createResourceClass("CUSTOM_X");
});
afterEach(() => t.close());

describe("Placement under malformed input", () => {
  it.each([1, 2, 3, 4])("answers 2,000 junk requests without a 5xx (seed %i)", async (seed) => {
    const r = seededRandom(seed);
    const versions = [
      "1.0",
      "1.28",
      "1.39",
      "1.39",
      "1.10",
      "1.12",
      "1.14",
      "1.20",
      "1.28",
      "1.30",
      "1.34",
      "1.38",
      "1.39",
      "2.0",
      "x",
    ];
    const seen = new Set<number>();
    let claims = 0;
    for (let i = 0; i < 2000; i++) {
      const [method, template] = ROUTES[Math.floor(r() * ROUTES.length)]!;
      // the root stays (deleting it would leave nothing to claim on); its child may go
      const rp = IDS[Math.floor(r() * IDS.length)]!;
      const path = template
        .replace(
          "{rp}",
          encodeURIComponent(
            method === "DELETE" && template === "/resource_providers/{rp}" && rp === RP ? CHILD : rp || "x",
          ),
        )
        .replace("{rc}", encodeURIComponent(CLASSES[Math.floor(r() * CLASSES.length)]! || "x"))
        .replace("{trait}", encodeURIComponent(r() < 0.5 ? "CUSTOM_T" : "HW_CPU_X86_AVX2"))
        .replace("{consumer}", encodeURIComponent(IDS[Math.floor(r() * IDS.length)]! || "x"));
      const version = versions[Math.floor(r() * versions.length)]!;
      const writes = method === "PUT" || method === "POST";
      const body = writes
        ? r() < 0.1
          ? "{not json"
          : r() < 0.5
            ? nearlyValid(r, template, version)
            : junk(r)
        : undefined;
      const res = await t.call(method, path + (method === "GET" ? query(r) : ""), body ?? undefined, {
        microversion: version,
      });
      seen.add(res.status);
      if (method !== "GET" && res.status < 300) checkConsistent();
      if (template === "/allocations/{consumer}" && method === "PUT" && res.status === 204) claims++;
      if (res.status >= 500) throw new Error(`${method} ${path} -> ${res.status}: ${res.text}`);
      if (res.status >= 400 && res.status !== 405) expect(res.body?.errors?.[0]?.status).toBe(res.status);
    }
    expect(claims).toBeGreaterThan(0);
    // the junk reached the handlers, not only the router
    expect([...seen].some((s) => s >= 200 && s < 300)).toBe(true);
    expect(seen.has(400)).toBe(true);

    checkConsistent();
  });
});
