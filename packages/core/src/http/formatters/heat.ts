/**
 * Heat (heat/api/middleware/fault.py FaultWrapper): `{"code", "title", "explanation",
 * "error": {"message", "type", "traceback"}}`; the traceback is only sent in debug mode, so null.
 */
import { detailString, type Fault, webobClassName } from "../fault.js";
import { explanationFor } from "../status-table.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

export const heatFaults: FaultFormatter = {
  render(fault: Fault) {
    const body = {
      code: fault.status,
      title: fault.title,
      explanation: explanationFor(fault.status),
      error: { message: fault.message, type: detailString(fault, "type") ?? webobClassName(fault), traceback: null },
    };
    return { contentType: JSON_TYPE, body: JSON.stringify(body), headers: {} };
  },
};
