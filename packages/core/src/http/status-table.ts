/**
 * THE table: every HTTP status the kit sends for an error comes from here. Each error code has
 * one status, with per-service exceptions where the real service answers differently.
 * Nothing else in `http/` writes an error status number.
 */
import type { ErrorCode } from "../errors/index.js";
import type { ServiceName } from "./service-profile.js";

/** The status most OpenStack services send for each code. */
const DEFAULT_STATUS: Readonly<Record<ErrorCode, number>> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  conflict: 409,
  payload_too_large: 413,
  range_not_satisfiable: 416,
  unsupported_media_type: 415,
  over_quota: 409, // Neutron's OverQuota and Placement's capacity errors are Conflicts
  no_valid_host: 400, // Nova migrate/evacuate and Cinder retype turn NoValidHost into HTTPBadRequest
  timeout: 504,
  backend_unavailable: 503,
  not_implemented: 501,
  internal: 500,
};

/** Where a service departs from the default, with the source of the fact. */
const SERVICE_STATUS: Readonly<Partial<Record<ServiceName, Partial<Record<ErrorCode, number>>>>> = {
  // Keystone: a non-JSON body is a ValidationError (400); credential/app-credential limits are 403.
  identity: { unsupported_media_type: 400, over_quota: 403 },
  // Nova: OverQuota -> HTTPForbidden in every controller.
  compute: { over_quota: 403 },
  // Cinder: QuotaError.code = 413 (with Retry-After: 0).
  block: { over_quota: 413 },
  // Glance: StorageQuotaFull / LimitExceeded -> HTTPRequestEntityTooLarge.
  image: { over_quota: 413 },
  // Heat fault.py error_map: RequestLimitExceeded (body too large, too many stacks) -> HTTPBadRequest.
  orchestration: { payload_too_large: 400, over_quota: 400 },
};

/** The HTTP status for an error code as `service` sends it. Pure; never throws. */
export function statusFor(code: ErrorCode, service: ServiceName): number {
  return SERVICE_STATUS[service]?.[code] ?? DEFAULT_STATUS[code];
}

/** Reason phrases as webob and Python's http.client spell them (Keystone and Heat put them in bodies). */
const TITLES: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  413: "Request Entity Too Large",
  415: "Unsupported Media Type",
  416: "Request Range Not Satisfiable", // webob's (http.client says "Requested ...")
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The reason phrase for a status (`"Not Found"`); `"Internal Server Error"` for unknown ones. */
export function titleFor(status: number): string {
  return TITLES[status] ?? "Internal Server Error";
}

/** webob's explanations (raw, with its `\r\n`), which Placement, Glance and Heat bodies embed. */
const EXPLANATIONS: Readonly<Record<number, string>> = {
  400: "The server could not comply with the request since\r\nit is either malformed or otherwise incorrect.\r\n",
  401:
    "This server could not verify that you are authorized to\r\naccess the document you requested.  Either you supplied the\r\n" +
    "wrong credentials (e.g., bad password), or your browser\r\ndoes not understand how to supply the credentials required.\r\n",
  403: "Access was denied to this resource.",
  404: "The resource could not be found.",
  409: "There was a conflict when trying to complete your request.",
  413: "The body of your request was too large for this server.",
  416: "The Range requested is not available.",
  429: "The client has sent too many requests in a given amount of time",
  500: "The server has either erred or is incapable of performing\r\nthe requested operation.\r\n",
  503: "The server is currently unavailable. Please try again at a later time.",
  504: "The gateway has timed out.",
};

/** webob's explanation for a status, `""` where webob uses a custom template instead (405, 406, 415, 501). */
export function explanationFor(status: number): string {
  return EXPLANATIONS[status] ?? "";
}

/** Success statuses the kit itself sends (version documents answer 300 where the service does). */
export const SUCCESS_STATUS = { ok: 200, noContent: 204, multipleChoices: 300 } as const;
