import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PlacementTestApp, placementTestApp } from "./testing.js";

const RP = "2290d4af-9e6e-400b-9d65-1ee01376f71a";

let t: PlacementTestApp;
beforeEach(async () => {
  t = await placementTestApp();
});
afterEach(() => t.close());

const at = (microversion: string) => ({ microversion });

describe("/resource_classes", () => {
  it("is not there before 1.2", async () => {
    expect((await t.call("GET", "/resource_classes", undefined, at("1.1"))).status).toBe(404);
  });

  it("lists standard then custom classes with self links", async () => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    const res = await t.call("GET", "/resource_classes", undefined, at("1.15"));
    expect(res.body.resource_classes[0]).toEqual({
      name: "VCPU",
      links: [{ rel: "self", href: "/resource_classes/VCPU" }],
    });
    expect(res.body.resource_classes.at(-1).name).toBe("CUSTOM_GOLD");
    expect(res.headers["cache-control"]).toBe("no-cache");
  });

  it.each([
    ["a standard name", { name: "VCPU" }, 400, "'VCPU' does not match '^CUSTOM_[A-Z0-9_]+$'"],
    ["a lowercase custom name", { name: "CUSTOM_gold" }, 400, "does not match"],
    ["an extra field", { name: "CUSTOM_A", x: 1 }, 400, "Additional properties"],
    ["an existing class", { name: "CUSTOM_GOLD" }, 409, "Conflicting resource class already exists: CUSTOM_GOLD"],
  ])("POST refuses %s", async (_what, body, status, detail) => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    const res = await t.call("POST", "/resource_classes", body, at("1.2"));
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("POST answers 201 with a Location and no body; GET shows it", async () => {
    const res = await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe("/resource_classes/CUSTOM_GOLD");
    expect(res.text).toBe("");
    expect((await t.call("GET", "/resource_classes/CUSTOM_GOLD", undefined, at("1.2"))).body.name).toBe("CUSTOM_GOLD");
    const missing = await t.call("GET", "/resource_classes/CUSTOM_NOPE", undefined, at("1.2"));
    expect(missing.status).toBe(404);
    expect(missing.body.errors[0].detail).toContain("No such resource class CUSTOM_NOPE.");
  });

  it("PUT renames a custom class at 1.2-1.6", async () => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    const res = await t.call("PUT", "/resource_classes/CUSTOM_GOLD", { name: "CUSTOM_SILVER" }, at("1.6"));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name: "CUSTOM_SILVER",
      links: [{ rel: "self", href: "/resource_classes/CUSTOM_SILVER" }],
    });
    expect((await t.call("GET", "/resource_classes/CUSTOM_GOLD", undefined, at("1.2"))).status).toBe(404);
  });

  it.each([
    ["a standard class", "VCPU", { name: "CUSTOM_X" }, 400, "Cannot update standard resource class VCPU"],
    ["an unknown class", "CUSTOM_NOPE", { name: "CUSTOM_X" }, 404, "No such resource class CUSTOM_NOPE."],
    ["a taken new name", "CUSTOM_GOLD", { name: "CUSTOM_SILVER" }, 409, "Resource class already exists: CUSTOM_SILVER"],
  ])("PUT at 1.6 refuses to rename %s", async (_what, name, body, status, detail) => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    await t.call("POST", "/resource_classes", { name: "CUSTOM_SILVER" }, at("1.2"));
    const res = await t.call("PUT", `/resource_classes/${name}`, body, at("1.6"));
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("PUT from 1.7 creates (201) or confirms (204), and refuses a standard name (400)", async () => {
    const created = await t.call("PUT", "/resource_classes/CUSTOM_GOLD", undefined, at("1.7"));
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe("/resource_classes/CUSTOM_GOLD");
    expect((await t.call("PUT", "/resource_classes/CUSTOM_GOLD", undefined, at("1.7"))).status).toBe(204);
    expect((await t.call("PUT", "/resource_classes/VCPU", undefined, at("1.7"))).status).toBe(400);
  });

  it.each([
    ["a standard class", "VCPU", 400, "Cannot delete standard resource class VCPU."],
    ["an unknown class", "CUSTOM_NOPE", 404, "No such resource class CUSTOM_NOPE."],
    ["a class in inventory", "CUSTOM_GOLD", 409, "Class is in use in inventory."],
  ])("DELETE refuses %s", async (_what, name, status, detail) => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    await t.call("POST", "/resource_providers", { name: "rp", uuid: RP });
    await t.call("PUT", `/resource_providers/${RP}/inventories`, {
      resource_provider_generation: 0,
      inventories: { CUSTOM_GOLD: { total: 1 } },
    });
    const res = await t.call("DELETE", `/resource_classes/${name}`, undefined, at("1.2"));
    expect(res.status).toBe(status);
    expect(res.body.errors[0].detail).toContain(detail);
  });

  it("DELETE removes an unused custom class with 204", async () => {
    await t.call("POST", "/resource_classes", { name: "CUSTOM_GOLD" }, at("1.2"));
    expect((await t.call("DELETE", "/resource_classes/CUSTOM_GOLD", undefined, at("1.2"))).status).toBe(204);
  });
});
