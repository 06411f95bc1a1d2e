/** The RPC half of the bus contract (call, cast, serve, close). See `contract.ts`. */
import { expect, it } from "vitest";
import { badRequest, conflict, forbidden, notFound, StratusError } from "../errors/index.js";
import { type ContractKit, sleep, waitUntil } from "./contract-kit.js";

const ECHO = { echo: (payload: unknown) => payload };

/** Registers the RPC tests of the bus contract. */
export function rpcContract(kit: ContractKit): void {
  it.each([
    ["an object comes back as an equal object", { id: "a", n: 1, nested: { list: [1, 2] } }, undefined],
    ["a string comes back as the same string", "hello", undefined],
    ["null comes back as null", null, undefined],
    ["a Date crosses the bus as its ISO string", new Date(0), "1970-01-01T00:00:00.000Z"],
  ])("a call round trip: %s", async (_name, payload, expected) => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    await bus.serve(target, ECHO);
    const reply = await bus.call(target, "echo", payload, { timeoutMs: 5_000 });
    expect(reply).toEqual(expected ?? payload);
  });

  it.each([
    ["a not_found thrown by the handler rejects the caller with not_found", notFound("No instance x."), false],
    [
      "a conflict keeps its details and retryable flag",
      conflict("Busy.", { details: { a: 1 }, retryable: true }),
      false,
    ],
    ["a bad_request keeps its message", badRequest("Flavor m1.huge is not valid."), false],
    ["a forbidden from an async handler rejects with forbidden", forbidden("No."), true],
  ])("%s", async (_name, expected, async) => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    await bus.serve(target, {
      go: () => {
        if (async) return Promise.reject(expected);
        throw expected;
      },
    });
    const error = await bus.call(target, "go", {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(StratusError.is(error)).toBe(true);
    expect(error).toMatchObject({
      code: expected.code,
      message: expected.message,
      details: expected.details,
      retryable: expected.retryable,
    });
  });

  it.each([
    [
      "a TypeError in a handler reaches the caller as internal without its text",
      { go: () => Promise.reject(new TypeError("secret is null")) },
      "internal",
    ],
    ["an unknown method is answered with not_implemented", {}, "not_implemented"],
  ])("%s", async (_name, handlers, code) => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    await bus.serve(target, handlers);
    const error = await bus.call(target, "go", {}, { timeoutMs: 5_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).not.toContain("secret");
  });

  it.each([
    ["a call to a topic nobody serves times out", false],
    ["a call to a handler slower than the timeout times out", true],
  ])("%s", async (_name, served) => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    if (served) await bus.serve(target, { slow: () => sleep(2_000) });
    const started = Date.now();
    const error = await bus.call(target, "slow", {}, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it("a cast is delivered exactly once, to one of the two servers of its topic", async () => {
    const [a, b, client] = [await kit.bus(), await kit.bus(), await kit.bus()];
    const target = { topic: kit.topic() };
    const seen: Array<[string, unknown]> = [];
    await a.serve(target, { note: (payload) => void seen.push(["a", payload]) });
    await b.serve(target, { note: (payload) => void seen.push(["b", payload]) });
    for (let i = 0; i < 20; i += 1) await client.cast(target, "note", i);
    await waitUntil(() => seen.length >= 20, "20 casts arrived");
    await sleep(200);
    const payloads = seen.map(([, payload]) => payload).sort((x, y) => Number(x) - Number(y));
    expect(payloads).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it("a cast waits in its topic's queue until a server comes back", async () => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    const first = await bus.serve(target, {});
    await first.stop();
    await bus.cast(target, "later", "queued");
    const seen: unknown[] = [];
    await bus.serve(target, { later: (payload) => void seen.push(payload) });
    await waitUntil(() => seen.length === 1, "the queued cast arrived");
    expect(seen).toEqual(["queued"]);
  });

  it("a cast to a target no server ever declared rejects with backend_unavailable", async () => {
    const bus = await kit.bus();
    const error = await bus.cast({ topic: kit.topic() }, "x", {}).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "backend_unavailable" });
  });

  it("a call to a specific server reaches only that server", async () => {
    const bus = await kit.bus();
    const topic = kit.topic();
    for (const server of ["host1", "host2.example.org"]) {
      await bus.serve({ topic, server }, { whoami: () => server });
    }
    await bus.serve({ topic }, { whoami: () => "any" });
    for (let i = 0; i < 10; i += 1) {
      const reply = await bus.call({ topic, server: "host2.example.org" }, "whoami", {}, { timeoutMs: 5_000 });
      expect(reply).toBe("host2.example.org");
    }
    expect(await bus.call({ topic }, "whoami", {}, { timeoutMs: 5_000 })).toBe("any");
  });

  it("200 concurrent calls each get their own reply", async () => {
    const [server, client] = [await kit.bus(), await kit.bus()];
    const target = { topic: kit.topic() };
    await server.serve(target, {
      double: async (n) => {
        await sleep(Math.floor(Math.random() * 20));
        return (n as number) * 2;
      },
    });
    const inputs = Array.from({ length: 200 }, (_, i) => i);
    const replies = await Promise.all(inputs.map((n) => client.call(target, "double", n, { timeoutMs: 10_000 })));
    expect(replies).toEqual(inputs.map((n) => n * 2));
  });

  it("close() rejects pending calls at once, is idempotent, and later calls reject", async () => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    await bus.serve(target, { hang: () => new Promise(() => {}) });
    const pending = bus.call(target, "hang", {}, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    await sleep(100);
    const started = Date.now();
    await Promise.all([bus.close(), bus.close()]);
    await bus.close();
    expect(await pending).toMatchObject({ code: "backend_unavailable", retryable: false });
    expect(Date.now() - started).toBeLessThan(2_000);
    const later = await bus.call(target, "hang", {}, { timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(later).toMatchObject({ code: "backend_unavailable" });
  });

  it("a stopped server takes no more calls, and stop() is idempotent", async () => {
    const bus = await kit.bus();
    const target = { topic: kit.topic() };
    const served = await bus.serve(target, ECHO);
    await Promise.all([served.stop(), served.stop()]);
    const error = await bus.call(target, "echo", 1, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "timeout" });
  });

  it.each([
    ["a topic with a dot", { topic: "compute.host1" }],
    ["an empty topic", { topic: "" }],
    ["a server with a wildcard", { topic: "compute", server: "host*" }],
  ])("a call to %s rejects with bad_request", async (_name, target) => {
    const bus = await kit.bus();
    const error = await bus.call(target, "x", {}, { timeoutMs: 100 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "bad_request" });
  });
}
