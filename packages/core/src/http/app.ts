/**
 * `createServiceApp`: a Fastify app that speaks like one OpenStack service at the HTTP layer.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { newRequestId } from "../ids.js";
import type { Logger } from "../logging.js";
import type { Authenticator } from "./context.js";
import { faultHandler } from "./error-handler.js";
import { httpLayerError } from "./fault.js";
import { registerHealthcheck } from "./lifecycle.js";
import { messagesFor } from "./messages.js";
import { MicroversionConfigSchema, microversionRange } from "./microversion.js";
import { requestHook } from "./request-hooks.js";
import { RouteIndex } from "./route-index.js";
import { SERVICE_PROFILES, ServiceNameSchema } from "./service-profile.js";
import "./fastify-types.js";

/** A service app: Fastify with zod schemas as the type provider. */
export type ServiceApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

const isAuthenticator = (v: unknown): v is Authenticator =>
  typeof v === "object" && v !== null && typeof (v as { authenticate?: unknown }).authenticate === "function";
const isLogger = (v: unknown): v is Logger =>
  typeof v === "object" && v !== null && typeof (v as { child?: unknown }).child === "function";

export const ServiceAppOptionsSchema = z
  .object({
    /** The OpenStack service this app is the REST face of. */
    service: ServiceNameSchema,
    /** Where request logs go (a child per request carries `request_id`); silent by default. */
    logger: z.custom<Logger>(isLogger, "must be a pino logger").optional(),
    /** Largest accepted request body in bytes; defaults to the service's (oslo sizelimit's 112 KiB or 1 MiB). */
    bodyLimit: z.number().int().positive().optional(),
    /** The microversions the service supports (compute, block, placement). */
    microversions: MicroversionConfigSchema.optional(),
    /** Checks tokens for protected routes; without one, protected routes answer 401. */
    authenticator: z.custom<Authenticator>(isAuthenticator, "must have authenticate(request)").optional(),
    /** The Keystone URL named in `WWW-Authenticate` on 401s. Required with an authenticator. */
    identityUri: z.url().optional(),
    /** Serve oslo.middleware's `/healthcheck` (default true). */
    healthcheck: z.boolean().default(true),
    /** Log one line per request at info, like oslo's request log (default true). */
    logRequests: z.boolean().default(true),
  })
  .refine((o) => o.authenticator === undefined || o.identityUri !== undefined, {
    message: "identityUri is required with an authenticator (it goes into WWW-Authenticate)",
    path: ["identityUri"],
  });
export type ServiceAppOptions = z.input<typeof ServiceAppOptionsSchema>;

/**
 * A Fastify app for one service: zod-typed routes, the service's fault bodies for every error,
 * request ids, microversions, token checks on protected routes, `/healthcheck`, draining close.
 * Throws a ZodError for invalid options. Routes are added by the caller; call `ready()`/`listen()`.
 */
export function createServiceApp(options: ServiceAppOptions): ServiceApp {
  const o = ServiceAppOptionsSchema.parse(options);
  const profile = SERVICE_PROFILES[o.service];
  const messages = messagesFor(o.service);
  const range = o.microversions === undefined ? undefined : microversionRange(o.microversions);
  const quiet = o.logger === undefined || !o.logger.isLevelEnabled("info");
  let closing = false;

  const app = Fastify({
    // Without a logger Fastify's no-op logger is used; a quiet one needs no child per request.
    ...(o.logger === undefined ? { logger: false } : { loggerInstance: o.logger as FastifyBaseLogger }),
    ...(quiet ? { childLoggerFactory: (parent: FastifyBaseLogger) => parent } : {}),
    bodyLimit: o.bodyLimit ?? profile.bodyLimit,
    genReqId: newRequestId,
    requestIdHeader: false,
    logController: new LogController({ requestIdLogLabel: "request_id", disableRequestLogging: true }),
    return503OnClosing: false,
    // names in paths can be long (Placement's 255-character trait and class names): let the route answer, not a 414
    routerOptions: { maxParamLength: 1000 },
  }).withTypeProvider<ZodTypeProvider>();

  // An empty body sent as JSON is no body, as webob sees it: Tempest sends role grants that way.
  // Routes that need a body still answer 400 through their validation.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "" || body.length === 0) return done(null, undefined);
    return parseJson(request, body as string, done);
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest("microversion", null);
  app.decorateRequest("auth", null);
  app.decorateRequest("globalRequestId", null);

  const routes = new RouteIndex();
  const hookSettings = { profile, messages, range, authenticator: o.authenticator, isClosing: () => closing };
  app.addHook("onRoute", (route) => {
    routes.add(route.url, route.method);
    const own =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [requestHook(hookSettings, route.config ?? {}), ...own];
  });
  // Draining: keep-alive connections that go idle after their last response are closed as they
  // go idle (Node only closes the ones idle at the moment close() starts).
  let reaper: NodeJS.Timeout | undefined;
  app.addHook("preClose", (done) => {
    closing = true;
    reaper = setInterval(() => app.server.closeIdleConnections(), 50);
    reaper.unref();
    done();
  });
  app.addHook("onClose", (_instance, done) => {
    clearInterval(reaper);
    done();
  });
  if (o.logRequests && !quiet) {
    app.addHook("onResponse", (request, reply, done) => {
      request.log.info(
        {
          method: request.method,
          url: request.url,
          status: reply.statusCode,
          microversion: request.microversion?.toString(),
          ms: reply.elapsedTime,
        },
        "request",
      );
      done();
    });
  }

  app.setErrorHandler(faultHandler({ service: o.service, messages, identityUri: o.identityUri }));
  // A miss has no route to hook into: the same checks run as its preValidation hook.
  app.setNotFoundHandler({ preValidation: requestHook(hookSettings, {}) }, (request, reply) => {
    const allowed = profile.methodNotAllowed ? routes.allowedMethods(request.url) : [];
    if (allowed.length === 0) throw httpLayerError("not_found", messages.routeNotFound);
    reply.header("allow", allowed.join(", "));
    throw httpLayerError("method_not_allowed", messages.methodNotAllowed);
  });

  if (o.healthcheck) registerHealthcheck(app);
  return app;
}
