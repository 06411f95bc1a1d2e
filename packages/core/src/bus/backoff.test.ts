import { describe, expect, it } from "vitest";
import { backoffDelay, DEFAULT_BACKOFF } from "./backoff.js";

describe("reconnect backoff", () => {
  it.each([
    ["the first retry waits the initial delay", 1, 0, 100],
    ["each retry doubles the delay", 4, 0, 800],
    ["the delay never exceeds the maximum", 30, 0, 5_000],
    ["jitter shortens the delay by up to its fraction", 1, 0.999, 80],
  ])("%s", (_name, attempt, random, expected) => {
    expect(backoffDelay(attempt, DEFAULT_BACKOFF, () => random)).toBe(expected);
  });
});
