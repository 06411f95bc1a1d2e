import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "2290d4af-9e6e-400b-9d65-1ee01376f71a";
const MISSING = "7260669a-e3d4-4867-aaa7-683e2ab6958c";
const v16 = { microversion: "1.6" };
const v23 = { microversion: "1.23" };

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  await t.call("POST", "/resource_providers", { name: "rp", uuid: RP });
});
afterEach(() => t.close());

describe("/traits", () => {
  it("is not there before 1.6", async () => {
    expect((await t.call("GET", "/traits", undefined, { microversion: "1.5" })).status).toBe(404);
  });

  it("PUT creates a custom trait with 201, then 204, with a Location", async () => {
    const first = await t.call("PUT", "/traits/CUSTOM_GOLD", undefined, v16);
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe("/traits/CUSTOM_GOLD");
    expect((await t.call("PUT", "/traits/CUSTOM_GOLD", undefined, v16)).status).toBe(204);
    expect((await t.call("GET", "/traits/CUSTOM_GOLD", undefined, v16)).status).toBe(204);
  });

  it.each(["HW_CPU_X86_AVX2", "CUSTOM_lower", "custom_x"])("PUT refuses %s with 400", async (name) => {
    const res = await t.call("PUT", `/traits/${name}`, undefined, v16);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain("The trait is invalid.");
  });

  it.each([
    ["an unknown trait", "CUSTOM_NOPE", 404, "No such trait(s): CUSTOM_NOPE."],
    ["a standard trait", "HW_CPU_X86_AVX2", 400, "Cannot delete standard trait HW_CPU_X86_AVX2."],
  ])("DELETE refuses %s", async (_what, name, status, detail) => {
    const res = await t.call("DELETE", `/traits/${name}`, undefined, v16);
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("DELETE refuses a trait in use with 409, then deletes it once unused", async () => {
    await t.call("PUT", "/traits/CUSTOM_GOLD", undefined, v16);
    await t.call(
      "PUT",
      `/resource_providers/${RP}/traits`,
      { traits: ["CUSTOM_GOLD"], resource_provider_generation: 0 },
      v16,
    );
    const res = await t.call("DELETE", "/traits/CUSTOM_GOLD", undefined, v16);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].detail).toContain("The trait CUSTOM_GOLD is in use by a resource provider.");
    await t.call("DELETE", `/resource_providers/${RP}/traits`, undefined, v16);
    expect((await t.call("DELETE", "/traits/CUSTOM_GOLD", undefined, v16)).status).toBe(204);
    expect((await t.call("GET", "/traits/CUSTOM_GOLD", undefined, v16)).status).toBe(404);
  });

  it.each([
    ["name=in:", "name=in:CUSTOM_A,HW_CPU_X86_AVX2,CUSTOM_NOPE", ["CUSTOM_A", "HW_CPU_X86_AVX2"]],
    ["name=startswith:", "name=startswith:CUSTOM_", ["CUSTOM_A", "CUSTOM_B"]],
    ["associated=true", "associated=true", ["CUSTOM_A"]],
    ["associated=false with a prefix", "associated=false&name=startswith:CUSTOM", ["CUSTOM_B"]],
  ])("GET filters by %s", async (_what, qs, traits) => {
    await t.call("PUT", "/traits/CUSTOM_A", undefined, v16);
    await t.call("PUT", "/traits/CUSTOM_B", undefined, v16);
    await t.call(
      "PUT",
      `/resource_providers/${RP}/traits`,
      { traits: ["CUSTOM_A"], resource_provider_generation: 0 },
      v16,
    );
    const res = await t.call("GET", `/traits?${qs}`, undefined, v16);
    expect(res.status).toBe(200);
    expect(res.body.traits).toEqual(traits);
  });

  it.each([
    ["name without an operator", "name=CUSTOM_A", "Badly formatted name parameter"],
    ["associated not a boolean", "associated=maybe", 'The query parameter "associated" only accepts "true" or "false"'],
    ["an unknown parameter", "color=red", "Invalid query string parameters"],
  ])("GET refuses %s with 400", async (_what, qs, detail) => {
    const res = await t.call("GET", `/traits?${qs}`, undefined, v16);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].detail).toContain(detail);
  });
});

describe("/resource_providers/{uuid}/traits", () => {
  const url = `/resource_providers/${RP}/traits`;

  it("sets, reads and clears traits with generations", async () => {
    const put = await t.call(
      "PUT",
      url,
      { traits: ["HW_CPU_X86_AVX2", "STORAGE_DISK_SSD"], resource_provider_generation: 0 },
      v16,
    );
    expect(put.status).toBe(200);
    expect(put.body.resource_provider_generation).toBe(1);
    const got = await t.call("GET", url, undefined, { microversion: "1.15" });
    expect(got.body).toEqual({ traits: ["HW_CPU_X86_AVX2", "STORAGE_DISK_SSD"], resource_provider_generation: 1 });
    expect(got.headers["cache-control"]).toBe("no-cache");
    expect((await t.call("DELETE", url, undefined, v16)).status).toBe(204);
    expect((await t.call("GET", url, undefined, v16)).body).toEqual({ traits: [], resource_provider_generation: 2 });
  });

  it.each([
    [
      "a stale generation",
      { traits: [], resource_provider_generation: 3 },
      409,
      "placement.concurrent_update",
      "Resource provider's generation already changed.",
    ],
    [
      "an unknown trait",
      { traits: ["CUSTOM_NOPE"], resource_provider_generation: 0 },
      400,
      "placement.undefined_code",
      "No such trait CUSTOM_NOPE",
    ],
    [
      "no generation",
      { traits: [] },
      400,
      "placement.undefined_code",
      "'resource_provider_generation' is a required property",
    ],
    [
      "an extra field",
      { traits: [], resource_provider_generation: 0, x: 1 },
      400,
      "placement.undefined_code",
      "Additional properties",
    ],
  ])("PUT refuses %s", async (_what, body, status, code, detail) => {
    const res = await t.call("PUT", url, body, v23);
    expect(res.status).toBe(status);
    expect(res.body.errors[0].code).toBe(code);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it.each(["GET", "DELETE"])("%s on an unknown provider answers 404", async (method) => {
    expect((await t.call(method, `/resource_providers/${MISSING}/traits`, undefined, v16)).status).toBe(404);
  });

  it("PUT on an unknown provider answers 404", async () => {
    const res = await t.call(
      "PUT",
      `/resource_providers/${MISSING}/traits`,
      { traits: [], resource_provider_generation: 0 },
      v16,
    );
    expect(res.status).toBe(404);
  });
});
