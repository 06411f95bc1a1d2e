import { describe, expect, it } from "vitest";
import { KeyedMutex, timestamp } from "./context.js";

describe("KeyedMutex", () => {
  it("runs functions of one key one at a time in arrival order, and other keys alongside", async () => {
    const m = new KeyedMutex();
    const log: string[] = [];
    const step = (name: string, ms: number) => async () => {
      log.push(`${name}:start`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`${name}:end`);
      return name;
    };
    const results = await Promise.all([
      m.run("a", step("a1", 20)),
      m.run("a", step("a2", 1)),
      m.run("b", step("b1", 1)),
    ]);
    expect(results).toEqual(["a1", "a2", "b1"]);
    expect(log.indexOf("a1:end")).toBeLessThan(log.indexOf("a2:start"));
    expect(log.indexOf("b1:end")).toBeLessThan(log.indexOf("a1:end"));
  });

  it("keeps going after a function throws, handing the error only to its caller", async () => {
    const m = new KeyedMutex();
    const failed = m.run("k", async () => {
      throw new Error("boom");
    });
    const next = m.run("k", async () => "ok");
    await expect(failed).rejects.toThrow("boom");
    await expect(next).resolves.toBe("ok");
  });
});

describe("timestamp", () => {
  it("renders RFC 3339 without fractional seconds, as Neutron does", () => {
    expect(timestamp(new Date("2026-01-02T03:04:05.678Z"))).toBe("2026-01-02T03:04:05Z");
  });
});
