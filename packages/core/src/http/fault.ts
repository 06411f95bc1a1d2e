/**
 * A fault is a StratusError resolved for one service: its status (from the one table), title and
 * message, ready for that service's formatter.
 */
import { type ErrorCode, StratusError, type StratusErrorOptions } from "../errors/index.js";
import type { Microversion } from "./microversion.js";
import type { ServiceName } from "./service-profile.js";
import { statusFor, titleFor } from "./status-table.js";
import type { WebobRequest } from "./webob.js";

export interface Fault {
  /** The Stratus error code. */
  readonly code: ErrorCode;
  /** The HTTP status, from the status table for this service. */
  readonly status: number;
  /** The reason phrase of the status (`"Not Found"`). */
  readonly title: string;
  /** The client-safe message. */
  readonly message: string;
  /** Extra facts for the body: `type` (Neutron/Heat exception name), `errorCode` (Placement), `retryAfter`. */
  readonly details: Readonly<Record<string, unknown>>;
  /** True when the HTTP layer raised it (bad JSON, unknown route), not the service's own code. */
  readonly fromHttpLayer: boolean;
}

/** What a formatter may read from the request that failed. */
export interface FaultRequest extends WebobRequest {
  /** Our request id (`req-<uuid>`). */
  readonly requestId: string;
  /** The negotiated microversion, or null (no microversions, or negotiation itself failed). */
  readonly microversion: Microversion | null;
}

/** A fault rendered as the service sends it. */
export interface RenderedFault {
  /** The Content-Type of `body`. */
  readonly contentType: string;
  /** The serialized body. */
  readonly body: string;
  /** Extra headers the service sends with this fault (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;
}

const httpLayerErrors = new WeakSet<StratusError>();

/** A StratusError raised by the HTTP layer itself; formatters may name it like webob would (`HTTPBadRequest`). */
export function httpLayerError(code: ErrorCode, message: string, options?: StratusErrorOptions): StratusError {
  const err = new StratusError(code, message, options);
  httpLayerErrors.add(err);
  return err;
}

/** Resolves an error for `service`; pure, never throws. */
export function toFault(err: StratusError, service: ServiceName): Fault {
  const status = statusFor(err.code, service);
  return {
    code: err.code,
    status,
    title: titleFor(status),
    message: err.message,
    details: err.details,
    fromHttpLayer: httpLayerErrors.has(err),
  };
}

/** The exception class name a webob HTTP error of this status has (`HTTPNotFound`). */
export function webobClassName(fault: Fault): string {
  if (fault.status === 413) return "HTTPRequestEntityTooLarge";
  return `HTTP${fault.title.replaceAll(" ", "")}`;
}

/** A string detail of the fault, if the service put one there. */
export function detailString(fault: Fault, key: string): string | undefined {
  const value = fault.details[key];
  return typeof value === "string" ? value : undefined;
}
