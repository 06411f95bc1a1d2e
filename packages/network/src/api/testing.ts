/**
 * A Neutron API app for route tests: memory store, tokens "admin" (p-admin), "member" (p-member)
 * and "other" (p-other), a deterministic clock.
 */
import { StaticAuthenticator } from "@stratus/core/http";
import type { NetworkApiOptions } from "../config.js";
import type { MechanismDriver } from "../domain/driver.js";
import { MemoryNeutronStore } from "../store/memory-store.js";
import { createNetworkApi, type NetworkApi } from "./app.js";

export type Token = "admin" | "member" | "other" | null;

export interface CallResult {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  // biome-ignore lint/suspicious/noExplicitAny: route tests read bodies freely
  readonly body: any;
}

export interface NeutronTestApp extends NetworkApi {
  call(method: string, url: string, body?: unknown, token?: Token): Promise<CallResult>;
  /** POSTs and returns the created resource, failing the test unless 201. */
  // biome-ignore lint/suspicious/noExplicitAny: route tests read bodies freely
  make(collection: string, singular: string, attrs: Record<string, unknown>, token?: Token): Promise<any>;
}

export async function neutronTestApp(
  options: NetworkApiOptions = {},
  driver?: MechanismDriver,
): Promise<NeutronTestApp> {
  const api = createNetworkApi({
    store: new MemoryNeutronStore(),
    ...(driver === undefined ? {} : { driver }),
    options: { publicUrl: "http://neutron:9696", vlanRanges: ["physnet1:100:102"], ...options },
    authenticator: new StaticAuthenticator({
      admin: { userId: "u-admin", projectId: "p-admin", roles: ["admin", "member", "reader"], isAdmin: true },
      member: { userId: "u-member", projectId: "p-member", roles: ["member", "reader"] },
      other: { userId: "u-other", projectId: "p-other", roles: ["member", "reader"] },
    }),
    identityUri: "http://127.0.0.1:5000",
  });
  await api.app.ready();
  const call = async (method: string, url: string, body?: unknown, token: Token = "member"): Promise<CallResult> => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (token !== null) headers["x-auth-token"] = token;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await api.app.inject({
      method: method as "GET",
      url,
      headers,
      ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
    });
    return { status: res.statusCode, headers: res.headers, body: res.body === "" ? undefined : JSON.parse(res.body) };
  };
  return {
    ...api,
    call,
    async make(collection, singular, attrs, token = "member") {
      const res = await call("POST", `/v2.0/${collection}`, { [singular]: attrs }, token);
      if (res.status !== 201) throw new Error(`POST ${collection} answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body[singular];
    },
  };
}
