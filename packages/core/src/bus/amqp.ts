/**
 * The RabbitMQ bus. Topology under one prefix (default `stratus`):
 *
 * - `<prefix>.rpc`, a durable direct exchange. Each target has a durable queue
 *   `<prefix>.rpc.<topic>` or `<prefix>.rpc.<topic>.<server>`, declared by its servers, shared
 *   by all of them (round robin), manual acks with a prefetch: a request whose server dies
 *   before acknowledging goes to another server (at least once).
 * - Calls: transient messages with a per-message TTL equal to the call's timeout; replies come
 *   back through direct reply-to (`amq.rabbitmq.reply-to`), so no reply queue is declared.
 * - Casts: persistent, mandatory, publisher-confirmed messages: `cast` resolves once the broker
 *   holds the message in a durable queue, and rejects if no server ever declared the target.
 * - `<prefix>.notifications`, a durable topic exchange; each subscription has a private,
 *   exclusive, auto-delete queue bound with its pattern; events are transient, confirmed.
 */
import { connect, type SocketOptions } from "amqplib";
import pino from "pino";
import { z } from "zod";
import { backendUnavailable, badRequest } from "../errors/index.js";
import type { AmqpDialer } from "./amqp-link.js";
import { type AmqpTopology, amqpTopology } from "./amqp-topology.js";
import { AmqpTransport } from "./amqp-transport.js";
import { DEFAULT_BACKOFF } from "./backoff.js";
import { RpcBus } from "./rpc-bus.js";
import type { Bus, BusLogger } from "./types.js";

export type { AmqpDialer } from "./amqp-link.js";

const optionsSchema = z.object({
  prefix: z.string().default("stratus"),
  sendTimeoutMs: z.number().positive().default(10_000),
  connectTimeoutMs: z.number().positive().default(10_000),
  queueExpiresMs: z.number().int().positive().optional(),
  backoff: z
    .object({
      initialMs: z.number().positive(),
      maxMs: z.number().positive(),
      factor: z.number().min(1),
      jitter: z.number().min(0).max(1),
    })
    .default(DEFAULT_BACKOFF),
});

export interface AmqpBusOptions {
  /** Opens connections; see `amqpUrlDialer`. */
  readonly dialer: AmqpDialer;
  /** Prefix of every exchange and queue name. Default `stratus`. */
  readonly prefix?: string;
  /** How long cast/notify/serve/subscribe wait for a reconnect and confirm. Default 10 s. */
  readonly sendTimeoutMs?: number;
  /** How long `createAmqpBus` waits for the first connection. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Delete request queues left without consumers this long (x-expires). Default: never. */
  readonly queueExpiresMs?: number;
  /** Reconnect backoff. Default 100 ms doubling to 5 s, 20% jitter. */
  readonly backoff?: { initialMs: number; maxMs: number; factor: number; jitter: number };
  readonly logger?: BusLogger;
}

/** A Bus on RabbitMQ, with what tests need to clean up after it. */
export interface AmqpBus extends Bus {
  /** The exchange and queue names it uses. */
  readonly topology: AmqpTopology;
  /** Request queues this bus declared (serve); idempotent, safe to call after close. */
  declaredQueues(): string[];
}

/**
 * Connects a bus to RabbitMQ; resolves once the first connection is up. Rejects with
 * `bad_request` for invalid options, `backend_unavailable` if the broker stays unreachable
 * for `connectTimeoutMs`. Afterwards it reconnects by itself until `close()`.
 */
export async function createAmqpBus(options: AmqpBusOptions): Promise<AmqpBus> {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) throw badRequest(`Invalid AMQP bus options: ${z.prettifyError(parsed.error)}`);
  const { prefix, sendTimeoutMs, connectTimeoutMs, queueExpiresMs, backoff } = parsed.data;
  const topology = amqpTopology(prefix);
  const logger = options.logger ?? pino({ name: "stratus.bus" });
  const transport = new AmqpTransport(options.dialer, {
    topology,
    backoff,
    logger,
    ...(queueExpiresMs === undefined ? {} : { queueExpiresMs }),
  });
  const bus = new RpcBus(transport, { sendTimeoutMs, logger });
  try {
    await transport.ready(connectTimeoutMs);
  } catch (error) {
    await bus.close();
    throw backendUnavailable(`Cannot reach RabbitMQ at ${transport.label} within ${connectTimeoutMs} ms.`, {
      cause: (error as { cause?: unknown }).cause ?? error,
      retryable: true,
    });
  }
  return Object.assign(bus, { topology, declaredQueues: () => transport.declaredQueues() });
}

/**
 * A dialer for an `amqp://user:pass@host:port/vhost?heartbeat=10` URL, with TCP_NODELAY on
 * (amqplib's socket options pass through, e.g. `clientProperties: { connection_name }`). Pure until called.
 */
export function amqpUrlDialer(url: string, socketOptions: SocketOptions = {}): AmqpDialer {
  // Nagle's algorithm would hold each small RPC frame for the peer's delayed ACK (~40 ms).
  const dial = () => connect(url, { noDelay: true, ...socketOptions });
  return Object.assign(dial, { label: redact(url) });
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "an invalid AMQP URL";
  }
}
