/**
 * The serving half of the protocol: decode a request, run its handler, send the reply, settle.
 * Never throws: every failure is either replied to the caller or logged.
 */
import { internal, notImplemented, StratusError } from "../errors/index.js";
import {
  decodeEvent,
  decodeRequest,
  encodeEnvelope,
  type ReplyEnvelope,
  toWireError,
  WIRE_VERSION,
} from "./envelope.js";
import { describeTarget } from "./names.js";
import type { BusTransport, TransportRequest } from "./transport.js";
import type { BusLogger, EventHandler, MethodHandlers, Target } from "./types.js";

/** Handles one request; resolves when it has been answered (if a call) and settled. */
export async function handleRequest(
  transport: BusTransport,
  logger: BusLogger,
  target: Target,
  handlers: MethodHandlers,
  request: TransportRequest,
): Promise<void> {
  let envelope: ReturnType<typeof decodeRequest>;
  try {
    envelope = decodeRequest(request.body);
  } catch (error) {
    // A poison message would loop forever if requeued: log it and drop it.
    logger.warn({ err: error, target: describeTarget(target) }, "Dropped a malformed bus request");
    request.settle();
    return;
  }
  const { id, method, kind } = envelope;
  let reply: ReplyEnvelope;
  try {
    const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
    if (handler === undefined) {
      throw notImplemented(`Method "${method}" is not served on "${describeTarget(target)}".`);
    }
    const result: unknown = await handler(envelope.payload, { target, method, kind });
    reply = { v: WIRE_VERSION, id, ok: true, result };
  } catch (error) {
    if (!StratusError.is(error) || error.code === "internal") {
      logger.error({ err: error, target: describeTarget(target), method }, "A bus handler failed");
    }
    reply = { v: WIRE_VERSION, id, ok: false, error: toWireError(error) };
  }
  if (kind === "call" && request.replyTo !== undefined) {
    await sendReply(transport, logger, request.replyTo, reply);
  } else if (!reply.ok) {
    logger.warn({ target: describeTarget(target), method, code: reply.error.code }, "A bus cast failed");
  }
  request.settle();
}

async function sendReply(transport: BusTransport, logger: BusLogger, replyTo: string, reply: ReplyEnvelope) {
  let body: string;
  try {
    body = encodeEnvelope(reply);
  } catch (error) {
    logger.error({ err: error }, "A bus handler returned a reply that is not JSON");
    const error_ = internal("The handler's reply is not JSON-serializable.");
    body = encodeEnvelope({ v: WIRE_VERSION, id: reply.id, ok: false, error: toWireError(error_) });
  }
  try {
    await transport.sendReply(replyTo, body);
  } catch (error) {
    logger.warn({ err: error, id: reply.id }, "Could not send a bus reply");
  }
}

/** Runs one subscriber on one event; resolves when done and never throws. */
export async function handleEvent(
  logger: BusLogger,
  pattern: string,
  handler: EventHandler,
  body: string,
): Promise<void> {
  try {
    const { event, id, timestamp, payload } = decodeEvent(body);
    await handler(payload, { event, id, timestamp });
  } catch (error) {
    logger.warn({ err: error, pattern }, "A bus subscriber failed on an event");
  }
}
