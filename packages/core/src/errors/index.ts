/**
 * Errors as a closed set of codes, each with a cause.
 *
 * ```ts
 * import { notFound, StratusError } from "@stratus/core/errors";
 * throw notFound(`Project ${id} could not be found.`, { cause: sqlError });
 * ```
 */
import type { ErrorCode } from "./codes.js";
import { StratusError, type StratusErrorOptions } from "./stratus-error.js";

export { ERROR_CODES, type ErrorCode, isErrorCode } from "./codes.js";
export { StratusError, type StratusErrorOptions } from "./stratus-error.js";

const make =
  (code: ErrorCode) =>
  (message: string, options?: StratusErrorOptions): StratusError =>
    new StratusError(code, message, options);

export const badRequest = make("bad_request");
export const unauthorized = make("unauthorized");
export const forbidden = make("forbidden");
export const notFound = make("not_found");
export const methodNotAllowed = make("method_not_allowed");
export const notAcceptable = make("not_acceptable");
export const conflict = make("conflict");
export const payloadTooLarge = make("payload_too_large");
/** A `Range` the resource cannot serve (HTTP 416). */
export const rangeNotSatisfiable = make("range_not_satisfiable");
export const unsupportedMediaType = make("unsupported_media_type");
export const overQuota = make("over_quota");
export const noValidHost = make("no_valid_host");
export const timeout = make("timeout");
export const backendUnavailable = make("backend_unavailable");
export const notImplemented = make("not_implemented");
export const internal = make("internal");

/**
 * Turns anything thrown into a StratusError: StratusErrors pass through, anything else becomes
 * `internal` with the original as its cause (so a bug is never mistaken for a client error).
 */
export function toStratusError(thrown: unknown): StratusError {
  if (StratusError.is(thrown)) return thrown;
  return new StratusError("internal", "An unexpected error occurred.", { cause: thrown });
}
