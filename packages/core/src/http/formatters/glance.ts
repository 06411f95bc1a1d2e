/**
 * Glance raises plain webob HTTP errors with the message as their explanation, so the body is
 * whatever webob renders for the `Accept` header: JSON `{"message", "code": "404 Not Found",
 * "title"}` (message still carrying webob's `<br />`), an HTML page, or plain text. Glance raises
 * its 416 with the message as webob's `detail`, under webob's own explanation.
 */
import type { Fault, FaultRequest } from "../fault.js";
import { explanationFor } from "../status-table.js";
import { webobBody, webobHtml, webobPlain, webobRendering } from "../webob.js";
import { type FaultFormatter, JSON_TYPE } from "./types.js";

export const glanceFaults: FaultFormatter = {
  render(fault: Fault, request: FaultRequest) {
    const statusLine = `${fault.status} ${fault.title}`;
    const asDetail = fault.status === 416; // HTTPRequestRangeNotSatisfiable(msg): positional = detail
    const explanation = asDetail ? explanationFor(fault.status) : fault.message;
    const detail = asDetail ? fault.message : "";
    switch (webobRendering(request.accept)) {
      case "json": {
        const body = {
          message: webobBody(fault.status, explanation, detail, request),
          code: statusLine,
          title: fault.title,
        };
        return { contentType: JSON_TYPE, body: JSON.stringify(body), headers: {} };
      }
      case "html":
        return {
          contentType: "text/html; charset=UTF-8",
          body: webobHtml(statusLine, explanation, detail, fault.status, request),
          headers: {},
        };
      case "plain":
        return {
          contentType: "text/plain; charset=UTF-8",
          body: webobPlain(statusLine, explanation, detail, fault.status, request),
          headers: {},
        };
    }
  },
};
