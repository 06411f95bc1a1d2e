/**
 * An identity app with this area's routes on in-memory SQLite, a token table that tests extend
 * as they create users, and a recording authorizer (allow-all, or deny-all).
 */
import { createServiceApp, type ServiceApp, StaticAuthenticator, type StaticIdentity } from "@stratus/core/http";
import { describe, expect, it } from "vitest";
import type { IdentityUsersOptionsInput } from "../../identity-users/options.js";
import { memoryIdentityUsers, RecordingAuthorizer } from "../../identity-users/testing/fixture.js";
import { registerUserRoutes } from "./register.js";

export const ADMIN = "admin-token";
export const BASE = "http://keystone.test:5000";

/** The app, its area, its authorizer and a way to add tokens. */
export interface TestIdentity {
  readonly app: ServiceApp;
  readonly area: Awaited<ReturnType<typeof memoryIdentityUsers>>;
  readonly authorizer: RecordingAuthorizer;
  /** Makes `token` stand for `identity` (e.g. a user created by the test). */
  addToken(token: string, identity: StaticIdentity): void;
  /** Headers of a JSON request with `token` (admin by default). */
  headers(token?: string): Record<string, string>;
  close(): Promise<void>;
}

/** Builds the app; `deny` makes every policy check fail. */
export async function testIdentity(
  options: { deny?: boolean; area?: IdentityUsersOptionsInput } = {},
): Promise<TestIdentity> {
  const area = await memoryIdentityUsers(options.area ?? {});
  const authenticator = new StaticAuthenticator({
    [ADMIN]: { userId: "admin", projectId: "p-admin", roles: ["admin"], isAdmin: true },
  });
  const app = createServiceApp({ service: "identity", authenticator, identityUri: BASE });
  const authorizer = new RecordingAuthorizer(options.deny ?? false);
  registerUserRoutes(app, { ...area, authorizer, publicEndpoint: BASE });
  await app.ready();
  return {
    app,
    area,
    authorizer,
    addToken: (token, identity) => authenticator.add(token, identity),
    headers: (token = ADMIN) => ({ "x-auth-token": token }),
    close: async () => {
      await app.close();
      await area.close();
    },
  };
}

describe("the route test fixture", () => {
  it("answers 401 without a token, so the route tables test the routes and not the fixture", async () => {
    const t = await testIdentity();
    const res = await t.app.inject({ method: "GET", url: "/v3/users" });
    expect(res.statusCode).toBe(401);
    await t.close();
  });
});
