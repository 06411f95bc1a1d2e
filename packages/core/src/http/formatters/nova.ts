/**
 * Nova and Cinder (api/openstack/wsgi.py `Fault`): `{"<name>": {"code", "message"}}`, the name per
 * status from `_fault_names`, `computeFault` for any other; `retryAfter` on 413/429 when known.
 */
import type { Fault } from "../fault.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

const FAULT_NAMES: Readonly<Record<number, string>> = {
  400: "badRequest",
  401: "unauthorized",
  403: "forbidden",
  404: "itemNotFound",
  405: "badMethod",
  409: "conflictingRequest",
  413: "overLimit",
  415: "badMediaType",
  429: "overLimit",
  501: "notImplemented",
  503: "serviceUnavailable",
};

/** The key Nova's fault body uses for `status` (`itemNotFound`, `computeFault`, ...). */
export function novaFaultName(status: number): string {
  return FAULT_NAMES[status] ?? "computeFault";
}

export const novaFaults: FaultFormatter = {
  render(fault: Fault) {
    const inner: Record<string, unknown> = { code: fault.status, message: fault.message };
    const headers: Record<string, string> = {};
    const retry = fault.details["retryAfter"];
    if ((fault.status === 413 || fault.status === 429) && (typeof retry === "string" || typeof retry === "number")) {
      inner["retryAfter"] = String(retry);
      headers["retry-after"] = String(retry);
    }
    return { contentType: JSON_TYPE, body: JSON.stringify({ [novaFaultName(fault.status)]: inner }), headers };
  },
};
