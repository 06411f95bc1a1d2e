/**
 * The wire format of the bus, version 1: JSON envelopes for requests, replies and events.
 * Both transports carry exactly these strings, so in-process and AMQP behave the same.
 */
import { z } from "zod";
import { ERROR_CODES, internal, StratusError } from "../errors/index.js";

export const WIRE_VERSION = 1;

const requestSchema = z.object({
  v: z.literal(WIRE_VERSION),
  kind: z.enum(["call", "cast"]),
  /** Correlation id of a call; unique per request. */
  id: z.string().min(1),
  method: z.string().min(1),
  payload: z.unknown().optional(),
});

const wireErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).default({}),
  retryable: z.boolean().default(false),
});

const replySchema = z.discriminatedUnion("ok", [
  z.object({ v: z.literal(WIRE_VERSION), id: z.string().min(1), ok: z.literal(true), result: z.unknown().optional() }),
  z.object({ v: z.literal(WIRE_VERSION), id: z.string().min(1), ok: z.literal(false), error: wireErrorSchema }),
]);

const eventSchema = z.object({
  v: z.literal(WIRE_VERSION),
  id: z.string().min(1),
  event: z.string().min(1),
  timestamp: z.number(),
  payload: z.unknown().optional(),
});

export type RequestEnvelope = z.infer<typeof requestSchema>;
export type ReplyEnvelope = z.infer<typeof replySchema>;
export type EventEnvelope = z.infer<typeof eventSchema>;
export type WireError = z.infer<typeof wireErrorSchema>;

/** Encodes an envelope; throws `bad_request` if the payload is not JSON-serializable. */
export function encodeEnvelope(envelope: RequestEnvelope | ReplyEnvelope | EventEnvelope): string {
  try {
    return JSON.stringify(envelope);
  } catch (cause) {
    throw new StratusError("bad_request", "The bus payload is not JSON-serializable.", { cause });
  }
}

/** Decodes a request; throws `bad_request` naming what is wrong. */
export const decodeRequest = (body: string): RequestEnvelope => decode(requestSchema, body, "request");
/** Decodes a reply; throws `bad_request` naming what is wrong. */
export const decodeReply = (body: string): ReplyEnvelope => decode(replySchema, body, "reply");
/** Decodes an event; throws `bad_request` naming what is wrong. */
export const decodeEvent = (body: string): EventEnvelope => decode(eventSchema, body, "event");

function decode<T>(schema: z.ZodType<T>, body: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (cause) {
    throw new StratusError("bad_request", `The bus ${what} is not JSON.`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new StratusError("bad_request", `Malformed bus ${what}: ${z.prettifyError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** What a handler's failure looks like on the wire: StratusErrors keep code and message, others become `internal`. */
export function toWireError(thrown: unknown): WireError {
  const error = StratusError.is(thrown) ? thrown : internal("An unexpected error occurred.", { cause: thrown });
  return { code: error.code, message: error.message, details: { ...error.details }, retryable: error.retryable };
}

/** Rebuilds the server's error on the caller's side, with the remote origin as its cause. */
export function fromWireError(error: WireError, origin: string): StratusError {
  return new StratusError(error.code, error.message, {
    details: error.details,
    retryable: error.retryable,
    cause: new Error(`Raised by ${origin}`),
  });
}
