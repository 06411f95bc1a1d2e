import { describe, expect, it } from "vitest";
import { conflict, ERROR_CODES, isErrorCode, notFound, StratusError, toStratusError } from "./index.js";

describe("errors", () => {
  it.each([
    ["a helper creates an error with its code and message", () => notFound("no such project"), "not_found"],
    ["a conflict keeps its code", () => conflict("name taken"), "conflict"],
  ])("%s", (_name, make, code) => {
    const err = make();
    expect(err).toBeInstanceOf(StratusError);
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(false);
  });

  it("keeps the cause for logs and the details for fault bodies", () => {
    const cause = new Error("SQLITE_CONSTRAINT");
    const err = conflict("duplicate", { cause, details: { field: "name" }, retryable: true });
    expect(err.cause).toBe(cause);
    expect(err.details).toEqual({ field: "name" });
    expect(err.retryable).toBe(true);
  });

  it("wraps a foreign error as internal, never as a client error", () => {
    const boom = new TypeError("x is undefined");
    const err = toStratusError(boom);
    expect(err.code).toBe("internal");
    expect(err.cause).toBe(boom);
    expect(err.message).not.toContain("undefined");
  });

  it("passes a StratusError through unchanged", () => {
    const err = notFound("gone");
    expect(toStratusError(err)).toBe(err);
  });

  it("recognises only the closed set of codes", () => {
    expect(ERROR_CODES.every(isErrorCode)).toBe(true);
    expect(isErrorCode("teapot")).toBe(false);
  });
});
