import pino from "pino";
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { notFound } from "../errors/index.js";
import { defineRpcApi, rpcClient, serveRpcApi } from "./api.js";
import { createInProcessBus } from "./in-process.js";

const computeApi = defineRpcApi("compute", {
  build: {
    request: z.object({ uuid: z.string(), flavor: z.string().default("m1.small") }),
    response: z.object({ state: z.enum(["building", "error"]), at: z.string().transform((s) => new Date(s)) }),
  },
  stop: { request: z.object({ uuid: z.string() }), response: z.null() },
});

const logger = pino({ level: "silent" });

async function world() {
  const bus = createInProcessBus({ logger });
  const calls: unknown[] = [];
  await serveRpcApi(
    bus,
    computeApi,
    {
      build: (request, context) => {
        calls.push([request, context.method]);
        if (request.uuid === "missing") throw notFound(`Instance ${request.uuid} could not be found.`);
        return { state: "building" as const, at: "2024-01-01T00:00:00.000Z" };
      },
      stop: () => null,
    },
    { server: "host1" },
  );
  return { bus, calls, client: rpcClient(bus, computeApi) };
}

describe("typed RPC APIs", () => {
  it("a call is typed end to end and the reply goes through its schema", async () => {
    const { bus, calls, client } = await world();
    const reply = await client.call("build", { uuid: "i-1" }, { timeoutMs: 1_000, server: "host1" });
    expectTypeOf(reply).toEqualTypeOf<{ state: "building" | "error"; at: Date }>();
    expect(reply.at).toBeInstanceOf(Date);
    expect(calls).toEqual([[{ uuid: "i-1", flavor: "m1.small" }, "build"]]);
    await bus.close();
  });

  it.each([
    ["a request that fails its schema is answered with bad_request", { uuid: 42 }, "bad_request"],
    ["a handler's StratusError reaches the typed caller", { uuid: "missing" }, "not_found"],
  ])("%s", async (_name, request, code) => {
    const { bus, client } = await world();
    const call = client.call("build", request as { uuid: string }, { timeoutMs: 1_000, server: "host1" });
    await expect(call).rejects.toMatchObject({ code });
    await bus.close();
  });

  it("a reply that does not match its schema rejects with internal", async () => {
    const bus = createInProcessBus({ logger });
    await bus.serve({ topic: "compute" }, { stop: () => "not null" });
    const error = await rpcClient(bus, computeApi)
      .call("stop", { uuid: "i" }, { timeoutMs: 1_000 })
      .catch((e) => e);
    expect(error).toMatchObject({ code: "internal" });
    await bus.close();
  });

  it("a typed cast reaches the server", async () => {
    const { bus, calls, client } = await world();
    await client.cast("build", { uuid: "i-2", flavor: "m1.large" }, { server: "host1" });
    await expect.poll(() => calls.length).toBe(1);
    await bus.close();
  });

  it("the compiler refuses unknown methods and wrong payloads", () => {
    const client = rpcClient(createInProcessBus({ logger }), computeApi);
    expectTypeOf(client.call).parameter(0).toEqualTypeOf<"build" | "stop">();
    // @ts-expect-error: `uuid` must be a string
    void (() => client.call("stop", { uuid: 1 }, { timeoutMs: 1 }));
  });
});

describe("serveRpcApi with a server name", () => {
  it("takes calls sent to the topic at large as well as those naming it, as oslo.messaging servers do", async () => {
    const bus = createInProcessBus();
    const api = defineRpcApi("scheduler", {
      ping: { request: z.object({}), response: z.object({ host: z.string() }) },
    });
    const consumer = await serveRpcApi(bus, api, { ping: () => ({ host: "host1" }) }, { server: "host1" });
    const client = rpcClient(bus, api);
    await expect(client.call("ping", {}, { timeoutMs: 1_000 })).resolves.toEqual({ host: "host1" });
    await expect(client.call("ping", {}, { timeoutMs: 1_000, server: "host1" })).resolves.toEqual({ host: "host1" });
    await consumer.stop();
    await expect(client.call("ping", {}, { timeoutMs: 100 })).rejects.toMatchObject({ code: "timeout" });
    await bus.close();
  });
});
