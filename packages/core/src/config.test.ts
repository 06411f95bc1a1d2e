import { describe, expect, it } from "vitest";
import { z } from "zod";
import { parseConfig } from "./config.js";
import { StratusError } from "./errors/index.js";

const Options = z.object({
  listen: z.object({ host: z.string().default("127.0.0.1"), port: z.number().int().min(1).max(65535) }),
  workers: z.number().int().positive().default(1),
});

describe("parseConfig", () => {
  it("returns the parsed value with defaults applied", () => {
    expect(parseConfig(Options, { listen: { port: 5000 } }, "identity options")).toEqual({
      listen: { host: "127.0.0.1", port: 5000 },
      workers: 1,
    });
  });

  it("reports every problem at once, each with its path", () => {
    let caught: unknown;
    try {
      parseConfig(Options, { listen: { port: 70000 }, workers: -2 }, "identity options");
    } catch (err) {
      caught = err;
    }
    expect(StratusError.is(caught)).toBe(true);
    const err = caught as StratusError;
    expect(err.code).toBe("bad_request");
    expect(err.message).toContain("Invalid identity options");
    expect(err.details.issues).toEqual([
      { path: "listen.port", message: expect.any(String) },
      { path: "workers", message: expect.any(String) },
    ]);
  });
});
