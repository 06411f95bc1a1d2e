import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "2290d4af-9e6e-400b-9d65-1ee01376f71a";
const MISSING = "7260669a-e3d4-4867-aaa7-683e2ab6958c";
const INV = `/resource_providers/${RP}/inventories`;

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
  await t.call("POST", "/resource_providers", { name: "rp", uuid: RP });
});
afterEach(() => t.close());

const v = (microversion: string) => ({ microversion });
const allocate = (consumer: string, amounts: Record<string, number>) =>
  t.store.write(
    (s) => s.claim(consumer, { allocations: { [RP]: amounts }, consumerGeneration: null, projectId: "p", userId: "u" }),
    { consumers: [consumer] },
  );

describe("PUT /resource_providers/{uuid}/inventories", () => {
  it("sets inventories with Placement's defaults and bumps the generation", async () => {
    const res = await t.call("PUT", INV, {
      resource_provider_generation: 0,
      inventories: { DISK_GB: { total: 1024 } },
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      resource_provider_generation: 1,
      inventories: {
        DISK_GB: { total: 1024, reserved: 0, min_unit: 1, max_unit: 2147483647, step_size: 1, allocation_ratio: 1 },
      },
    });
    const got = await t.call("GET", INV, undefined, v("1.15"));
    expect(got.body.resource_provider_generation).toBe(1);
    expect(got.headers["cache-control"]).toBe("no-cache");
  });

  it.each([
    [
      "a stale generation",
      { resource_provider_generation: 5, inventories: {} },
      "1.23",
      409,
      "placement.concurrent_update",
      "resource provider generation conflict",
    ],
    [
      "an unknown class",
      { resource_provider_generation: 0, inventories: { HOUSE: { total: 1 } } },
      "1.23",
      400,
      "placement.undefined_code",
      "Unknown resource class in inventory for resource provider",
    ],
    [
      "reserved equal to total before 1.26",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 4, reserved: 4 } } },
      "1.25",
      400,
      "placement.undefined_code",
      "The reserved value is greater than or equal to total.",
    ],
    [
      "reserved over total from 1.26",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 4, reserved: 5 } } },
      "1.26",
      400,
      "placement.undefined_code",
      "The reserved value is greater than total.",
    ],
    [
      "a total of 0",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 0 } } },
      "1.23",
      400,
      "placement.undefined_code",
      "0 is less than the minimum of 1",
    ],
    [
      "a total over MAX_INT",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 2147483648 } } },
      "1.23",
      400,
      "placement.undefined_code",
      "is greater than the maximum of 2147483647",
    ],
    [
      "a negative reserved",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 4, reserved: -1 } } },
      "1.23",
      400,
      "placement.undefined_code",
      "-1 is less than the minimum of 0",
    ],
    [
      "an unknown field in a record",
      { resource_provider_generation: 0, inventories: { VCPU: { total: 4, color: "red" } } },
      "1.23",
      400,
      "placement.undefined_code",
      "Additional properties are not allowed",
    ],
    [
      "no generation",
      { inventories: {} },
      "1.23",
      400,
      "placement.undefined_code",
      "'resource_provider_generation' is a required property",
    ],
  ])("refuses %s", async (_what, body, microversion, status, code, detail) => {
    const res = await t.call("PUT", INV, body, v(microversion));
    expect(res.status).toBe(status);
    expect(res.body.errors[0].code).toBe(code);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("allows reserved equal to total from 1.26", async () => {
    const res = await t.call(
      "PUT",
      INV,
      { resource_provider_generation: 0, inventories: { VCPU: { total: 4, reserved: 4 } } },
      v("1.26"),
    );
    expect(res.status).toBe(200);
  });

  it("refuses to remove a class in use with 409 placement.inventory.inuse", async () => {
    await t.call("PUT", INV, { resource_provider_generation: 0, inventories: { VCPU: { total: 4 } } });
    await allocate("c1", { VCPU: 1 });
    const res = await t.call("PUT", INV, { resource_provider_generation: 2, inventories: {} }, v("1.23"));
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("placement.inventory.inuse");
    expect(res.body.errors[0].detail).toContain(
      `update conflict: Inventory for 'VCPU' on resource provider '${RP}' in use.`,
    );
  });

  it("answers 404 for an unknown provider", async () => {
    const res = await t.call("PUT", `/resource_providers/${MISSING}/inventories`, {
      resource_provider_generation: 0,
      inventories: {},
    });
    expect(res.status).toBe(404);
  });
});

describe("DELETE /resource_providers/{uuid}/inventories", () => {
  it("answers 405 before 1.5", async () => {
    expect((await t.call("DELETE", INV, undefined, v("1.4"))).status).toBe(405);
  });

  it("deletes all from 1.5 with 204", async () => {
    await t.call("PUT", INV, { resource_provider_generation: 0, inventories: { VCPU: { total: 4 } } });
    expect((await t.call("DELETE", INV, undefined, v("1.5"))).status).toBe(204);
    expect((await t.call("GET", INV)).body).toEqual({ resource_provider_generation: 2, inventories: {} });
  });

  it("refuses when in use with 409 placement.inventory.inuse", async () => {
    await t.call("PUT", INV, { resource_provider_generation: 0, inventories: { VCPU: { total: 4 } } });
    await allocate("c1", { VCPU: 1 });
    const res = await t.call("DELETE", INV, undefined, v("1.23"));
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("placement.inventory.inuse");
  });

  it("answers 404 for an unknown provider", async () => {
    expect((await t.call("DELETE", `/resource_providers/${MISSING}/inventories`, undefined, v("1.5"))).status).toBe(
      404,
    );
  });
});

describe("one inventory", () => {
  it("POST creates one class with 201, Location and the generation", async () => {
    const res = await t.call("POST", INV, { resource_class: "DISK_GB", total: 2048 });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`${INV}/DISK_GB`);
    expect(res.body).toMatchObject({ total: 2048, resource_provider_generation: 1 });
  });

  it.each([
    ["an existing class", { resource_class: "DISK_GB", total: 1 }, 409, "Update conflict"],
    ["an unknown class", { resource_class: "HOUSE", total: 1 }, 400, "No such resource class HOUSE."],
    ["a lowercase class", { resource_class: "disk", total: 1 }, 400, "JSON does not validate"],
    ["no class", { total: 1 }, 400, "'resource_class' is a required property"],
  ])("POST refuses %s", async (_what, body, status, detail) => {
    await t.call("POST", INV, { resource_class: "DISK_GB", total: 2048 });
    const res = await t.call("POST", INV, body);
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("GET, PUT and DELETE one class", async () => {
    await t.call("POST", INV, { resource_class: "DISK_GB", total: 2048 });
    expect((await t.call("GET", `${INV}/DISK_GB`)).body).toMatchObject({
      total: 2048,
      resource_provider_generation: 1,
    });
    const put = await t.call("PUT", `${INV}/DISK_GB`, { resource_provider_generation: 1, total: 4096, reserved: 10 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ total: 4096, reserved: 10, resource_provider_generation: 2 });
    expect((await t.call("DELETE", `${INV}/DISK_GB`)).status).toBe(204);
    const again = await t.call("DELETE", `${INV}/DISK_GB`);
    expect(again.status).toBe(404);
    expect(again.body.errors[0].detail).toContain("No inventory of class DISK_GB found for delete");
  });

  it.each([
    ["GET a class the provider lacks", "GET", `${INV}/VCPU`, undefined, 404, `No inventory of class VCPU for ${RP}`],
    ["GET an unknown class", "GET", `${INV}/HOUSE`, undefined, 404, `No inventory of class HOUSE for ${RP}`],
    [
      "GET on an unknown provider",
      "GET",
      `/resource_providers/${MISSING}/inventories/VCPU`,
      undefined,
      404,
      "No resource provider",
    ],
    [
      "PUT with a stale generation",
      "PUT",
      `${INV}/DISK_GB`,
      { resource_provider_generation: 0, total: 1 },
      409,
      "resource provider generation conflict",
    ],
    [
      "PUT a class the provider lacks",
      "PUT",
      `${INV}/VCPU`,
      { resource_provider_generation: 1, total: 1 },
      400,
      "No inventory record with resource class",
    ],
    [
      "PUT an unknown class",
      "PUT",
      `${INV}/HOUSE`,
      { resource_provider_generation: 1, total: 1 },
      404,
      "No such resource class HOUSE.",
    ],
    [
      "PUT without a generation",
      "PUT",
      `${INV}/DISK_GB`,
      { total: 1 },
      400,
      "'resource_provider_generation' is a required property",
    ],
    [
      "PUT reserved over total",
      "PUT",
      `${INV}/DISK_GB`,
      { resource_provider_generation: 1, total: 1, reserved: 2 },
      400,
      "The reserved value is greater than",
    ],
  ])("%s answers as Placement", async (_what, method, url, body, status, detail) => {
    await t.call("POST", INV, { resource_class: "DISK_GB", total: 2048 });
    const res = await t.call(method, url, body);
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("DELETE of a class in use answers 409 with Placement's concurrent_update code", async () => {
    await t.call("POST", INV, { resource_class: "VCPU", total: 4 });
    await allocate("c1", { VCPU: 1 });
    const res = await t.call("DELETE", `${INV}/VCPU`, undefined, v("1.23"));
    expect(res.status).toBe(409);
    expect(res.body.errors[0].code).toBe("placement.concurrent_update");
    expect(res.body.errors[0].detail).toContain("in use");
  });

  it("refuses a member with 403", async () => {
    expect((await t.call("GET", INV, undefined, { token: "member" })).status).toBe(403);
  });
});
