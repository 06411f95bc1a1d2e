/**
 * One connection's worth of AMQP state for the bus: the confirm channel that publishes and
 * receives direct replies, and publishing with confirms and mandatory returns.
 */
import { randomUUID } from "node:crypto";
import type { ChannelModel, ConfirmChannel, Options } from "amqplib";
import { backendUnavailable, conflict, forbidden, type StratusError } from "../errors/index.js";
import type { AmqpTopology } from "./amqp-topology.js";

/** RabbitMQ's pseudo-queue for direct reply-to: replies go straight to the calling channel. */
export const DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";

export interface AmqpSession {
  readonly generation: number;
  readonly model: ChannelModel;
  /** Publishes everything and consumes direct replies (they must share a channel). */
  readonly channel: ConfirmChannel;
  /** Ids of mandatory messages the broker returned as unroutable, until their confirm arrives. */
  readonly returned: Set<string>;
  /** Rejecters of publishes awaiting a confirm, failed at once when the connection drops. */
  readonly confirms: Set<(error: Error) => void>;
}

/** Opens the session's channel, declares the exchanges and starts receiving replies. */
export async function openSession(
  model: ChannelModel,
  generation: number,
  topology: AmqpTopology,
  onReply: (body: string) => void,
  onChannelLost: (session: AmqpSession) => void,
): Promise<AmqpSession> {
  const channel = await model.createConfirmChannel();
  const session: AmqpSession = { generation, model, channel, returned: new Set(), confirms: new Set() };
  channel.on("error", () => {}); // the 'close' that follows is what we act on
  channel.on("close", () => onChannelLost(session));
  channel.on("return", (message: { properties: { messageId?: unknown } }) => {
    if (typeof message.properties.messageId === "string") session.returned.add(message.properties.messageId);
  });
  // Durable exchanges: declaring them is idempotent and they cost nothing when unused.
  await channel.assertExchange(topology.rpcExchange, "direct", { durable: true });
  await channel.assertExchange(topology.eventExchange, "topic", { durable: true });
  await channel.consume(DIRECT_REPLY_TO, (message) => message && onReply(message.content.toString("utf8")), {
    noAck: true,
  });
  return session;
}

/** Fails every publish still waiting for a confirm on a lost session. */
export function failConfirms(session: AmqpSession, error: Error): void {
  for (const fail of [...session.confirms]) fail(error);
}

export interface PublishOptions {
  readonly persistent: boolean;
  readonly mandatory: boolean;
  readonly replyTo?: string;
  readonly ttlMs?: number;
  /** Wait for the broker's confirm (and any return) before resolving, up to `waitMs`. */
  readonly confirm: boolean;
  readonly waitMs: number;
  /** The error for a mandatory message nobody could receive. */
  readonly unroutable?: () => StratusError;
}

/** Publishes one message; rejects with `backend_unavailable` (retryable) when the broker did not take it. */
export function publish(
  session: AmqpSession,
  exchange: string,
  routingKey: string,
  body: string,
  options: PublishOptions,
): Promise<void> {
  const messageId = randomUUID();
  const properties: Options.Publish = {
    persistent: options.persistent,
    mandatory: options.mandatory,
    messageId,
    contentType: "application/json",
    ...(options.replyTo === undefined ? {} : { replyTo: options.replyTo }),
    ...(options.ttlMs === undefined ? {} : { expiration: String(Math.ceil(options.ttlMs)) }),
  };
  const content = Buffer.from(body, "utf8");
  if (!options.confirm) {
    try {
      session.channel.publish(exchange, routingKey, content, properties);
      return Promise.resolve();
    } catch (cause) {
      return Promise.reject(backendUnavailable("Could not publish to the broker.", { cause, retryable: true }));
    }
  }
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (error?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      session.confirms.delete(lost);
      session.returned.delete(messageId);
      if (error === undefined) resolve();
      else reject(error);
    };
    const lost = (cause: Error) =>
      finish(backendUnavailable("Lost the broker before it confirmed the message.", { cause, retryable: true }));
    const timer = setTimeout(
      () => finish(backendUnavailable(`The broker did not confirm within ${options.waitMs} ms.`, { retryable: true })),
      options.waitMs,
    );
    session.confirms.add(lost);
    try {
      session.channel.publish(exchange, routingKey, content, properties, (error: unknown) => {
        if (error)
          return finish(backendUnavailable("The broker refused the message.", { cause: error, retryable: true }));
        if (session.returned.has(messageId) && options.unroutable) return finish(options.unroutable());
        finish();
      });
    } catch (cause) {
      finish(backendUnavailable("Could not publish to the broker.", { cause, retryable: true }));
    }
  });
}

/** Translates an AMQP channel error (a declare, bind or consume that failed) into our codes. */
export function fromAmqpError(error: unknown, what: string): StratusError {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 406) return conflict(`${what}: the broker holds it with other settings.`, { cause: error });
  if (code === 403) return forbidden(`${what}: the broker refused access.`, { cause: error });
  return backendUnavailable(`${what} failed.`, { cause: error, retryable: true });
}
