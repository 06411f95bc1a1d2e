/**
 * The transport-agnostic face of the bus: what services use to call, cast and notify.
 * Implementations: `createInProcessBus` (default) and `createAmqpBus` (RabbitMQ).
 */

/**
 * Where an RPC goes, as in oslo.messaging: a topic (`compute`) served by any number of servers,
 * optionally narrowed to one server (`{ topic: "compute", server: "host1" }`).
 */
export interface Target {
  /** Topic name: letters, digits, `_` and `-` (no dots, so `topic.server` stays unambiguous). */
  readonly topic: string;
  /** One server of the topic (a host name; dots allowed). Absent: any server of the topic. */
  readonly server?: string;
}

export interface CallOptions {
  /** How long to wait for the reply, including any wait for a broker reconnect. */
  readonly timeoutMs: number;
}

export interface SendOptions {
  /** How long a cast or notify may wait for the broker (reconnect, confirm). Default: the bus's `sendTimeoutMs`. */
  readonly timeoutMs?: number;
}

export interface ServeOptions {
  /** How many requests this server handles at once (AMQP prefetch). Default 32. */
  readonly concurrency?: number;
}

/** What a handler learns about the request beyond its payload. */
export interface RequestContext {
  readonly target: Target;
  readonly method: string;
  /** `call` expects a reply; `cast` does not. */
  readonly kind: "call" | "cast";
}

/** Handles one method. Returns the reply (JSON-serializable); throws a StratusError to fail the call. */
export type MethodHandler = (payload: unknown, context: RequestContext) => unknown;

/** Method name -> handler. */
export type MethodHandlers = Readonly<Record<string, MethodHandler>>;

/** What a subscriber learns about an event beyond its payload. */
export interface EventContext {
  /** The event name, e.g. `compute.instance.create.end`. */
  readonly event: string;
  /** Unique id of this notification (the same on every subscriber). */
  readonly id: string;
  /** When it was sent, milliseconds since the epoch. */
  readonly timestamp: number;
}

/** Handles one notification. Errors it throws are logged, never redelivered. */
export type EventHandler = (payload: unknown, context: EventContext) => unknown;

/** A running server or subscription. */
export interface BusConsumer {
  /**
   * Stops taking new messages and resolves once the handlers already running have finished.
   * Idempotent; never throws.
   */
  stop(): Promise<void>;
}

/** RPC and notifications between services. Payloads cross it as JSON (a Date becomes a string). */
export interface Bus {
  /**
   * Sends `method(payload)` to one server of `target` and resolves with its reply.
   * Rejects with the handler's error code and message, `timeout` after `timeoutMs` (the handler
   * may still run), or `backend_unavailable` (retryable) if the connection drops while waiting.
   */
  call<Req = unknown, Res = unknown>(target: Target, method: string, payload: Req, options: CallOptions): Promise<Res>;
  /**
   * Queues `method(payload)` for exactly one server of `target` (at least once) and resolves once
   * the broker holds it. Rejects with `backend_unavailable` if no server ever declared the target.
   */
  cast<Req = unknown>(target: Target, method: string, payload: Req, options?: SendOptions): Promise<void>;
  /**
   * Starts serving `handlers` on `target` and resolves once requests flow. Unknown methods answer
   * `not_implemented`; non-Stratus errors answer `internal`. Serving a target twice shares its load.
   */
  serve(target: Target, handlers: MethodHandlers, options?: ServeOptions): Promise<BusConsumer>;
  /**
   * Publishes event `event` (dot-separated words) to every current subscriber whose pattern matches.
   * Resolves once the broker accepted it; nobody listening is not an error.
   */
  notify<P = unknown>(event: string, payload: P, options?: SendOptions): Promise<void>;
  /**
   * Subscribes to events matching `pattern` (`*` = one word, `#` = zero or more words) and resolves
   * once subscribed. Each subscription gets its own copy of every matching event.
   */
  subscribe(pattern: string, handler: EventHandler): Promise<BusConsumer>;
  /**
   * Stops every server and subscription, rejects pending calls with `backend_unavailable`
   * (not retryable) and releases the connection. Idempotent; later operations reject.
   */
  close(): Promise<void>;
}

/** The slice of a pino logger the bus writes to. */
export interface BusLogger {
  debug(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}
