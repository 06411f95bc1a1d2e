/**
 * Placement (placement/util.py json_error_formatter): `{"errors": [{"status", "title", "detail",
 * "code", "request_id"}]}`; `detail` is webob's stripped body, `code` appears from microversion 1.23,
 * and a 406 from version negotiation adds `max_version` / `min_version`.
 */
import { detailString, type Fault, type FaultRequest } from "../fault.js";
import { explanationFor } from "../status-table.js";
import { stripTags, webobBody } from "../webob.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

/** The code Placement reports when an error has no specific one. */
export const PLACEMENT_DEFAULT_ERROR_CODE = "placement.undefined_code";

export const placementFaults: FaultFormatter = {
  render(fault: Fault, request: FaultRequest) {
    const error: Record<string, unknown> = {
      status: fault.status,
      title: fault.title,
      detail: stripTags(webobBody(fault.status, explanationFor(fault.status), fault.message, request)),
    };
    if (request.microversion?.atLeast("1.23")) {
      error["code"] = detailString(fault, "errorCode") ?? PLACEMENT_DEFAULT_ERROR_CODE;
    }
    error["request_id"] = request.requestId;
    const max = detailString(fault, "maxVersion");
    const min = detailString(fault, "minVersion");
    if (fault.status === 406 && request.microversion === null && max !== undefined && min !== undefined) {
      error["max_version"] = max;
      error["min_version"] = min;
    }
    return { contentType: JSON_TYPE, body: JSON.stringify({ errors: [error] }), headers: {} };
  },
};
