/**
 * A queue consumer that survives reconnects: on every new session it opens a channel,
 * re-declares its queue and consumes again, until cancelled.
 */
import type { Channel, ConsumeMessage } from "amqplib";
import type { AmqpLink } from "./amqp-link.js";
import type { AmqpSession } from "./amqp-session.js";

export interface AmqpConsumerSpec {
  /** Declares (and binds) the queue on `channel`; returns its name. */
  declare(channel: Channel): Promise<string>;
  /** Messages are acknowledged by `deliver` (false) or on arrival by the broker (true). */
  readonly noAck: boolean;
  /** Unacknowledged messages in flight at once (ignored with noAck). */
  readonly prefetch?: number;
  /** Takes one message; must not throw. */
  deliver(message: ConsumeMessage, channel: Channel): void;
}

export class AmqpConsumer {
  readonly #spec: AmqpConsumerSpec;
  readonly #link: AmqpLink<AmqpSession>;
  #generation = 0;
  #attaching: Promise<void> = Promise.resolve();
  #channel: Channel | undefined;
  #tag: string | undefined;
  #cancelling: Promise<void> | undefined;

  constructor(spec: AmqpConsumerSpec, link: AmqpLink<AmqpSession>) {
    this.#spec = spec;
    this.#link = link;
  }

  /** Consumes on `session`; resolves once consuming. Idempotent per session; rejects on a channel error. */
  attach(session: AmqpSession): Promise<void> {
    if (this.#cancelling !== undefined) return Promise.resolve();
    if (this.#generation !== session.generation) {
      this.#generation = session.generation;
      this.#attaching = this.#open(session);
    }
    return this.#attaching;
  }

  /** Stops delivery, waits for `whenIdle` (handlers to ack), then closes the channel. Idempotent. */
  cancel(whenIdle: () => Promise<void>): Promise<void> {
    this.#cancelling ??= (async () => {
      const channel = this.#channel;
      if (channel !== undefined && this.#tag !== undefined) await channel.cancel(this.#tag).catch(() => {});
      await whenIdle();
      this.#channel = undefined;
      await channel?.close().catch(() => {});
    })();
    return this.#cancelling;
  }

  async #open(session: AmqpSession): Promise<void> {
    const channel = await session.model.createChannel();
    this.#channel = channel;
    channel.on("error", () => {}); // the 'close' that follows is what we act on
    channel.on("close", () => {
      if (this.#channel === channel && this.#cancelling === undefined) this.#lost(session, "a consumer channel closed");
    });
    try {
      if (!this.#spec.noAck && this.#spec.prefetch !== undefined) await channel.prefetch(this.#spec.prefetch);
      const queue = await this.#spec.declare(channel);
      const { consumerTag } = await channel.consume(
        queue,
        (message) => {
          // null: the broker cancelled us (queue deleted); redeclare through a fresh connection.
          if (message === null) this.#lost(session, "the broker cancelled a consumer");
          else this.#spec.deliver(message, channel);
        },
        { noAck: this.#spec.noAck },
      );
      this.#tag = consumerTag;
    } catch (error) {
      if (this.#channel === channel) this.#channel = undefined;
      this.#generation = 0; // let a later session try again
      await channel.close().catch(() => {});
      throw error;
    }
    if (this.#cancelling !== undefined) await channel.close().catch(() => {});
  }

  #lost(session: AmqpSession, reason: string): void {
    this.#channel = undefined;
    // Let a connection drop (which closes every channel) settle before deciding to recycle.
    setImmediate(() => {
      if (this.#link.current() === session) this.#link.recycle(reason);
    });
  }
}
