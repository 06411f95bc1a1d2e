/**
 * The in-process transport: a tiny broker in memory with the semantics of the AMQP one
 * (queues declared by servers, round-robin delivery, topic-matched fan-out), delivering
 * asynchronously with setImmediate. Buses sharing one `InProcessBroker` talk to each other.
 */
import pino from "pino";
import { backendUnavailable } from "../errors/index.js";
import { compileEventPattern, describeTarget, targetKey } from "./names.js";
import { RpcBus } from "./rpc-bus.js";
import type {
  BusTransport,
  SendRequestOptions,
  TransportConsumer,
  TransportEvents,
  TransportRequest,
} from "./transport.js";
import type { Bus, BusLogger, Target } from "./types.js";

interface QueuedRequest {
  readonly body: string;
  readonly replyTo: string | undefined;
  readonly expiresAt: number;
}

interface RequestQueue {
  readonly messages: QueuedRequest[];
  readonly consumers: Array<(message: QueuedRequest) => void>;
  next: number;
  scheduled: boolean;
}

interface EventConsumer {
  readonly matches: (event: string) => boolean;
  readonly deliver: (body: string) => void;
}

/** The shared in-memory broker. Queues outlive their servers, like durable AMQP queues. */
export class InProcessBroker {
  readonly #queues = new Map<string, RequestQueue>();
  readonly #events = new Set<EventConsumer>();
  readonly #clients = new Map<string, (body: string) => void>();
  #nextClient = 0;

  /** Registers a reply address; returns it. */
  attachClient(onReply: (body: string) => void): string {
    const address = `in-process.${++this.#nextClient}`;
    this.#clients.set(address, onReply);
    return address;
  }

  /** Forgets a reply address: replies to it are dropped. Idempotent. */
  detachClient(address: string): void {
    this.#clients.delete(address);
  }

  /** Queues a request; returns false if no server ever declared the target's queue. */
  enqueue(key: string, message: QueuedRequest, declareIfMissing = false): boolean {
    let queue = this.#queues.get(key);
    if (queue === undefined && !declareIfMissing) return false;
    queue ??= this.#declare(key);
    queue.messages.push(message);
    this.#schedule(queue);
    return true;
  }

  /** Adds a consumer to the queue of `key`, declaring it; returns a function that removes it. */
  consume(key: string, deliver: (message: QueuedRequest) => void): () => void {
    const queue = this.#queues.get(key) ?? this.#declare(key);
    queue.consumers.push(deliver);
    this.#schedule(queue);
    return () => {
      const at = queue.consumers.indexOf(deliver);
      if (at >= 0) queue.consumers.splice(at, 1);
    };
  }

  /** Delivers a reply to its client, later; dropped if the client is gone. */
  reply(address: string, body: string): void {
    setImmediate(() => this.#clients.get(address)?.(body));
  }

  /** Delivers an event to every matching subscriber, later. */
  publish(event: string, body: string): void {
    const targets = [...this.#events].filter((consumer) => consumer.matches(event));
    if (targets.length > 0)
      setImmediate(() => {
        for (const consumer of targets) consumer.deliver(body);
      });
  }

  /** Adds a subscriber; returns a function that removes it. */
  subscribe(pattern: string, deliver: (body: string) => void): () => void {
    const consumer: EventConsumer = { matches: compileEventPattern(pattern), deliver };
    this.#events.add(consumer);
    return () => this.#events.delete(consumer);
  }

  #declare(key: string): RequestQueue {
    const queue: RequestQueue = { messages: [], consumers: [], next: 0, scheduled: false };
    this.#queues.set(key, queue);
    return queue;
  }

  #schedule(queue: RequestQueue): void {
    if (queue.scheduled || queue.messages.length === 0 || queue.consumers.length === 0) return;
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      const now = Date.now();
      while (queue.consumers.length > 0) {
        const message = queue.messages.shift();
        if (message === undefined) break;
        if (message.expiresAt < now) continue; // nobody took it in time, as AMQP's per-message TTL
        queue.next = (queue.next + 1) % queue.consumers.length;
        queue.consumers[queue.next]?.(message);
      }
    });
  }
}

/** A BusTransport on an InProcessBroker. */
export class InProcessTransport implements BusTransport {
  readonly #broker: InProcessBroker;
  #address: string | undefined;
  #closed = false;

  constructor(broker: InProcessBroker) {
    this.#broker = broker;
  }

  start(events: TransportEvents): void {
    this.#address = this.#broker.attachClient((body) => events.onReply(body));
  }

  async sendRequest(target: Target, body: string, options: SendRequestOptions): Promise<void> {
    this.#assertOpen();
    const message = {
      body,
      replyTo: options.expectReply ? this.#address : undefined,
      expiresAt: options.ttlMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + options.ttlMs,
    };
    if (!this.#broker.enqueue(targetKey(target), message) && options.mandatory) {
      throw backendUnavailable(`No server has ever served "${describeTarget(target)}".`, { retryable: true });
    }
  }

  async sendReply(replyTo: string, body: string): Promise<void> {
    if (!this.#closed) this.#broker.reply(replyTo, body);
  }

  async publishEvent(event: string, body: string): Promise<void> {
    this.#assertOpen();
    this.#broker.publish(event, body);
  }

  async consumeRequests(target: Target, onRequest: (request: TransportRequest) => void): Promise<TransportConsumer> {
    this.#assertOpen();
    const stop = this.#broker.consume(targetKey(target), (message) => {
      const request: TransportRequest = { body: message.body, settle: () => {} };
      onRequest(message.replyTo === undefined ? request : { ...request, replyTo: message.replyTo });
    });
    return {
      cancel: async (whenIdle) => {
        stop();
        await whenIdle();
      },
    };
  }

  async consumeEvents(pattern: string, onEvent: (body: string) => void): Promise<TransportConsumer> {
    this.#assertOpen();
    const stop = this.#broker.subscribe(pattern, onEvent);
    return {
      cancel: async (whenIdle) => {
        stop();
        await whenIdle();
      },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    if (this.#address !== undefined) this.#broker.detachClient(this.#address);
  }

  #assertOpen(): void {
    if (this.#closed) throw backendUnavailable("The in-process transport is closed.", { retryable: false });
  }
}

export interface InProcessBusOptions {
  /** The broker to join; buses on the same broker reach each other. Default: a private one. */
  readonly broker?: InProcessBroker;
  /** Default wait for cast/notify; only matters for symmetry with AMQP. Default 10 s. */
  readonly sendTimeoutMs?: number;
  readonly logger?: BusLogger;
}

/** A bus in this process. Returns at once; never throws. */
export function createInProcessBus(options: InProcessBusOptions = {}): Bus {
  const transport = new InProcessTransport(options.broker ?? new InProcessBroker());
  return new RpcBus(transport, {
    sendTimeoutMs: options.sendTimeoutMs ?? 10_000,
    logger: options.logger ?? pino({ name: "stratus.bus" }),
  });
}
