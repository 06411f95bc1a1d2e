/**
 * Bus figures: RPC round trips per second, in-process and on the local RabbitMQ, one call at a
 * time and with 32 in flight. Each figure runs for a bounded time (default 3 s).
 *
 *   npx tsx packages/core/bench/bus.ts
 *
 * RabbitMQ comes from STRATUS_TEST_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672); its
 * figures are left out, with a note on stderr, when it is unreachable.
 */
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { connect } from "amqplib";
import pino from "pino";
import { type AmqpBus, amqpUrlDialer, type Bus, createAmqpBus, createInProcessBus } from "../src/bus/index.js";

export interface BenchFigure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

const AMQP_URL = process.env.STRATUS_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const logger = pino({ level: "silent" });

/** Runs every bus benchmark for `secondsEach` seconds each and returns the figures. */
export async function benchBus(secondsEach = 3): Promise<Array<{ name: string; value: number; unit: string }>> {
  const figures: BenchFigure[] = [];
  figures.push(...(await roundTrips("in-process", createInProcessBus({ logger }), secondsEach)));
  let amqp: AmqpBus | undefined;
  try {
    amqp = await createAmqpBus({
      dialer: amqpUrlDialer(AMQP_URL),
      prefix: `stratus-bench.${randomUUID().slice(0, 8)}`,
      logger,
      connectTimeoutMs: 3_000,
      queueExpiresMs: 60_000, // the bench queue disappears a minute after the run
    });
  } catch (error) {
    process.stderr.write(`bus bench: skipping AMQP figures: ${(error as Error).message}\n`);
  }
  if (amqp !== undefined) {
    try {
      figures.push(...(await roundTrips("amqp", amqp, secondsEach)));
    } finally {
      await deleteTopology(amqp);
    }
  }
  return figures;
}

/** Removes the bench's queue and exchanges from the broker. */
async function deleteTopology(bus: AmqpBus): Promise<void> {
  const model = await connect(AMQP_URL);
  const channel = await model.createChannel();
  for (const queue of bus.declaredQueues()) await channel.deleteQueue(queue);
  await channel.deleteExchange(bus.topology.rpcExchange);
  await channel.deleteExchange(bus.topology.eventExchange);
  await model.close();
}

async function roundTrips(transport: string, bus: Bus, seconds: number): Promise<BenchFigure[]> {
  const target = { topic: "bench" };
  const served = await bus.serve(target, { echo: (payload) => payload }, { concurrency: 64 });
  const figures: BenchFigure[] = [];
  try {
    for (const inFlight of [1, 32]) {
      await measure(bus, 1, 0.2); // warm up
      const perSecond = await measure(bus, inFlight, seconds);
      const shape = inFlight === 1 ? "sequential" : `${inFlight} in flight`;
      figures.push({
        name: `bus ${transport} RPC round trips, ${shape}`,
        value: Math.round(perSecond),
        unit: "calls/s",
      });
    }
  } finally {
    await served.stop();
    await bus.close();
  }
  return figures;
}

async function measure(bus: Bus, inFlight: number, seconds: number): Promise<number> {
  const started = performance.now();
  const until = started + seconds * 1_000;
  let done = 0;
  const worker = async () => {
    while (performance.now() < until) {
      await bus.call({ topic: "bench" }, "echo", { n: done }, { timeoutMs: 5_000 });
      done += 1;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done / ((performance.now() - started) / 1_000);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const { name, value, unit } of await benchBus()) console.log(`${name}: ${value} ${unit}`);
}
