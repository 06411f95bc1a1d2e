/**
 * A Placement app on an in-memory store for route tests: `call` sends a request as the admin
 * (token "admin") or a plain member (token "member") at a chosen microversion.
 */
import { createServiceApp, type ServiceApp, StaticAuthenticator } from "@stratus/core/http";
import { PlacementState } from "../placement/state.js";
import { MemoryPlacementStore, type PlacementStore } from "../placement/store.js";
import { registerPlacementRoutes } from "./index.js";

export interface CallOptions {
  /** `OpenStack-API-Version: placement <v>`; omitted sends no header (1.0). */
  readonly microversion?: string;
  /** "admin" (default) or "member"; null sends no token. */
  readonly token?: "admin" | "member" | null;
  /** Extra headers. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface CallResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** Parsed JSON body, or undefined for an empty one. */
  // biome-ignore lint/suspicious/noExplicitAny: route tests read fault and resource bodies freely
  readonly body: any;
  readonly text: string;
}

export interface PlacementTestApp {
  readonly app: ServiceApp;
  readonly store: PlacementStore;
  call(method: string, url: string, body?: unknown, options?: CallOptions): Promise<CallResult>;
  close(): Promise<void>;
}

/** Builds the app on `store` (default: a fresh in-memory one). */
export async function placementTestApp(
  store: PlacementStore = new MemoryPlacementStore(new PlacementState()),
): Promise<PlacementTestApp> {
  const app = createServiceApp({
    service: "placement",
    microversions: { service: "placement", min: "1.0", max: "1.39" },
    authenticator: new StaticAuthenticator({
      admin: { userId: "u-admin", projectId: "p-admin", roles: ["admin", "member", "reader"], isAdmin: true },
      member: { userId: "u-member", projectId: "p-member", roles: ["member", "reader"] },
    }),
    identityUri: "http://127.0.0.1:5000",
  });
  registerPlacementRoutes(app, { store });
  await app.ready();
  return {
    app,
    store,
    async call(method, url, body, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      const token = options.token === undefined ? "admin" : options.token;
      if (token !== null) headers["x-auth-token"] = token;
      if (options.microversion !== undefined) headers["openstack-api-version"] = `placement ${options.microversion}`;
      if (body !== undefined) headers["content-type"] ??= "application/json";
      const res = await app.inject({
        method: method as "GET",
        url,
        headers,
        ...(body === undefined ? {} : { payload: typeof body === "string" ? body : JSON.stringify(body) }),
      });
      const text = res.body;
      let parsed: unknown;
      try {
        parsed = text === "" ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, headers: res.headers, body: parsed, text };
    },
    close: () => app.close(),
  };
}
