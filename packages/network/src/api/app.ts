/**
 * `createNetworkApi`: the Neutron v2.0 API as a Fastify app built with core's `createServiceApp`.
 */
import type { Logger } from "@stratus/core";
import { type Authenticator, createServiceApp, type ServiceApp } from "@stratus/core/http";
import { type NetworkApiOptions, NetworkApiOptionsSchema } from "../config.js";
import { type MechanismDriver, NOOP_DRIVER } from "../domain/driver.js";
import { defaultServiceDeps, type ServiceDeps } from "../service/context.js";
import { NeutronService } from "../service/neutron.js";
import { MemoryNeutronStore } from "../store/memory-store.js";
import type { NeutronStore } from "../store/store.js";
import { registerExtensionRoutes } from "./extensions.js";
import { registerResourceRoutes } from "./routes.js";

export interface NetworkApiDeps {
  /** Where Neutron's records live (default: a new MemoryNeutronStore). */
  readonly store?: NeutronStore;
  /** The mechanism driver programming the backend (default: NOOP_DRIVER). */
  readonly driver?: MechanismDriver;
  /** Configuration, validated with NetworkApiOptionsSchema (throws a ZodError when invalid). */
  readonly options?: NetworkApiOptions;
  /** Checks tokens; without one every /v2.0 route answers 401. */
  readonly authenticator?: Authenticator;
  /** Keystone's URL for WWW-Authenticate (required with an authenticator). */
  readonly identityUri?: string;
  readonly logger?: Logger;
  /** Overrides for tests: clock, ids, random bytes. */
  readonly overrides?: Partial<Pick<ServiceDeps, "now" | "newId" | "randomBytes">>;
}

export interface NetworkApi {
  /** The Fastify app (call `ready()` or `listen()`). */
  readonly app: ServiceApp;
  /** The use cases, for callers that skip HTTP. */
  readonly service: NeutronService;
  /** The store in use. */
  readonly store: NeutronStore;
}

/**
 * Builds the Neutron API: `/` version document, `/v2.0` index and extensions, networks, subnets,
 * ports, security groups, routers, floating IPs, quotas and tags. Throws a ZodError for bad options.
 */
export function createNetworkApi(deps: NetworkApiDeps = {}): NetworkApi {
  const config = NetworkApiOptionsSchema.parse(deps.options ?? {});
  const store = deps.store ?? new MemoryNeutronStore();
  const service = new NeutronService({
    ...defaultServiceDeps(store, deps.driver ?? NOOP_DRIVER, config),
    ...deps.overrides,
  });
  const app = createServiceApp({
    service: "network",
    ...(deps.authenticator === undefined ? {} : { authenticator: deps.authenticator }),
    ...(deps.identityUri === undefined ? {} : { identityUri: deps.identityUri }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
  });
  const settings = { adminRoles: config.adminRoles, publicUrl: config.publicUrl ?? null };
  registerExtensionRoutes(app, settings);
  registerResourceRoutes(app, settings, service);
  return { app, service, store };
}
