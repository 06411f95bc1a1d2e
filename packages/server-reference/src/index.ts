/**
 * @stratus/server-reference: the composition root and the all-in-one server.
 *
 * ```ts
 * import { loadServerConfig, serve } from "@stratus/server-reference";
 * const server = await serve(loadServerConfig({ env: process.env }));
 * await server.close();
 * ```
 */
export { AllInOneServer, compose, serve, TOKENS } from "./composition.js";
export {
  type ConfigSources,
  configFromEnv,
  loadServerConfig,
  type ServerConfig,
  ServerConfigSchema,
} from "./config.js";
export type { RunningServer, RunningService, ServiceModule } from "./server.js";
export { SERVICE_NAMES, SERVICES, type ServiceDescriptor, type ServiceName } from "./services.js";
