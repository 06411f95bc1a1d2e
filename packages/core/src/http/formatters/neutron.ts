/**
 * Neutron (neutron/api/api_common.py convert_exception_to_http_exc):
 * `{"NeutronError": {"type", "message", "detail"}}`, `type` being the exception's class name;
 * a NotImplementedError is keyed `NotImplementedError` instead.
 */
import type { ErrorCode } from "../../errors/index.js";
import { detailString, type Fault, webobClassName } from "../fault.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

/** neutron-lib's exception class for each code, used when the service names none. */
const TYPES: Readonly<Partial<Record<ErrorCode, string>>> = {
  bad_request: "BadRequest",
  forbidden: "NotAuthorized",
  not_found: "NotFound",
  conflict: "Conflict",
  over_quota: "OverQuota",
  no_valid_host: "BadRequest",
  backend_unavailable: "ServiceUnavailable",
  not_implemented: "NotImplementedError",
};

export const neutronFaults: FaultFormatter = {
  render(fault: Fault) {
    const type =
      detailString(fault, "type") ??
      (fault.fromHttpLayer || fault.code === "internal"
        ? webobClassName(fault)
        : (TYPES[fault.code] ?? webobClassName(fault)));
    const key = fault.code === "not_implemented" ? "NotImplementedError" : "NeutronError";
    const body = { [key]: { type, message: fault.message, detail: detailString(fault, "detail") ?? "" } };
    return { contentType: JSON_TYPE, body: JSON.stringify(body), headers: {} };
  },
};
