/**
 * The bus protocol over any transport: correlation of calls and replies, timeouts, error
 * propagation, handler dispatch. Transports only move the encoded envelopes.
 */
import { randomUUID } from "node:crypto";
import { backendUnavailable, badRequest, StratusError, timeout } from "../errors/index.js";
import { decodeReply, encodeEnvelope, fromWireError, type ReplyEnvelope, WIRE_VERSION } from "./envelope.js";
import { checkEventName, checkEventPattern, checkTarget, describeTarget } from "./names.js";
import { handleEvent, handleRequest } from "./rpc-server.js";
import type { BusTransport, TransportConsumer } from "./transport.js";
import type {
  Bus,
  BusConsumer,
  BusLogger,
  CallOptions,
  EventHandler,
  MethodHandlers,
  SendOptions,
  ServeOptions,
  Target,
} from "./types.js";

export interface RpcBusOptions {
  /** Where `cast`, `notify`, `serve` and `subscribe` may wait for the broker, by default. */
  readonly sendTimeoutMs: number;
  readonly logger: BusLogger;
}

interface PendingCall {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: StratusError) => void;
  readonly timer: NodeJS.Timeout;
  readonly origin: string;
  /** Set once the transport handed the request to the broker: a link drop then loses its reply. */
  sent: boolean;
}

const DEFAULT_CONCURRENCY = 32;

/** A Bus speaking wire version 1 over `transport`. Prefer `createInProcessBus` / `createAmqpBus`. */
export class RpcBus implements Bus {
  readonly #transport: BusTransport;
  readonly #options: RpcBusOptions;
  readonly #pending = new Map<string, PendingCall>();
  readonly #consumers = new Set<BusConsumer>();
  #closing: Promise<void> | undefined;
  #closed = false;

  constructor(transport: BusTransport, options: RpcBusOptions) {
    this.#transport = transport;
    this.#options = options;
    transport.start({ onReply: (body) => this.#onReply(body), onLinkDown: (error) => this.#onLinkDown(error) });
  }

  async call<Req = unknown, Res = unknown>(
    target: Target,
    method: string,
    payload: Req,
    options: CallOptions,
  ): Promise<Res> {
    this.#assertOpen();
    checkTarget(target);
    const timeoutMs = checkTimeout(options.timeoutMs);
    const id = randomUUID();
    const origin = `${describeTarget(target)}.${method}`;
    const body = encodeEnvelope({ v: WIRE_VERSION, kind: "call", id, method, payload });
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => this.#expire(id, timeoutMs), timeoutMs);
      const entry: PendingCall = { resolve: resolve as (value: unknown) => void, reject, timer, origin, sent: false };
      this.#pending.set(id, entry);
      const sendOptions = { expectReply: true, persistent: false, ttlMs: timeoutMs, mandatory: false, confirm: false };
      this.#transport.sendRequest(target, body, { ...sendOptions, waitMs: timeoutMs }).then(
        () => {
          entry.sent = true;
        },
        (error: unknown) => this.#settle(id, (call) => call.reject(asUnavailable(error))),
      );
    });
  }

  async cast<Req = unknown>(target: Target, method: string, payload: Req, options?: SendOptions): Promise<void> {
    this.#assertOpen();
    checkTarget(target);
    const body = encodeEnvelope({ v: WIRE_VERSION, kind: "cast", id: randomUUID(), method, payload });
    const waitMs = checkTimeout(options?.timeoutMs ?? this.#options.sendTimeoutMs);
    const sendOptions = { expectReply: false, persistent: true, mandatory: true, confirm: true, waitMs };
    await this.#transport.sendRequest(target, body, sendOptions);
  }

  async serve(target: Target, handlers: MethodHandlers, options?: ServeOptions): Promise<BusConsumer> {
    this.#assertOpen();
    checkTarget(target);
    const prefetch = options?.concurrency ?? DEFAULT_CONCURRENCY;
    if (!Number.isInteger(prefetch) || prefetch < 1) throw badRequest("Serve concurrency must be a positive integer.");
    const running = new Set<Promise<void>>();
    const consumer = await this.#transport.consumeRequests(
      target,
      (request) => {
        const work = handleRequest(this.#transport, this.#options.logger, target, handlers, request);
        running.add(work);
        void work.then(() => running.delete(work));
      },
      { prefetch, waitMs: this.#options.sendTimeoutMs },
    );
    return this.#track(consumer, running);
  }

  async notify<P = unknown>(event: string, payload: P, options?: SendOptions): Promise<void> {
    this.#assertOpen();
    checkEventName(event);
    const body = encodeEnvelope({ v: WIRE_VERSION, id: randomUUID(), event, timestamp: Date.now(), payload });
    const waitMs = checkTimeout(options?.timeoutMs ?? this.#options.sendTimeoutMs);
    await this.#transport.publishEvent(event, body, { waitMs });
  }

  async subscribe(pattern: string, handler: EventHandler): Promise<BusConsumer> {
    this.#assertOpen();
    checkEventPattern(pattern);
    const running = new Set<Promise<void>>();
    const consumer = await this.#transport.consumeEvents(
      pattern,
      (body) => {
        const work = handleEvent(this.#options.logger, pattern, handler, body);
        running.add(work);
        void work.then(() => running.delete(work));
      },
      { waitMs: this.#options.sendTimeoutMs },
    );
    return this.#track(consumer, running);
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, (call) => call.reject(backendUnavailable("The bus was closed.", { retryable: false })));
    }
    // Handlers still running are not awaited: their replies are dropped and the broker redelivers.
    const consumers = [...this.#consumers];
    this.#consumers.clear();
    await Promise.allSettled(consumers.map((consumer) => consumer.stop()));
    await this.#transport.close();
  }

  #track(consumer: TransportConsumer, running: Set<Promise<void>>): BusConsumer {
    let stopping: Promise<void> | undefined;
    const handle: BusConsumer = {
      stop: () => {
        this.#consumers.delete(handle);
        // On close() the running handlers are not awaited (a hung one must not hang close).
        const whenIdle = async () => {
          if (!this.#closed) await Promise.allSettled([...running]);
        };
        stopping ??= consumer.cancel(whenIdle);
        return stopping;
      },
    };
    this.#consumers.add(handle);
    return handle;
  }

  #onReply(body: string): void {
    let reply: ReplyEnvelope;
    try {
      reply = decodeReply(body);
    } catch (error) {
      this.#options.logger.warn({ err: error }, "Dropped a malformed bus reply");
      return;
    }
    const found = this.#settle(reply.id, (call) =>
      reply.ok ? call.resolve(reply.result) : call.reject(fromWireError(reply.error, call.origin)),
    );
    if (!found) this.#options.logger.debug({ id: reply.id }, "Dropped a reply that came after its call ended");
  }

  #onLinkDown(error: Error): void {
    for (const [id, call] of this.#pending) {
      if (!call.sent) continue; // not on the wire yet: it waits for the reconnect
      this.#settle(id, (pending) =>
        pending.reject(
          backendUnavailable(`Lost the broker connection while waiting for ${call.origin}.`, {
            retryable: true,
            cause: error,
          }),
        ),
      );
    }
  }

  #expire(id: string, timeoutMs: number): void {
    this.#settle(id, (call) =>
      call.reject(
        call.sent
          ? timeout(`No reply from ${call.origin} within ${timeoutMs} ms.`)
          : backendUnavailable(`Could not send ${call.origin} within ${timeoutMs} ms: no broker.`, { retryable: true }),
      ),
    );
  }

  #settle(id: string, finish: (call: PendingCall) => void): boolean {
    const call = this.#pending.get(id);
    if (call === undefined) return false;
    this.#pending.delete(id);
    clearTimeout(call.timer);
    finish(call);
    return true;
  }

  #assertOpen(): void {
    if (this.#closed) throw backendUnavailable("The bus is closed.", { retryable: false });
  }
}

function checkTimeout(ms: number): number {
  if (!Number.isFinite(ms) || ms <= 0) throw badRequest(`A bus timeout must be a positive number of ms, not ${ms}.`);
  return ms;
}

function asUnavailable(error: unknown): StratusError {
  return StratusError.is(error)
    ? error
    : backendUnavailable("The broker refused the request.", { cause: error, retryable: true });
}
