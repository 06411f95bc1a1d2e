/**
 * The kit's one onRequest hook: request id headers, global request id, drain check, token
 * authentication (before anything else, as keystonemiddleware sits first), then microversion
 * negotiation and the route's version bounds. One per route (added in onRoute), written as a
 * callback hook: it is the hot path.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { isRequestId } from "../ids.js";
import type { Authenticator } from "./context.js";
import { tokenRejection } from "./error-handler.js";
import type { StratusRouteConfig } from "./fastify-types.js";
import { httpLayerError } from "./fault.js";
import type { KitMessages } from "./messages.js";
import { Microversion, type MicroversionRange, negotiate, versionHeaders } from "./microversion.js";
import type { ServiceProfile } from "./service-profile.js";

/** What the hook needs; built once per app. */
export interface RequestHookSettings {
  /** The service's HTTP profile. */
  readonly profile: ServiceProfile;
  /** The service's wording of the kit's messages. */
  readonly messages: KitMessages;
  /** The supported microversions, if the service has them. */
  readonly range: MicroversionRange | undefined;
  /** The token checker for protected routes; without one every protected route answers 401. */
  readonly authenticator: Authenticator | undefined;
  /** True once the app has started closing. */
  readonly isClosing: () => boolean;
}

/**
 * Builds the onRequest hook of one route, with the route's config read once here rather than
 * through `request.routeOptions` (a getter that allocates) on every request.
 */
export function requestHook(settings: RequestHookSettings, config: StratusRouteConfig) {
  const { profile, messages, range, authenticator } = settings;
  const vary = profile.vary.length > 0 ? profile.vary.join(", ") : undefined;
  const compatHeader = profile.compatRequestIdHeaders[0];
  const isPublic = config.public === true;
  const versioned = range !== undefined && config.unversioned !== true;
  const min = config.microversion?.min === undefined ? null : Microversion.of(config.microversion.min);
  const max = config.microversion?.max === undefined ? null : Microversion.of(config.microversion.max);

  // Clients repeat the same header on every call: remember each raw header's outcome (bounded).
  const byHeader = new Map<string, { version: Microversion; headers: Record<string, string> }>();

  function negotiateVersion(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    if (!versioned || range === undefined) {
      done();
      return;
    }
    const raw = request.headers["openstack-api-version"];
    const cacheKey =
      typeof raw === "string" &&
      (range.legacyHeader === undefined || request.headers[range.legacyHeaderKey] === undefined)
        ? raw
        : undefined;
    let hit = cacheKey === undefined ? undefined : byHeader.get(cacheKey);
    if (hit === undefined) {
      const result = negotiate(request.headers, range);
      if (!result.ok) {
        const lo = range.min.toString();
        const hi = range.max.toString();
        const err =
          result.reason === "invalid"
            ? httpLayerError("bad_request", messages.invalidVersion(result.requested))
            : httpLayerError("not_acceptable", messages.versionNotAcceptable(result.requested, lo, hi), {
                details: { minVersion: lo, maxVersion: hi },
              });
        done(err);
        return;
      }
      const headers = versionHeaders(range, result.version);
      if (vary !== undefined) headers["vary"] = `${vary}, ${headers["vary"] ?? ""}`;
      hit = { version: result.version, headers };
      if (cacheKey !== undefined && byHeader.size < 256) byHeader.set(cacheKey, hit);
    }
    request.microversion = hit.version;
    reply.headers(hit.headers);
    if ((min !== null && !hit.version.atLeast(min)) || (max !== null && !hit.version.atMost(max))) {
      done(httpLayerError("not_found", messages.routeNotFound));
      return;
    }
    done();
  }

  return function onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    reply.header("x-openstack-request-id", request.id);
    if (compatHeader !== undefined) reply.header(compatHeader, request.id);
    if (vary !== undefined) reply.header("vary", vary);
    const incoming = request.headers["x-openstack-request-id"];
    if (typeof incoming === "string" && isRequestId(incoming)) {
      request.globalRequestId = incoming;
      request.log = request.log.child({ global_request_id: incoming });
    }
    if (settings.isClosing()) {
      reply.header("connection", "close");
      done(httpLayerError("backend_unavailable", messages.shuttingDown));
      return;
    }
    if (isPublic) {
      negotiateVersion(request, reply, done);
      return;
    }
    if (authenticator === undefined) {
      done(tokenRejection());
      return;
    }
    authenticator
      .authenticate({ headers: request.headers, requestId: request.id, globalRequestId: request.globalRequestId })
      .then(
        (context) => {
          if (context === null) {
            done(tokenRejection());
            return;
          }
          request.auth = context;
          negotiateVersion(request, reply, done);
        },
        (err: unknown) => done(err as Error),
      );
  };
}
