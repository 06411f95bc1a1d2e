/**
 * What the AMQP bus tests share: the broker URL, a reachability probe that turns a missing
 * RabbitMQ into a clear failure (or a reported skip), a unique prefix per run, and cleanup.
 */
import { randomUUID } from "node:crypto";
import { connect } from "amqplib";
import pino from "pino";
import { describe, it } from "vitest";
import type { AmqpBus } from "../../src/bus/index.js";

export const AMQP_URL = process.env.STRATUS_TEST_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";

/** Logs nothing unless STRATUS_TEST_BUS_LOG names a level (e.g. `debug`). */
export const testLogger = pino({ level: process.env.STRATUS_TEST_BUS_LOG ?? "silent" });

/** A prefix no other run (parallel or earlier) uses. */
export const uniquePrefix = (what: string): string => `stratus-test.${what}.${process.pid}.${randomUUID().slice(0, 8)}`;

/** Why RabbitMQ cannot be used, or undefined when it answers an AMQP handshake within 3 s. */
export async function probeAmqp(url: string = AMQP_URL): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const tooSlow = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("no AMQP handshake within 3 s")), 3_000);
  });
  try {
    const model = await Promise.race([connect(url), tooSlow]);
    await model.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Registers `suite` when RabbitMQ answers. Otherwise registers one failing test that says how
 * to start it, or, with STRATUS_ALLOW_MISSING_AMQP=1, a skipped test carrying the reason.
 */
export async function describeWithRabbitMq(name: string, suite: () => void): Promise<void> {
  const problem = await probeAmqp();
  if (problem === undefined) {
    describe(name, suite);
    return;
  }
  const where = AMQP_URL.replace(/:[^:@/]*@/, ":***@");
  const reason =
    `RabbitMQ is not reachable at ${where} (${problem}). Start it with ` +
    "`sudo service rabbitmq-server start` (or `docker run -d -p 127.0.0.1:5672:5672 rabbitmq:3`), " +
    "or point STRATUS_TEST_AMQP_URL at one; STRATUS_ALLOW_MISSING_AMQP=1 skips these tests.";
  describe(name, () => {
    if (process.env.STRATUS_ALLOW_MISSING_AMQP === "1") it.skip(`skipped: ${reason}`, () => {});
    else
      it("needs a reachable RabbitMQ", () => {
        throw new Error(reason);
      });
  });
}

/** Deletes every queue the buses declared and the two exchanges of `prefix`. Never throws. */
export async function deleteAmqpTopology(buses: readonly AmqpBus[]): Promise<void> {
  const first = buses[0];
  if (first === undefined) return;
  const model = await connect(AMQP_URL);
  try {
    const queues = new Set(buses.flatMap((bus) => bus.declaredQueues()));
    const { rpcExchange, eventExchange } = first.topology;
    for (const drop of [
      ...[...queues].map((q) => ["queue", q]),
      ["exchange", rpcExchange],
      ["exchange", eventExchange],
    ]) {
      const channel = await model.createChannel();
      channel.on("error", () => {});
      const [kind, name] = drop as [string, string];
      await (kind === "queue" ? channel.deleteQueue(name) : channel.deleteExchange(name)).catch(() => {});
      await channel.close().catch(() => {});
    }
  } finally {
    await model.close().catch(() => {});
  }
}
