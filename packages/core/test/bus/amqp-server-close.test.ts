/**
 * The broker itself closing our connection (what an operator's `rabbitmqctl close_connection`
 * or a broker shutdown does): a CONNECTION_FORCED close rather than a dead socket.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, expect, it } from "vitest";
import { sleep } from "../../src/bus/contract.js";
import { type AmqpBus, amqpUrlDialer, createAmqpBus } from "../../src/bus/index.js";
import { AMQP_URL, deleteAmqpTopology, describeWithRabbitMq, testLogger, uniquePrefix } from "./amqp-harness.js";

const run = promisify(execFile);
const prefix = uniquePrefix("server-close");
const buses: AmqpBus[] = [];

/** Asks the broker to close every connection named `name`; returns how many it closed. */
async function closeConnectionsNamed(name: string): Promise<number> {
  const { stdout } = await run("rabbitmqctl", ["list_connections", "-q", "pid", "client_properties"]);
  const pids = stdout
    .split("\n")
    .filter((line) => line.includes(`"${name}"`))
    .map((line) => line.split("\t")[0] ?? "");
  for (const pid of pids) await run("rabbitmqctl", ["close_connection", pid, "stratus bus test"]);
  return pids.length;
}

await describeWithRabbitMq("AMQP bus when the broker closes its connection", () => {
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await deleteAmqpTopology(buses);
  });

  it("rabbitmqctl close_connection fails calls in flight at once and the bus serves again after reconnecting", async () => {
    const name = `${prefix}.server`;
    const dialer = amqpUrlDialer(AMQP_URL, { clientProperties: { connection_name: name } });
    const backoff = { initialMs: 50, maxMs: 500, factor: 2, jitter: 0.2 };
    const server = await createAmqpBus({ dialer, prefix, logger: testLogger, backoff });
    const client = await createAmqpBus({ dialer: amqpUrlDialer(AMQP_URL), prefix, logger: testLogger });
    buses.push(server, client);
    const target = { topic: "server-close" };
    await server.serve(target, { slow: () => sleep(10_000), ping: () => "pong" });
    const [self] = await Promise.all([
      server.call(target, "slow", {}, { timeoutMs: 20_000 }).catch((e: unknown) => e),
      sleep(200).then(() => closeConnectionsNamed(name)),
    ]);
    expect(self).toMatchObject({ code: "backend_unavailable", retryable: true });
    let reply: unknown;
    for (let i = 0; i < 50 && reply !== "pong"; i += 1) {
      reply = await client.call(target, "ping", {}, { timeoutMs: 200 }).catch(() => undefined);
    }
    expect(reply).toBe("pong");
    expect(await server.call(target, "ping", {}, { timeoutMs: 2_000 })).toBe("pong");
  });
});
