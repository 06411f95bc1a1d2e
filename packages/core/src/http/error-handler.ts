/**
 * The one path from "something was thrown" to a response: classify (StratusError, zod validation,
 * Fastify's body errors, anything else = internal), resolve the status from the table, render the
 * service's body, log unexpected errors with the request id and never send their details.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import { StratusError, toStratusError } from "../errors/index.js";
import { type Fault, type FaultRequest, httpLayerError, toFault } from "./fault.js";
import { FAULT_FORMATTERS, keystoneFaults } from "./formatters/index.js";
import type { KitMessages } from "./messages.js";
import type { ServiceName } from "./service-profile.js";
import { validationIssueOf } from "./validation.js";

/** What the error path needs to know about the app. */
export interface FaultSettings {
  /** The service whose format is rendered. */
  readonly service: ServiceName;
  /** The service's wording of the kit's own messages. */
  readonly messages: KitMessages;
  /** Sent as `WWW-Authenticate: Keystone uri="..."` on every 401, as keystonemiddleware does. */
  readonly identityUri: string | undefined;
}

const fastifyCode = (err: unknown): string | undefined =>
  err !== null && typeof err === "object" && typeof (err as { code?: unknown }).code === "string"
    ? (err as { code: string }).code
    : undefined;

/** Any thrown value as a StratusError, with the service's wording for the HTTP layer's own errors. */
export function classify(err: unknown, request: FastifyRequest, messages: KitMessages): StratusError {
  if (StratusError.is(err)) return err;
  const issue = validationIssueOf(err, request);
  if (issue !== null) return httpLayerError("bad_request", messages.invalidInput(issue), { cause: err });
  switch (fastifyCode(err)) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return httpLayerError("bad_request", messages.malformedBody((err as Error).message), { cause: err });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return httpLayerError("payload_too_large", messages.tooLarge(request.routeOptions.bodyLimit ?? 0), {
        cause: err,
      });
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return httpLayerError(
        "unsupported_media_type",
        messages.unsupportedMediaType(String(request.headers["content-type"] ?? "")),
        {
          cause: err,
        },
      );
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
    case "FST_ERR_VALIDATION":
      return httpLayerError("bad_request", (err as Error).message, { cause: err });
    default:
      // Fastify's JSON parser rethrows SyntaxError with statusCode 400 for a body it cannot parse.
      if (err instanceof SyntaxError && (err as { statusCode?: number }).statusCode === 400) {
        return httpLayerError("bad_request", messages.malformedBody(err.message), { cause: err });
      }
      return toStratusError(err);
  }
}

function faultRequest(request: FastifyRequest): FaultRequest {
  const accept = request.headers.accept;
  const contentType = request.headers["content-type"];
  return {
    method: request.method,
    accept,
    contentType,
    requestId: request.id,
    microversion: request.microversion,
  };
}

/** Renders `err` as the service's fault on `reply`. Never throws. */
export function sendFault(
  err: StratusError,
  request: FastifyRequest,
  reply: FastifyReply,
  settings: FaultSettings,
): FastifyReply {
  const safe = err.code === "internal" ? new StratusError("internal", settings.messages.internal) : err;
  const fault: Fault = toFault(safe, settings.service);
  // keystonemiddleware rejects a missing or bad token before the service sees the request,
  // with Keystone's body in every service.
  const formatter =
    fault.code === "unauthorized" && isKitRejection(err) ? keystoneFaults : FAULT_FORMATTERS[settings.service];
  const rendered = formatter.render(fault, faultRequest(request));
  reply.code(fault.status).headers(rendered.headers).type(rendered.contentType);
  if (fault.status === 401 && settings.identityUri !== undefined) {
    reply.header("www-authenticate", `Keystone uri="${settings.identityUri}"`);
  }
  return reply.send(rendered.body);
}

const tokenRejections = new WeakSet<StratusError>();

/** The 401 the kit sends when a protected route gets no valid token. */
export function tokenRejection(): StratusError {
  const err = httpLayerError("unauthorized", "The request you have made requires authentication.");
  tokenRejections.add(err);
  return err;
}

const isKitRejection = (err: StratusError): boolean => tokenRejections.has(err);

/** The Fastify error handler for an app of `settings.service`. */
export function faultHandler(settings: FaultSettings) {
  return function handleError(err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const stratus = classify(err, request, settings.messages);
    if (stratus.code === "internal") {
      request.log.error({ err: stratus.cause ?? err }, "unexpected error");
    } else if (stratus.code === "backend_unavailable" || stratus.code === "timeout") {
      request.log.warn({ err: stratus }, stratus.message);
    }
    return sendFault(stratus, request, reply, settings);
  };
}
