/**
 * One AMQP connection kept alive: dials through the given dialer, runs the session setup,
 * reports drops, and redials with backoff until closed. Knows nothing of the bus protocol.
 */
import type { ChannelModel } from "amqplib";
import { backendUnavailable } from "../errors/index.js";
import { type BackoffPolicy, backoffDelay } from "./backoff.js";
import type { BusLogger } from "./types.js";

/** Opens one AMQP connection. A transport never opens sockets itself: it asks its dialer. */
export interface AmqpDialer {
  (): Promise<ChannelModel>;
  /** Where it dials, for error messages (no password). */
  readonly label?: string;
}

export interface AmqpLinkHooks<S> {
  /** Prepares a session on a fresh connection; a rejection counts as a failed attempt. */
  setup(model: ChannelModel, generation: number): Promise<S>;
  /** Called once per session after setup: re-declare consumers here. */
  onUp(session: S): void;
  /** Called once per lost session, with the reason. */
  onDown(session: S, error: Error): void;
}

interface Waiter<S> {
  readonly resolve: (session: S) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** A self-healing connection; `whenOpen` hands out the current session. */
export class AmqpLink<S> {
  readonly #dialer: AmqpDialer;
  readonly #hooks: AmqpLinkHooks<S>;
  readonly #backoff: BackoffPolicy;
  readonly #logger: BusLogger;
  readonly #waiters = new Set<Waiter<S>>();
  #session: S | undefined;
  #model: ChannelModel | undefined;
  #lastError: unknown;
  #closed = false;
  #wakeUp: (() => void) | undefined;
  #loop: Promise<void> | undefined;

  constructor(dialer: AmqpDialer, hooks: AmqpLinkHooks<S>, backoff: BackoffPolicy, logger: BusLogger) {
    this.#dialer = dialer;
    this.#hooks = hooks;
    this.#backoff = backoff;
    this.#logger = logger;
  }

  /** Where the dialer connects, for messages. */
  get label(): string {
    return this.#dialer.label ?? "the AMQP broker";
  }

  /** Starts dialing in the background. Idempotent. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /** The current session, if connected; never waits. */
  current(): S | undefined {
    return this.#session;
  }

  /** Resolves with the session, waiting up to `waitMs` for a (re)connect; else `backend_unavailable`. */
  whenOpen(waitMs: number): Promise<S> {
    if (this.#session !== undefined) return Promise.resolve(this.#session);
    if (this.#closed) return Promise.reject(this.#closedError());
    return new Promise<S>((resolve, reject) => {
      const waiter: Waiter<S> = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(
            backendUnavailable(`No connection to ${this.label} within ${waitMs} ms.`, {
              retryable: true,
              cause: this.#lastError,
            }),
          );
        }, waitMs),
      };
      this.#waiters.add(waiter);
    });
  }

  /** Drops the current connection so the link redials (after a channel failed). Never throws. */
  recycle(reason: string): void {
    this.#logger.warn({ reason }, "Recycling the AMQP connection");
    this.#model?.close().catch(() => {});
  }

  /** Closes the connection and stops redialing; waiters reject. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeUp?.();
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(this.#closedError());
    }
    this.#waiters.clear();
    await this.#model?.close().catch(() => {});
    // A dialer stuck in a TCP connect must not make close() hang.
    let timer: NodeJS.Timeout | undefined;
    const bounded = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 5_000);
    });
    await Promise.race([this.#loop, bounded]);
    clearTimeout(timer);
  }

  async #run(): Promise<void> {
    let attempt = 0;
    for (let generation = 1; !this.#closed; generation += 1) {
      let model: ChannelModel | undefined;
      try {
        model = await this.#dialer();
        this.#model = model;
        const lost = new Promise<Error>((resolve) => {
          model?.once("close", (error?: Error) => resolve(error ?? new Error("The AMQP connection closed.")));
        });
        model.on("error", (error: Error) => this.#logger.warn({ err: error }, "AMQP connection error"));
        if (this.#closed) {
          await model.close().catch(() => {});
          break;
        }
        const session = await this.#hooks.setup(model, generation);
        attempt = 0;
        this.#up(session);
        const error = await lost;
        this.#session = undefined;
        this.#lastError = error;
        if (!this.#closed) this.#logger.warn({ err: error }, `Lost the connection to ${this.label}`);
        this.#hooks.onDown(session, error);
      } catch (error) {
        this.#lastError = error;
        this.#logger.warn({ err: error, attempt }, `Could not connect to ${this.label}`);
        await model?.close().catch(() => {});
      }
      this.#model = undefined;
      if (this.#closed) break;
      attempt += 1;
      await this.#sleep(backoffDelay(attempt, this.#backoff));
    }
    this.#model = undefined;
  }

  #up(session: S): void {
    this.#session = session;
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(session);
    }
    this.#waiters.clear();
    this.#hooks.onUp(session);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #closedError(): Error {
    return backendUnavailable("The AMQP bus is closed.", { retryable: false });
  }
}
