/** The AMQP 0-9-1 transport of the bus: RabbitMQ through a self-healing `AmqpLink`. */
import type { ChannelModel } from "amqplib";
import { backendUnavailable } from "../errors/index.js";
import { AmqpConsumer, type AmqpConsumerSpec } from "./amqp-consumer.js";
import { type AmqpDialer, AmqpLink } from "./amqp-link.js";
import {
  type AmqpSession,
  DIRECT_REPLY_TO,
  failConfirms,
  fromAmqpError,
  openSession,
  publish,
} from "./amqp-session.js";
import type { AmqpTopology } from "./amqp-topology.js";
import type { BackoffPolicy } from "./backoff.js";
import { describeTarget, targetKey } from "./names.js";
import type {
  BusTransport,
  SendRequestOptions,
  TransportConsumer,
  TransportEvents,
  TransportRequest,
} from "./transport.js";
import type { BusLogger, Target } from "./types.js";

export interface AmqpTransportOptions {
  readonly topology: AmqpTopology;
  readonly backoff: BackoffPolicy;
  /** x-expires of request queues: deleted after this long without consumers. Absent: kept. */
  readonly queueExpiresMs?: number;
  readonly logger: BusLogger;
}

export class AmqpTransport implements BusTransport {
  readonly #options: AmqpTransportOptions;
  readonly #link: AmqpLink<AmqpSession>;
  readonly #consumers = new Set<AmqpConsumer>();
  readonly #declared = new Set<string>();
  #events: TransportEvents | undefined;

  constructor(dialer: AmqpDialer, options: AmqpTransportOptions) {
    this.#options = options;
    this.#link = new AmqpLink<AmqpSession>(
      dialer,
      {
        setup: (model, generation) => this.#setup(model, generation),
        onUp: (session) => this.#reattach(session),
        onDown: (session, error) => {
          failConfirms(session, error);
          this.#events?.onLinkDown(error);
        },
      },
      options.backoff,
      options.logger,
    );
  }

  /** Where the dialer connects (no password). */
  get label(): string {
    return this.#link.label;
  }

  /** Names of the request queues this transport declared (for cleanup in tests). */
  declaredQueues(): string[] {
    return [...this.#declared];
  }

  /** Resolves once connected, waiting up to `waitMs`; else `backend_unavailable`. */
  async ready(waitMs: number): Promise<void> {
    await this.#link.whenOpen(waitMs);
  }

  start(events: TransportEvents): void {
    this.#events = events;
    this.#link.start();
  }

  async sendRequest(target: Target, body: string, options: SendRequestOptions): Promise<void> {
    const deadline = Date.now() + options.waitMs;
    const session = await this.#link.whenOpen(options.waitMs);
    await publish(session, this.#options.topology.rpcExchange, targetKey(target), body, {
      persistent: options.persistent,
      mandatory: options.mandatory,
      confirm: options.confirm,
      waitMs: Math.max(1, deadline - Date.now()),
      ...(options.expectReply ? { replyTo: DIRECT_REPLY_TO } : {}),
      ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      unroutable: () =>
        backendUnavailable(`No server has ever served "${describeTarget(target)}".`, { retryable: true }),
    });
  }

  async sendReply(replyTo: string, body: string): Promise<void> {
    const session = this.#link.current();
    if (session === undefined) return; // the caller's link died with ours: it already failed fast
    await publish(session, "", replyTo, body, { persistent: false, mandatory: false, confirm: false, waitMs: 1 });
  }

  async publishEvent(event: string, body: string, options: { readonly waitMs: number }): Promise<void> {
    const deadline = Date.now() + options.waitMs;
    const session = await this.#link.whenOpen(options.waitMs);
    const waitMs = Math.max(1, deadline - Date.now());
    const publishOptions = { persistent: false, mandatory: false, confirm: true, waitMs };
    await publish(session, this.#options.topology.eventExchange, event, body, publishOptions);
  }

  consumeRequests(
    target: Target,
    onRequest: (request: TransportRequest) => void,
    options: { readonly prefetch: number; readonly waitMs: number },
  ): Promise<TransportConsumer> {
    const { topology, queueExpiresMs } = this.#options;
    const queue = topology.requestQueue(target);
    this.#declared.add(queue);
    return this.#consume(`Serving "${describeTarget(target)}"`, options.waitMs, {
      noAck: false,
      prefetch: options.prefetch,
      declare: async (channel) => {
        // Durable: casts wait in it across server and broker restarts.
        await channel.assertQueue(queue, {
          durable: true,
          ...(queueExpiresMs === undefined ? {} : { expires: queueExpiresMs }),
        });
        await channel.bindQueue(queue, topology.rpcExchange, targetKey(target));
        return queue;
      },
      deliver: (message, channel) => {
        let settled = false;
        const settle = () => {
          if (settled) return;
          settled = true;
          try {
            channel.ack(message);
          } catch {
            // The channel is gone: the broker requeues the message for another server.
          }
        };
        const body = message.content.toString("utf8");
        const replyTo: unknown = message.properties.replyTo;
        onRequest(typeof replyTo === "string" ? { body, replyTo, settle } : { body, settle });
      },
    });
  }

  consumeEvents(pattern: string, onEvent: (body: string) => void, options: { readonly waitMs: number }) {
    const { eventExchange } = this.#options.topology;
    return this.#consume(`Subscribing to "${pattern}"`, options.waitMs, {
      noAck: true,
      declare: async (channel) => {
        // Private, transient and deleted with its connection: a subscriber sees events sent while it is connected.
        const { queue } = await channel.assertQueue("", { exclusive: true, autoDelete: true, durable: false });
        await channel.bindQueue(queue, eventExchange, pattern);
        return queue;
      },
      deliver: (message) => onEvent(message.content.toString("utf8")),
    });
  }

  async close(): Promise<void> {
    await this.#link.close();
  }

  async #consume(what: string, waitMs: number, spec: AmqpConsumerSpec): Promise<TransportConsumer> {
    const consumer = new AmqpConsumer(spec, this.#link);
    this.#consumers.add(consumer);
    const deadline = Date.now() + waitMs;
    try {
      for (;;) {
        const session = await this.#link.whenOpen(Math.max(1, deadline - Date.now()));
        try {
          await consumer.attach(session);
          break;
        } catch (error) {
          // A drop mid-declare is retried on the next session; anything else is the caller's to see.
          await new Promise((resolve) => setImmediate(resolve));
          if (this.#link.current() === session || Date.now() >= deadline) throw fromAmqpError(error, what);
        }
      }
    } catch (error) {
      this.#consumers.delete(consumer);
      await consumer.cancel(async () => {});
      throw error;
    }
    return {
      cancel: async (whenIdle) => {
        this.#consumers.delete(consumer);
        await consumer.cancel(whenIdle);
      },
    };
  }

  async #setup(model: ChannelModel, generation: number): Promise<AmqpSession> {
    return openSession(
      model,
      generation,
      this.#options.topology,
      (body) => this.#events?.onReply(body),
      (session) =>
        setImmediate(() => {
          if (this.#link.current() === session) this.#link.recycle("the publishing channel closed");
        }),
    );
  }

  #reattach(session: AmqpSession): void {
    for (const consumer of this.#consumers) {
      consumer.attach(session).catch((error: unknown) => {
        this.#options.logger.error({ err: error }, "Could not resume a bus consumer after reconnecting");
        if (this.#link.current() === session) this.#link.recycle("a consumer could not resume");
      });
    }
  }
}
