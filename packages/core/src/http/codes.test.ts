import { describe, expect, it } from "vitest";
import type { ErrorCode } from "../errors/index.js";
import { authed, testApp } from "./fixture.test.js";

// [code, keystone status, nova status/key, neutron status/type, cinder status]
const table: Array<[ErrorCode, number, number, string, number, string, number]> = [
  ["bad_request", 400, 400, "badRequest", 400, "BadRequest", 400],
  ["unauthorized", 401, 401, "unauthorized", 401, "HTTPUnauthorized", 401],
  ["forbidden", 403, 403, "forbidden", 403, "NotAuthorized", 403],
  ["not_found", 404, 404, "itemNotFound", 404, "NotFound", 404],
  ["method_not_allowed", 405, 405, "badMethod", 405, "HTTPMethodNotAllowed", 405],
  ["not_acceptable", 406, 406, "computeFault", 406, "HTTPNotAcceptable", 406],
  ["conflict", 409, 409, "conflictingRequest", 409, "Conflict", 409],
  ["payload_too_large", 413, 413, "overLimit", 413, "HTTPRequestEntityTooLarge", 413],
  ["range_not_satisfiable", 416, 416, "computeFault", 416, "HTTPRequestRangeNotSatisfiable", 416],
  ["unsupported_media_type", 400, 415, "badMediaType", 415, "HTTPUnsupportedMediaType", 415],
  ["over_quota", 403, 403, "forbidden", 409, "OverQuota", 413],
  ["no_valid_host", 400, 400, "badRequest", 400, "BadRequest", 400],
  ["timeout", 504, 504, "computeFault", 504, "HTTPGatewayTimeout", 504],
  ["backend_unavailable", 503, 503, "serviceUnavailable", 503, "ServiceUnavailable", 503],
  ["not_implemented", 501, 501, "notImplemented", 501, "NotImplementedError", 501],
];

describe("a StratusError of each code thrown by a handler", () => {
  it.each(table)(
    "%s maps to Keystone %i, Nova %i %s, Neutron %i %s and Cinder %i with the handler's message",
    async (code, ks, nova, novaKey, neutron, neutronType, cinder) => {
      const get = (service: "identity" | "compute" | "network" | "block") =>
        testApp(service).inject({ method: "GET", url: `/errors/${code}`, headers: authed() });
      const message = `It went ${code}.`;

      const k = await get("identity");
      expect([k.statusCode, k.json()]).toEqual([ks, { error: { code: ks, title: expect.any(String), message } }]);
      const n = await get("compute");
      expect([n.statusCode, n.json()]).toEqual([nova, { [novaKey]: { code: nova, message } }]);
      const q = await get("network");
      const key = code === "not_implemented" ? "NotImplementedError" : "NeutronError";
      expect([q.statusCode, q.json()]).toEqual([neutron, { [key]: { type: neutronType, message, detail: "" } }]);
      const c = await get("block");
      expect(c.statusCode).toBe(cinder);
    },
  );

  it("sends Nova's retryAfter in the body and Retry-After header for a 413 that knows it", async () => {
    const { novaFaults } = await import("./formatters/nova.js");
    const rendered = novaFaults.render(
      {
        code: "over_quota",
        status: 413,
        title: "Request Entity Too Large",
        message: "Quota exceeded",
        details: { retryAfter: 0 },
        fromHttpLayer: false,
      },
      { method: "POST", accept: undefined, contentType: undefined, requestId: "req-x", microversion: null },
    );
    expect(JSON.parse(rendered.body)).toEqual({ overLimit: { code: 413, message: "Quota exceeded", retryAfter: "0" } });
    expect(rendered.headers).toEqual({ "retry-after": "0" });
  });

  it("uses a Neutron exception type the service names in details", async () => {
    const { neutronFaults } = await import("./formatters/neutron.js");
    const rendered = neutronFaults.render(
      {
        code: "not_found",
        status: 404,
        title: "Not Found",
        message: "Network n1 could not be found.",
        details: { type: "NetworkNotFound" },
        fromHttpLayer: false,
      },
      { method: "GET", accept: undefined, contentType: undefined, requestId: "req-x", microversion: null },
    );
    expect(JSON.parse(rendered.body)).toEqual({
      NeutronError: { type: "NetworkNotFound", message: "Network n1 could not be found.", detail: "" },
    });
  });
});
