/**
 * @stratus/core/http: the kit every service's OpenStack REST face is built with.
 *
 * ```ts
 * import { z } from "zod";
 * import { createServiceApp, StaticAuthenticator, UPSTREAM_MICROVERSIONS } from "@stratus/core/http";
 * import { notFound } from "@stratus/core/errors";
 *
 * const app = createServiceApp({
 *   service: "compute",
 *   microversions: { ...UPSTREAM_MICROVERSIONS.compute, max: "2.96" },
 *   authenticator: new StaticAuthenticator({ t0k3n: { projectId: "p1", roles: ["member"] } }),
 *   identityUri: "http://127.0.0.1:5000",
 * });
 * app.post("/v2.1/servers", { schema: { body: z.object({ server: z.object({ name: z.string(), flavorRef: z.string() }) }) } },
 *   async (req, reply) => {
 *     if (req.body.server.flavorRef === "0") throw notFound("Flavor 0 could not be found."); // -> 404 itemNotFound
 *     return reply.code(202).send({ server: { id: "...", name: req.body.server.name } });
 *   });
 * await app.listen({ host: "127.0.0.1", port: 8774 });
 * ```
 */
export { createServiceApp, type ServiceApp, type ServiceAppOptions, ServiceAppOptionsSchema } from "./app.js";
export {
  type AuthenticationRequest,
  type Authenticator,
  authTokenOf,
  type RequestContext,
  StaticAuthenticator,
  type StaticIdentity,
} from "./context.js";
export { classify, type FaultSettings, sendFault } from "./error-handler.js";
export type { StratusRouteConfig } from "./fastify-types.js";
export { type Fault, type FaultRequest, httpLayerError, type RenderedFault, toFault } from "./fault.js";
export {
  FAULT_FORMATTERS,
  type FaultFormatter,
  novaFaultName,
  PLACEMENT_DEFAULT_ERROR_CODE,
} from "./formatters/index.js";
export { type Closable, installShutdownHandlers, registerHealthcheck, type ShutdownOptions } from "./lifecycle.js";
export { type KitMessages, messagesFor } from "./messages.js";
export {
  Microversion,
  type MicroversionConfig,
  MicroversionConfigSchema,
  type MicroversionRange,
  microversionRange,
  type Negotiation,
  negotiate,
  requestedVersion,
  versionHeaders,
} from "./microversion.js";
export {
  glanceNext,
  isFullPage,
  keystoneLinks,
  neutronPageLinks,
  novaPageLinks,
  type PageOf,
  type PageRequest,
  PaginationQuerySchema,
  pageRequest,
  queryWith,
} from "./pagination.js";
export {
  OSLO_MAX_REQUEST_BODY_SIZE,
  SERVICE_NAMES,
  SERVICE_PROFILES,
  type ServiceName,
  ServiceNameSchema,
  type ServiceProfile,
  UPSTREAM_MICROVERSIONS,
} from "./service-profile.js";
export { explanationFor, SUCCESS_STATUS, statusFor, titleFor } from "./status-table.js";
export { pyRepr, type ValidationIssue, type ValidationLocation } from "./validation.js";
export {
  registerVersionDiscovery,
  type VersionDocument,
  type VersionDocumentOptions,
  versionDocument,
} from "./versions.js";
