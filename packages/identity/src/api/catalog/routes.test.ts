import { openDatabase } from "@stratus/core/db";
import { createServiceApp, type ServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOG_MIGRATIONS } from "../../catalog/migrations.js";
import { CatalogService } from "../../catalog/service.js";
import { SqlCatalogRepository } from "../../catalog/sql-repository.js";
import type { Authorizer } from "../../ports.js";
import { AllowAllAuthorizer, DenyAllAuthorizer } from "../../testing.js";
import { registerCatalogRoutes } from "./routes.js";

const TOKEN = "admin-token";
const headers = { "x-auth-token": TOKEN, host: "keystone.test:5000" };

async function makeApp(
  authorizer: Authorizer,
): Promise<{ app: ServiceApp; catalog: CatalogService; close(): Promise<void> }> {
  const db = await openDatabase({ engine: "sqlite", path: ":memory:" });
  await db.migrate("identity_catalog", [...CATALOG_MIGRATIONS]);
  const catalog = new CatalogService(new SqlCatalogRepository(db));
  const app = createServiceApp({
    service: "identity",
    authenticator: new StaticAuthenticator({ [TOKEN]: { userId: "u1", systemScope: "all", roles: ["admin"] } }),
    identityUri: "http://keystone.test:5000",
  });
  registerCatalogRoutes(app, { authorizer, catalog });
  await app.ready();
  const close = async () => {
    await app.close();
    await db.close();
  };
  return { app, catalog, close };
}

describe("the catalog API", () => {
  let t: Awaited<ReturnType<typeof makeApp>>;
  const authorizer = new AllowAllAuthorizer();
  beforeAll(async () => {
    t = await makeApp(authorizer);
  });
  afterAll(() => t.close());

  const call = async (method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE", url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body === "" ? null : res.json() };
  };

  it("creates a service with Keystone's defaults, keeps extra attributes and links it", async () => {
    const res = await call("POST", "/v3/services", { service: { type: "compute", description: "Nova" } });
    expect(res.status).toBe(201);
    expect(res.body.service).toMatchObject({ type: "compute", name: "", enabled: true, description: "Nova" });
    expect(res.body.service.id).toMatch(/^[0-9a-f]{32}$/);
    expect(res.body.service.links.self).toBe(`http://keystone.test:5000/v3/services/${res.body.service.id}`);
    expect(authorizer.asked.at(-1)?.rule).toBe("identity:create_service");
  });

  it.each([
    ["a service without a type", "/v3/services", { service: { name: "nova" } }],
    [
      "an endpoint with an unknown interface",
      "/v3/endpoints",
      { endpoint: { interface: "private", service_id: "x", url: "http://a" } },
    ],
    [
      "an endpoint whose url is no URL",
      "/v3/endpoints",
      { endpoint: { interface: "public", service_id: "x", url: "nope" } },
    ],
    ["a body without its wrapper", "/v3/regions", { id: "r1" }],
  ])("refuses %s with a 400 in Keystone's format", async (_name, url, payload) => {
    const res = await call("POST", url, payload);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 400, title: "Bad Request" });
  });

  it("answers an unknown service with Keystone's 404 message", async () => {
    const res = await call("GET", "/v3/services/nosuch");
    expect(res).toEqual({
      status: 404,
      body: { error: { code: 404, title: "Not Found", message: "Could not find service: nosuch." } },
    });
  });

  it("filters services by type and name, and updates and deletes one", async () => {
    const made = await call("POST", "/v3/services", { service: { type: "image", name: "glance" } });
    const id = made.body.service.id as string;
    const byType = await call("GET", "/v3/services?type=image");
    expect(byType.body.services.map((s: { id: string }) => s.id)).toEqual([id]);
    expect(byType.body.links).toEqual({
      self: "http://keystone.test:5000/v3/services?type=image",
      previous: null,
      next: null,
    });
    expect((await call("GET", "/v3/services?name=glance")).body.services).toHaveLength(1);
    const patched = await call("PATCH", `/v3/services/${id}`, { service: { enabled: false } });
    expect(patched.body.service).toMatchObject({ id, enabled: false, name: "glance" });
    expect((await call("PATCH", `/v3/services/${id}`, { service: { id: "other" } })).status).toBe(400);
    expect((await call("DELETE", `/v3/services/${id}`)).status).toBe(204);
    expect((await call("GET", `/v3/services/${id}`)).status).toBe(404);
  });

  it("creates regions by POST and by PUT, refusing a taken id, a missing parent and a cycle", async () => {
    expect((await call("PUT", "/v3/regions/RegionOne", { region: { description: "first" } })).status).toBe(201);
    const dup = await call("POST", "/v3/regions", { region: { id: "RegionOne" } });
    expect(dup.status).toBe(409);
    expect(dup.body.error.message).toBe("Conflict occurred attempting to store region - Duplicate ID, RegionOne.");
    expect((await call("POST", "/v3/regions", { region: { parent_region_id: "nowhere" } })).status).toBe(404);
    const child = await call("POST", "/v3/regions", { region: { id: "Child", parent_region_id: "RegionOne" } });
    expect(child.body.region).toMatchObject({ id: "Child", parent_region_id: "RegionOne", description: "" });
    const cycle = await call("PATCH", "/v3/regions/RegionOne", { region: { parent_region_id: "Child" } });
    expect(cycle.status).toBe(400);
    expect(cycle.body.error.message).toContain("circular region hierarchy");
    expect(
      (await call("GET", "/v3/regions?parent_region_id=RegionOne")).body.regions.map((r: { id: string }) => r.id),
    ).toEqual(["Child"]);
  });

  it("creates endpoints only for services and regions that exist, and with allowed substitutions", async () => {
    const service = (await call("POST", "/v3/services", { service: { type: "volumev3", name: "cinderv3" } })).body
      .service;
    const make = (endpoint: Record<string, unknown>) => call("POST", "/v3/endpoints", { endpoint });
    const base = { interface: "public", service_id: service.id };
    expect((await make({ ...base, service_id: "ghost", url: "http://c:8776/v3" })).body.error.message).toContain(
      "Expecting to find endpoint service_id in service table",
    );
    expect((await make({ ...base, region_id: "ghost", url: "http://c:8776/v3" })).status).toBe(400);
    expect((await make({ ...base, url: "http://c:8776/v3/$(evil)s" })).body.error.message).toBe(
      "Cannot create an endpoint with an invalid URL: http://c:8776/v3/$(evil)s.",
    );
    const legacy = await make({ ...base, region: "RegionTwo", url: "http://c:8776/v3/$(project_id)s" });
    expect(legacy.status).toBe(201);
    expect(legacy.body.endpoint).toMatchObject({ region: "RegionTwo", region_id: "RegionTwo", enabled: true });
    expect((await call("GET", "/v3/regions/RegionTwo")).status).toBe(200);
    const del = await call("DELETE", "/v3/regions/RegionTwo");
    expect(del.status).toBe(403);
    expect(del.body.error.message).toBe(
      "Unable to delete region RegionTwo because it or its child regions have associated endpoints.",
    );
    expect((await call("GET", `/v3/endpoints?interface=public&service_id=${service.id}`)).body.endpoints).toHaveLength(
      1,
    );
  });

  it("builds a token's catalog with project substitutions, leaving out what a domain-scoped token can't use", async () => {
    const svc = await t.catalog.createService({ type: "block-storage", name: "cinder" });
    await t.catalog.createEndpoint({ interface: "public", service_id: svc.id, url: "http://c/v3/$(project_id)s" });
    await t.catalog.createEndpoint({ interface: "internal", service_id: svc.id, url: "http://c-int/v3" });
    const off = await t.catalog.createEndpoint({
      interface: "admin",
      service_id: svc.id,
      url: "http://c-adm/v3",
      enabled: false,
    });
    const forProject = (await t.catalog.catalogFor("u1", "p1")).find((e) => e.id === svc.id);
    expect(forProject?.endpoints.map((e) => e.url).sort()).toEqual(["http://c-int/v3", "http://c/v3/p1"]);
    expect(forProject?.endpoints.some((e) => e.id === off.id)).toBe(false);
    const forDomain = (await t.catalog.catalogFor("u1", null)).find((e) => e.id === svc.id);
    expect(forDomain?.endpoints.map((e) => e.url)).toEqual(["http://c-int/v3"]);
    await t.catalog.updateService(svc.id, { enabled: false });
    expect((await t.catalog.catalogFor("u1", "p1")).some((e) => e.id === svc.id)).toBe(false);
  });
});

describe("the catalog API without permission", () => {
  it("answers 403 with Keystone's message before touching anything", async () => {
    const t = await makeApp(new DenyAllAuthorizer());
    const res = await t.app.inject({
      method: "POST",
      url: "/v3/services",
      headers,
      payload: { service: { type: "x" } },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.message).toBe(
      "You are not authorized to perform the requested action: identity:create_service.",
    );
    expect((await t.catalog.listServices()).length).toBe(0);
    await t.close();
  });

  it("answers 401 without a token", async () => {
    const t = await makeApp(new AllowAllAuthorizer());
    const res = await t.app.inject({ method: "GET", url: "/v3/services" });
    expect(res.statusCode).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Keystone uri="http://keystone.test:5000"');
    await t.close();
  });
});
