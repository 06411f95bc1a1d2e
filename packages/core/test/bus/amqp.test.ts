import { createServer } from "node:net";
import { afterAll, expect, it } from "vitest";
import { runBusContract } from "../../src/bus/contract.js";
import { type AmqpBus, amqpUrlDialer, createAmqpBus } from "../../src/bus/index.js";
import { AMQP_URL, deleteAmqpTopology, describeWithRabbitMq, testLogger, uniquePrefix } from "./amqp-harness.js";

const prefix = uniquePrefix("contract");
const buses: AmqpBus[] = [];

async function makeBus(): Promise<AmqpBus> {
  const bus = await createAmqpBus({
    dialer: amqpUrlDialer(AMQP_URL),
    prefix,
    logger: testLogger,
    queueExpiresMs: 10 * 60_000, // a crashed run leaves nothing behind for long
  });
  buses.push(bus);
  return bus;
}

await describeWithRabbitMq("AMQP bus on RabbitMQ", () => {
  afterAll(() => deleteAmqpTopology(buses));

  runBusContract("amqp", makeBus);

  it("declares everything under its run's own prefix", async () => {
    const bus = await makeBus();
    await bus.serve({ topic: "naming", server: "h1" }, {});
    expect(bus.topology.rpcExchange).toBe(`${prefix}.rpc`);
    expect(bus.declaredQueues()).toEqual([`${prefix}.rpc.naming.h1`]);
    await bus.close();
  });

  it("connecting to a port where nothing listens rejects with backend_unavailable naming the broker", async () => {
    const port = await freeLoopbackPort();
    const url = `amqp://guest:guest@127.0.0.1:${port}`;
    const started = Date.now();
    const error = await createAmqpBus({
      dialer: amqpUrlDialer(url),
      prefix,
      logger: testLogger,
      connectTimeoutMs: 500,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "backend_unavailable", retryable: true });
    expect((error as Error).message).toContain(`127.0.0.1:${port}`);
    expect((error as Error).message).not.toContain("guest:guest");
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0));
    });
  });
}
