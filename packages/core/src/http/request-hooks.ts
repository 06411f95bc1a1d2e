/**
 * The kit's one onRequest hook: request id headers, global request id, drain check, token
 * authentication (before anything else, as keystonemiddleware sits first), then microversion
 * negotiation and the route's version bounds. Written as a callback hook: it is the hot path.
 */
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from "fastify";
import { isRequestId } from "../ids.js";
import type { Authenticator } from "./context.js";
import { tokenRejection } from "./error-handler.js";
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

type Bounds = { readonly min: Microversion | null; readonly max: Microversion | null };
const boundsCache = new WeakMap<object, Bounds>();

function routeBounds(config: { microversion?: { min?: string; max?: string } }): Bounds {
  const spec = config.microversion;
  if (spec === undefined) return { min: null, max: null };
  let bounds = boundsCache.get(spec);
  if (bounds === undefined) {
    bounds = {
      min: spec.min === undefined ? null : Microversion.of(spec.min),
      max: spec.max === undefined ? null : Microversion.of(spec.max),
    };
    boundsCache.set(spec, bounds);
  }
  return bounds;
}

/** Builds the onRequest hook for one app. */
export function requestHook(settings: RequestHookSettings) {
  const { profile, messages, range, authenticator } = settings;
  const fixedHeaders: Record<string, string> = {};
  if (profile.vary.length > 0) fixedHeaders["vary"] = profile.vary.join(", ");

  function negotiateVersion(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    const config = request.routeOptions.config;
    if (range === undefined || config.unversioned === true) return done();
    const result = negotiate(request.headers, range);
    if (!result.ok) {
      const min = range.min.toString();
      const max = range.max.toString();
      const err =
        result.reason === "invalid"
          ? httpLayerError("bad_request", messages.invalidVersion(result.requested))
          : httpLayerError("not_acceptable", messages.versionNotAcceptable(result.requested, min, max), {
              details: { minVersion: min, maxVersion: max },
            });
      return done(err);
    }
    request.microversion = result.version;
    const headers = versionHeaders(range, result.version);
    if (profile.vary.length > 0) headers["vary"] = `${profile.vary.join(", ")}, ${headers["vary"] ?? ""}`;
    reply.headers(headers);
    const { min, max } = routeBounds(config);
    if ((min !== null && !result.version.atLeast(min)) || (max !== null && !result.version.atMost(max))) {
      return done(httpLayerError("not_found", messages.routeNotFound));
    }
    done();
  }

  return function onRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
    reply.header("x-openstack-request-id", request.id);
    for (const name of profile.compatRequestIdHeaders) reply.header(name, request.id);
    if (fixedHeaders["vary"] !== undefined) reply.header("vary", fixedHeaders["vary"]);
    const incoming = request.headers["x-openstack-request-id"];
    if (typeof incoming === "string" && isRequestId(incoming)) {
      request.globalRequestId = incoming;
      request.log = request.log.child({ global_request_id: incoming });
    }
    if (settings.isClosing()) {
      reply.header("connection", "close");
      return done(httpLayerError("backend_unavailable", messages.shuttingDown));
    }
    if (request.routeOptions.config.public === true) return negotiateVersion(request, reply, done);
    if (authenticator === undefined) return done(tokenRejection());
    authenticator
      .authenticate({ headers: request.headers, requestId: request.id, globalRequestId: request.globalRequestId })
      .then(
        (context) => {
          if (context === null) return done(tokenRejection());
          request.auth = context;
          negotiateVersion(request, reply, done);
        },
        (err: unknown) => done(err as Error),
      );
  };
}
