import pino from "pino";
import { describe, expect, it } from "vitest";
import { runBusContract } from "./contract.js";
import { createInProcessBus, InProcessBroker } from "./in-process.js";

const logger = pino({ level: "silent" });
const broker = new InProcessBroker();

runBusContract("in-process", () => createInProcessBus({ broker, logger }));

describe("in-process transport", () => {
  it("buses on different brokers do not see each other", async () => {
    const [a, b] = [createInProcessBus({ logger }), createInProcessBus({ logger })];
    await a.serve({ topic: "isolated" }, { ping: () => "pong" });
    await expect(b.call({ topic: "isolated" }, "ping", {}, { timeoutMs: 100 })).rejects.toMatchObject({
      code: "timeout",
    });
    await Promise.all([a.close(), b.close()]);
  });

  it("delivers asynchronously: the handler never runs inside call()", async () => {
    const bus = createInProcessBus({ logger });
    let inside = true;
    let ranInside: boolean | undefined;
    await bus.serve(
      { topic: "async" },
      {
        go: () => {
          ranInside = inside;
        },
      },
    );
    const reply = bus.call({ topic: "async" }, "go", {}, { timeoutMs: 1_000 });
    inside = false;
    await reply;
    expect(ranInside).toBe(false);
    await bus.close();
  });
});
