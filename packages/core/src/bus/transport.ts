/**
 * What the RPC protocol needs from a message broker. The protocol (correlation, timeouts, error
 * propagation) lives once in `RpcBus`; a transport only moves opaque JSON strings around.
 */
import type { Target } from "./types.js";

/** A request as a server receives it. */
export interface TransportRequest {
  /** The encoded envelope. */
  readonly body: string;
  /** Opaque address for `sendReply`; absent for casts. */
  readonly replyTo?: string;
  /**
   * Acknowledges the request once handled, so the broker does not redeliver it. Idempotent;
   * a no-op if the link carrying the request is gone (the broker then redelivers it).
   */
  settle(): void;
}

export interface SendRequestOptions {
  /** Whether the server should be told where to reply (a call). */
  readonly expectReply: boolean;
  /** Whether the request must survive a broker restart and wait for a server (a cast). */
  readonly persistent: boolean;
  /** Drop the request if no server took it within this many milliseconds. */
  readonly ttlMs?: number;
  /** Reject with `backend_unavailable` when no queue exists for the target. */
  readonly mandatory: boolean;
  /** Resolve only once the broker confirmed it holds the request. */
  readonly confirm: boolean;
  /** How long to wait for a usable link before rejecting with `backend_unavailable`. */
  readonly waitMs: number;
}

/** Callbacks the protocol hands the transport once, at start. */
export interface TransportEvents {
  /** A reply arrived for this client. */
  onReply(body: string): void;
  /** The link dropped: requests already sent will get no reply. */
  onLinkDown(error: Error): void;
}

/** A running consumer inside the transport. */
export interface TransportConsumer {
  /**
   * Stops delivery (and re-declaring after reconnects), awaits `whenIdle` so running handlers can
   * still acknowledge, then releases the consumer. Idempotent; never throws.
   */
  cancel(whenIdle: () => Promise<void>): Promise<void>;
}

export interface BusTransport {
  /** Registers the protocol's callbacks; called once before anything else. */
  start(events: TransportEvents): void;
  /** Sends a request to the queue of `target`. Rejects with `backend_unavailable` on failure. */
  sendRequest(target: Target, body: string, options: SendRequestOptions): Promise<void>;
  /** Sends a reply; drops it (resolving) if its caller's link is gone. Never waits for a reconnect. */
  sendReply(replyTo: string, body: string): Promise<void>;
  /** Publishes a notification; rejects with `backend_unavailable` when the broker cannot take it. */
  publishEvent(event: string, body: string, options: { readonly waitMs: number }): Promise<void>;
  /** Declares the queue of `target` and consumes it, again after every reconnect. */
  consumeRequests(
    target: Target,
    onRequest: (request: TransportRequest) => void,
    options: { readonly prefetch: number; readonly waitMs: number },
  ): Promise<TransportConsumer>;
  /** Declares a private queue bound to `pattern` and consumes it, again after every reconnect. */
  consumeEvents(
    pattern: string,
    onEvent: (body: string) => void,
    options: { readonly waitMs: number },
  ): Promise<TransportConsumer>;
  /** Releases the connection. Idempotent. */
  close(): Promise<void>;
}
