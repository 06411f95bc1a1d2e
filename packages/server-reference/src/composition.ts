/**
 * The composition root: the one place that knows every Stratus package and binds each port to an
 * implementation. tsyringe lives here and nowhere else; library classes take plain constructor
 * arguments and are registered with factories (no decorators, no reflected metadata). As services land, their modules replace the discovery-only ones below.
 */
import "reflect-metadata";
import { createLogger, type Logger } from "@stratus/core";
import { container, type DependencyContainer, instanceCachingFactory } from "tsyringe";
import type { ServerConfig } from "./config.js";
import { DiscoveryOnlyModule } from "./modules/discovery-only.js";
import { IdentityModule, SharedIdentity } from "./modules/identity.js";
import { ImageModule } from "./modules/image.js";
import { NetworkModule } from "./modules/network.js";
import { PlacementModule } from "./modules/placement.js";
import { type RunningServer, type ServiceModule, startServer } from "./server.js";
import { SERVICE_NAMES, SERVICES } from "./services.js";

export const TOKENS = {
  Config: Symbol("ServerConfig"),
  Logger: Symbol("Logger"),
  ServiceModule: Symbol("ServiceModule"),
  SharedIdentity: Symbol("SharedIdentity"),
} as const;

/** The all-in-one server as the container assembles it. */
export class AllInOneServer {
  constructor(private readonly config: ServerConfig) {}

  /** Starts every enabled service; rejects (leaving nothing listening) when one cannot start. */
  start(modules: readonly ServiceModule[]): Promise<RunningServer> {
    return startServer(this.config, modules);
  }
}

/** A child container holding the whole server for `config`; nothing is built until resolved. */
export function compose(config: ServerConfig, logger?: Logger): DependencyContainer {
  const c = container.createChildContainer();
  c.registerInstance(TOKENS.Config, config);
  if (logger) c.registerInstance(TOKENS.Logger, logger);
  else
    c.register(TOKENS.Logger, {
      useFactory: instanceCachingFactory(() => createLogger({ name: "stratus", level: config.logLevel })),
    });
  // one identity per process: served on its port, and validating tokens for the other services
  c.register(TOKENS.SharedIdentity, {
    useFactory: instanceCachingFactory((k) => new SharedIdentity(config, k.resolve<Logger>(TOKENS.Logger))),
  });
  c.register(TOKENS.ServiceModule, {
    useFactory: (k) =>
      new IdentityModule(config, k.resolve<Logger>(TOKENS.Logger), k.resolve<SharedIdentity>(TOKENS.SharedIdentity)),
  });
  c.register(TOKENS.ServiceModule, {
    useFactory: (k) =>
      new PlacementModule(config, k.resolve<Logger>(TOKENS.Logger), k.resolve<SharedIdentity>(TOKENS.SharedIdentity)),
  });
  c.register(TOKENS.ServiceModule, {
    useFactory: (k) =>
      new ImageModule(config, k.resolve<Logger>(TOKENS.Logger), k.resolve<SharedIdentity>(TOKENS.SharedIdentity)),
  });
  c.register(TOKENS.ServiceModule, {
    useFactory: (k) =>
      new NetworkModule(config, k.resolve<Logger>(TOKENS.Logger), k.resolve<SharedIdentity>(TOKENS.SharedIdentity)),
  });
  const served: readonly string[] = ["identity", "placement", "image", "network"];
  for (const name of SERVICE_NAMES.filter((n) => !served.includes(n))) {
    c.register(TOKENS.ServiceModule, {
      useFactory: (k) => new DiscoveryOnlyModule(SERVICES[name], k.resolve<Logger>(TOKENS.Logger), config.maxBodyBytes),
    });
  }
  // factories rather than decorators: the classes stay plain, and nothing needs decorator metadata
  c.register(AllInOneServer, {
    useFactory: instanceCachingFactory((k) => new AllInOneServer(k.resolve<ServerConfig>(TOKENS.Config))),
  });
  return c;
}

/** Composes and starts the all-in-one server. */
export function serve(config: ServerConfig, logger?: Logger): Promise<RunningServer> {
  const c = compose(config, logger);
  return c.resolve(AllInOneServer).start(c.resolveAll<ServiceModule>(TOKENS.ServiceModule));
}
