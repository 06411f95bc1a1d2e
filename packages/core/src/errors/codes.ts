/**
 * The closed set of error codes every Stratus service speaks. Adapters translate their
 * backend's failures (SQL, AMQP, OVSDB, librbd, libvirt) into one of these at their edge;
 * the http kit maps each code to one HTTP status and the service's own fault body.
 */
export const ERROR_CODES = [
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "not_acceptable",
  "conflict",
  "payload_too_large",
  "range_not_satisfiable",
  "unsupported_media_type",
  "over_quota",
  "no_valid_host",
  "timeout",
  "backend_unavailable",
  "not_implemented",
  "internal",
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** True when `value` is one of the closed set of codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && (ERROR_CODES as readonly string[]).includes(value);
}
