/**
 * The AMQP bus when its connection drops mid-traffic. A TCP proxy between client and broker is
 * cut (every connection killed, new ones refused) and healed, deterministically.
 */
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { sleep, waitUntil } from "../../src/bus/contract.js";
import { type AmqpBus, amqpUrlDialer, createAmqpBus } from "../../src/bus/index.js";
import { AMQP_URL, deleteAmqpTopology, describeWithRabbitMq, testLogger, uniquePrefix } from "./amqp-harness.js";
import { startTcpProxy, type TcpProxy } from "./tcp-proxy.js";

const prefix = uniquePrefix("resilience");
const buses: AmqpBus[] = [];
const backoff = { initialMs: 50, maxMs: 500, factor: 2, jitter: 0.2 };
let proxy: TcpProxy;

/** A bus dialing the broker directly, or through the proxy. */
async function makeBus(via: "direct" | "proxy"): Promise<AmqpBus> {
  const broker = new URL(AMQP_URL);
  if (via === "proxy") {
    broker.hostname = "127.0.0.1";
    broker.port = String(proxy.port);
  }
  const bus = await createAmqpBus({ dialer: amqpUrlDialer(broker.toString()), prefix, logger: testLogger, backoff });
  buses.push(bus);
  return bus;
}

let topicNumber = 0;
const topic = () => `resilience-${++topicNumber}`;

await describeWithRabbitMq("AMQP bus across dropped connections", () => {
  beforeAll(async () => {
    const broker = new URL(AMQP_URL);
    proxy = await startTcpProxy(broker.hostname, Number(broker.port || 5672));
  });
  afterEach(async () => {
    proxy.heal();
    await Promise.all(buses.map((bus) => bus.close()));
  });
  afterAll(async () => {
    await proxy.close();
    await deleteAmqpTopology(buses);
  });

  it("calls in flight when the connection drops fail fast with a retryable backend_unavailable", async () => {
    const [server, client] = [await makeBus("direct"), await makeBus("proxy")];
    const target = { topic: topic() };
    await server.serve(target, { slow: () => sleep(2_000) });
    const calls = Array.from({ length: 20 }, () =>
      client.call(target, "slow", {}, { timeoutMs: 20_000 }).catch((e: unknown) => e),
    );
    await sleep(200);
    const cutAt = Date.now();
    proxy.cut();
    const errors = await Promise.all(calls);
    expect(Date.now() - cutAt).toBeLessThan(1_000);
    for (const error of errors) expect(error).toMatchObject({ code: "backend_unavailable", retryable: true });
  });

  it.each([
    ["a call made while disconnected waits for the reconnect and then succeeds", 5_000, 400, "ok"],
    [
      "a call made while disconnected rejects with backend_unavailable when its timeout ends first",
      300,
      2_000,
      "error",
    ],
  ])("%s", async (_name, timeoutMs, healAfterMs, outcome) => {
    const [server, client] = [await makeBus("direct"), await makeBus("proxy")];
    const target = { topic: topic() };
    await server.serve(target, { ping: () => "pong" });
    proxy.cut();
    await sleep(50);
    const started = Date.now();
    const reply = client.call(target, "ping", {}, { timeoutMs }).catch((e: unknown) => e);
    setTimeout(() => proxy.heal(), healAfterMs);
    if (outcome === "ok") expect(await reply).toBe("pong");
    else expect(await reply).toMatchObject({ code: "backend_unavailable", retryable: true });
    expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
  });

  it("servers and subscribers re-declare their queues and resume after the connection comes back", async () => {
    const [remote, client] = [await makeBus("proxy"), await makeBus("direct")];
    const target = { topic: topic() };
    const events: unknown[] = [];
    await remote.serve(target, { ping: () => "pong" });
    await remote.subscribe(`${target.topic}.#`, (payload) => void events.push(payload));
    proxy.cut();
    await sleep(300);
    proxy.heal();
    await waitUntil(() => proxy.openConnections === 1, "the server bus reconnected", 10_000);
    let reply: unknown;
    for (let i = 0; i < 50 && reply !== "pong"; i += 1) {
      reply = await client.call(target, "ping", {}, { timeoutMs: 200 }).catch(() => undefined);
    }
    expect(reply).toBe("pong");
    for (let i = 0; i < 50 && events.length === 0; i += 1) {
      await client.notify(`${target.topic}.instance.update`, i);
      await sleep(50);
    }
    expect(events.length).toBeGreaterThan(0);
  });

  it("casts the broker confirmed while their server was away are handled once it is back", async () => {
    const [remote, client] = [await makeBus("proxy"), await makeBus("direct")];
    const target = { topic: topic() };
    const seen: unknown[] = [];
    await remote.serve(target, { note: (n) => void seen.push(n) });
    proxy.cut();
    for (let i = 0; i < 10; i += 1) await client.cast(target, "note", i);
    proxy.heal();
    await waitUntil(() => seen.length >= 10, "the queued casts arrived", 10_000);
    expect([...new Set(seen)].sort((a, b) => Number(a) - Number(b))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("a call whose server drops mid-handler is redelivered and answered after it reconnects", async () => {
    const [remote, client] = [await makeBus("proxy"), await makeBus("direct")];
    const target = { topic: topic() };
    let runs = 0;
    await remote.serve(target, {
      work: async () => {
        runs += 1;
        await sleep(300);
        return runs;
      },
    });
    const reply = client.call(target, "work", {}, { timeoutMs: 10_000 });
    await waitUntil(() => runs === 1, "the handler started");
    proxy.cut();
    await sleep(100);
    proxy.heal();
    expect(await reply).toBe(2);
  });

  it("steady traffic across two drops: every call succeeds or fails with a retryable error, then all succeed", async () => {
    const [server, client] = [await makeBus("direct"), await makeBus("proxy")];
    const target = { topic: topic() };
    await server.serve(target, { add: (n) => (n as number) + 1 });
    const outcomes = { ok: 0, retryable: 0, other: [] as unknown[] };
    let running = true;
    const loop = async (worker: number) => {
      for (let i = 0; running; i += 1) {
        const n = worker * 1_000_000 + i;
        try {
          const result = await client.call(target, "add", n, { timeoutMs: 2_000 });
          if (result === n + 1) outcomes.ok += 1;
          else outcomes.other.push(result);
        } catch (error) {
          if ((error as { retryable?: boolean }).retryable) outcomes.retryable += 1;
          else outcomes.other.push(error);
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, worker) => loop(worker));
    for (const pause of [300, 300]) {
      await sleep(pause);
      proxy.cut();
      await sleep(200);
      proxy.heal();
    }
    await sleep(1_000);
    const okBeforeEnd = outcomes.ok;
    await sleep(500);
    running = false;
    await Promise.all(workers);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.retryable).toBeGreaterThan(0);
    expect(outcomes.ok).toBeGreaterThan(okBeforeEnd);
  });
});
