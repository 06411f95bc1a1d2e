/**
 * A small app per service for the kit's own tests: one validated POST, a route that throws each
 * error code, a route that crashes, a microversion-gated route.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ERROR_CODES, StratusError } from "../errors/index.js";
import { createServiceApp, type ServiceApp } from "./app.js";
import { StaticAuthenticator } from "./context.js";
import type { ServiceName } from "./service-profile.js";

export const TOKEN = "t0k3n";
export const IDENTITY_URI = "http://keystone.test:5000";
export const SECRET = "password=hunter2";

const MICROVERSIONS: Partial<
  Record<ServiceName, { service: string; min: string; max: string; legacyHeader?: string }>
> = {
  compute: { service: "compute", min: "2.1", max: "2.96", legacyHeader: "X-OpenStack-Nova-API-Version" },
  block: { service: "volume", min: "3.0", max: "3.71" },
  placement: { service: "placement", min: "1.0", max: "1.39" },
};

/** An app of `service` with a 1 KiB body limit and the test routes. */
export function testApp(service: ServiceName): ServiceApp {
  const mv = MICROVERSIONS[service];
  const app = createServiceApp({
    service,
    bodyLimit: 1024,
    authenticator: new StaticAuthenticator({ [TOKEN]: { userId: "u1", projectId: "p1", roles: ["member"] } }),
    identityUri: IDENTITY_URI,
    ...(mv === undefined ? {} : { microversions: mv }),
  });
  const Thing = z.object({ thing: z.object({ name: z.string(), size: z.number().int() }) });
  app.post("/things", { schema: { body: Thing } }, async (request) => ({ thing: request.body.thing }));
  app.get(
    "/things",
    { schema: { querystring: z.object({ limit: z.coerce.number().int().min(0).optional() }) } },
    async (request) => ({
      limit: request.query.limit ?? null,
    }),
  );
  app.get("/errors/:code", { schema: { params: z.object({ code: z.enum(ERROR_CODES) }) } }, async (request) => {
    throw new StratusError(request.params.code, `It went ${request.params.code}.`);
  });
  app.get("/boom", async () => {
    throw new TypeError(`cannot connect with ${SECRET}`);
  });
  app.get("/whoami", async (request) => ({
    project: request.auth?.projectId,
    version: request.microversion?.toString() ?? null,
  }));
  app.get("/public", { config: { public: true } }, async () => ({ ok: true }));
  app.get("/gated", { config: { microversion: { min: mv?.min === "2.1" ? "2.53" : "1.20" } } }, async () => ({
    ok: true,
  }));
  return app;
}

/** Headers of an authenticated JSON request. */
export const authed = (extra: Record<string, string> = {}): Record<string, string> => ({
  "x-auth-token": TOKEN,
  accept: "application/json",
  ...extra,
});

describe("the test fixture", () => {
  it("serves its public route without a token, so the other tables test the kit and not the fixture", async () => {
    const res = await testApp("compute").inject({ method: "GET", url: "/public" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ok: true });
  });
});
