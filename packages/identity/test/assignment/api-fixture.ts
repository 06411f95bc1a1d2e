/** An identity app with the resource and assignment routes on SQLite in memory, for API tests. */
import { openDatabase } from "@stratus/core/db";
import { createServiceApp, type ServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { registerAssignmentRoutes } from "../../src/api/assignment/register.js";
import { registerResourceRoutes } from "../../src/api/resource/register.js";
import {
  createResourceAssignmentServices,
  migrateResourceAssignment,
  type ResourceAssignmentServices,
} from "../../src/assignment/setup.js";
import type { Authorizer } from "../../src/ports.js";
import { MemoryIdentity } from "./memory-identity.js";

export const TOKEN = "admin-token";
export const BASE = "http://keystone.test:5000";

/** A running app plus its services and a call helper. */
export interface ApiFixture extends ResourceAssignmentServices {
  readonly app: ServiceApp;
  readonly identity: MemoryIdentity;
  // biome-ignore lint/suspicious/noExplicitAny: tests read JSON bodies of many shapes.
  call(method: string, url: string, payload?: unknown): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

export async function apiFixture(authorizer: Authorizer): Promise<ApiFixture> {
  const db = await openDatabase({ engine: "sqlite", path: ":memory:" });
  await migrateResourceAssignment(db);
  const identity = new MemoryIdentity();
  const services = createResourceAssignmentServices(db, identity);
  const app = createServiceApp({
    service: "identity",
    authenticator: new StaticAuthenticator({ [TOKEN]: { userId: "admin", systemScope: "all", roles: ["admin"] } }),
    identityUri: BASE,
  });
  registerResourceRoutes(app, { authorizer, resources: services.resources });
  registerAssignmentRoutes(app, { authorizer, identity, ...services });
  await app.ready();
  return {
    ...services,
    app,
    identity,
    async call(method, url, payload) {
      const res = await app.inject({
        method: method as "GET",
        url,
        headers: { "x-auth-token": TOKEN, host: "keystone.test:5000" },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return { status: res.statusCode, body: res.body === "" ? null : res.json() };
    },
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
