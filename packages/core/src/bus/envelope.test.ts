import { describe, expect, it } from "vitest";
import { conflict } from "../errors/index.js";
import { decodeEvent, decodeReply, decodeRequest, encodeEnvelope, fromWireError, toWireError } from "./envelope.js";

describe("bus wire format v1", () => {
  it.each([
    ["a call request", { v: 1, kind: "call", id: "1", method: "build", payload: { uuid: "i" } }, decodeRequest],
    ["a cast request without payload", { v: 1, kind: "cast", id: "2", method: "poke" }, decodeRequest],
    ["a successful reply", { v: 1, id: "1", ok: true, result: [1, 2] }, decodeReply],
    [
      "a failed reply",
      { v: 1, id: "1", ok: false, error: { code: "conflict", message: "m", details: {}, retryable: true } },
      decodeReply,
    ],
    ["an event", { v: 1, id: "e", event: "a.b", timestamp: 5, payload: null }, decodeEvent],
  ] as const)("%s survives an encode/decode round trip", (_name, envelope, decode) => {
    expect(decode(encodeEnvelope(envelope as never))).toEqual(envelope);
  });

  it.each([
    ["text that is not JSON", "{", decodeRequest],
    ["another wire version", JSON.stringify({ v: 2, kind: "call", id: "1", method: "m" }), decodeRequest],
    [
      "an error code outside the closed set",
      JSON.stringify({ v: 1, id: "1", ok: false, error: { code: "teapot", message: "" } }),
      decodeReply,
    ],
    ["an event without a name", JSON.stringify({ v: 1, id: "e", timestamp: 1 }), decodeEvent],
  ])("decoding %s throws bad_request", (_name, body, decode) => {
    expect(() => decode(body)).toThrow(expect.objectContaining({ code: "bad_request" }));
  });

  it("encoding a payload that is not JSON throws bad_request", () => {
    const payload = { n: 1n };
    expect(() => encodeEnvelope({ v: 1, kind: "cast", id: "1", method: "m", payload })).toThrow(
      expect.objectContaining({ code: "bad_request" }),
    );
  });

  it.each([
    [
      "a StratusError keeps code, message, details and retryable",
      conflict("Busy.", { details: { a: 1 }, retryable: true }),
      "conflict",
      "Busy.",
    ],
    [
      "any other error becomes internal without its text",
      new RangeError("secret"),
      "internal",
      "An unexpected error occurred.",
    ],
  ])("%s across the wire", (_name, thrown, code, message) => {
    const rebuilt = fromWireError(toWireError(thrown), "compute.build");
    expect(rebuilt).toMatchObject({ code, message });
    if (code === "conflict") expect(rebuilt).toMatchObject({ details: { a: 1 }, retryable: true });
  });
});
