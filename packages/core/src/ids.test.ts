import { describe, expect, it } from "vitest";
import { isRequestId, isUuidLike, newHexId, newRequestId, newUuid, toDashedUuid } from "./ids.js";

describe("ids", () => {
  it.each([
    [
      "a new UUID is in the dashed form",
      newUuid(),
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    ],
    ["a new hex id is 32 lowercase hex digits", newHexId(), /^[0-9a-f]{32}$/],
    ["a new request id is req- and a UUID", newRequestId(), /^req-[0-9a-f-]{36}$/],
  ])("%s", (_name, value, pattern) => {
    expect(value).toMatch(pattern);
  });

  it.each([
    ["the dashed form", "3FA85F64-5717-4562-B3FC-2C963F66AFA6", true],
    ["the hex form", "3fa85f6457174562b3fc2c963f66afa6", true],
    ["a name", "admin", false],
    ["a UUID with one digit missing", "3fa85f64-5717-4562-b3fc-2c963f66afa", false],
  ])("recognises %s as UUID-like: %s", (_name, value, expected) => {
    expect(isUuidLike(value)).toBe(expected);
  });

  it("dashes a hex id and lowercases a dashed one", () => {
    expect(toDashedUuid("3fa85f6457174562b3fc2c963f66afa6")).toBe("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    expect(toDashedUuid("3FA85F64-5717-4562-B3FC-2C963F66AFA6")).toBe("3fa85f64-5717-4562-b3fc-2c963f66afa6");
    expect(() => toDashedUuid("nope")).toThrow(TypeError);
  });

  it("accepts only well-formed request ids", () => {
    expect(isRequestId(newRequestId())).toBe(true);
    expect(isRequestId("req-<script>")).toBe(false);
  });
});
