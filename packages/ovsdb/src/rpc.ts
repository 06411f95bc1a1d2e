/**
 * JSON-RPC 1.0 over one stream, as OVSDB speaks it: requests carry an id and get exactly one
 * response; notifications (`update`, `locked`, …) have id null. The server's `echo` requests are
 * answered here, and an inactivity probe sends our own `echo` when the line has been quiet, so
 * a dead peer is noticed without waiting for TCP.
 */
import type { Duplex } from "node:stream";
import { JsonStreamSplitter } from "./framing.js";

/** The server answered a request with an error (`{"error": "...", "details": "..."}` or a string). */
export class RpcError extends Error {
  override readonly name = "RpcError";
  constructor(
    readonly method: string,
    /** the server's error value, e.g. "unknown database" or {error, details} */
    readonly error: unknown,
  ) {
    super(`${method}: ${describe(error)}`);
  }
}

/** The connection closed (or was closed) before the answer came. */
export class ConnectionClosedError extends Error {
  override readonly name = "ConnectionClosedError";
}

export interface RpcOptions {
  /** Send an echo after this many ms without a message; close if the next period passes too (0: off). Default 5000. */
  inactivityProbeMs?: number;
}

type Pending = { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void };
export type NotificationHandler = (params: unknown[]) => void;

export class RpcConnection {
  private readonly splitter = new JsonStreamSplitter();
  private readonly pending = new Map<number, Pending>();
  private readonly handlers = new Map<string, NotificationHandler>();
  private readonly closeHandlers: ((err: Error | undefined) => void)[] = [];
  private nextId = 1;
  private lastHeard = Date.now();
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private closedWith: Error | undefined;
  private closed = false;

  constructor(
    private readonly stream: Duplex,
    options: RpcOptions = {},
  ) {
    stream.on("data", (chunk: Buffer) => this.onData(chunk));
    // a socket error (ECONNRESET, EPIPE, …) means the connection is gone, whatever its cause
    stream.on("error", (err) =>
      this.close(new ConnectionClosedError(`connection lost: ${err.message}`, { cause: err })),
    );
    stream.on("close", () => this.close(new ConnectionClosedError("connection closed by peer")));
    stream.on("end", () => this.close(new ConnectionClosedError("connection closed by peer")));
    const probe = options.inactivityProbeMs ?? 5000;
    if (probe > 0) this.startProbe(probe);
  }

  /** Whether close() ran or the stream ended. */
  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Sends a request and resolves with its `result`. Rejects with RpcError when the server answers
   * with an error, ConnectionClosedError when the connection goes away first.
   */
  request(method: string, params: unknown[]): Promise<unknown> {
    if (this.closed) return Promise.reject(this.closedWith ?? new ConnectionClosedError("connection is closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      this.write({ method, params, id });
    });
  }

  /** The id the next request() will carry (for `cancel`, which names a request by id). */
  peekNextId(): number {
    return this.nextId;
  }

  /** Sends a notification (a request with id null, no answer expected). */
  notify(method: string, params: unknown[]): void {
    if (!this.closed) this.write({ method, params, id: null });
  }

  /** Routes notifications (and server requests other than echo) by method; one handler each. */
  on(method: string, handler: NotificationHandler): void {
    this.handlers.set(method, handler);
  }

  /** Called once when the connection ends; err is undefined after a local close(). */
  onClose(handler: (err: Error | undefined) => void): void {
    if (this.closed) handler(this.closedWith);
    else this.closeHandlers.push(handler);
  }

  /** Closes the stream and fails every pending request. Idempotent. */
  close(err?: Error): void {
    if (this.closed) return;
    this.closed = true;
    this.closedWith = err;
    if (this.probeTimer) clearInterval(this.probeTimer);
    const reason = err ?? new ConnectionClosedError("connection closed");
    for (const p of this.pending.values()) p.reject(reason);
    this.pending.clear();
    this.stream.destroy();
    for (const h of this.closeHandlers.splice(0)) h(err);
  }

  private write(message: unknown): void {
    this.stream.write(JSON.stringify(message));
  }

  private onData(chunk: Buffer): void {
    this.lastHeard = Date.now();
    let messages: unknown[];
    try {
      messages = this.splitter.push(chunk);
    } catch (err) {
      this.close(err as Error);
      return;
    }
    for (const m of messages) this.dispatch(m);
  }

  private dispatch(message: unknown): void {
    if (typeof message !== "object" || message === null || Array.isArray(message)) {
      this.close(new Error("protocol error: a JSON-RPC message must be an object"));
      return;
    }
    const m = message as { method?: unknown; params?: unknown; id?: unknown; result?: unknown; error?: unknown };
    if (typeof m.method === "string") {
      const params = Array.isArray(m.params) ? m.params : [];
      if (m.method === "echo" && m.id !== null && m.id !== undefined) {
        this.write({ result: params, error: null, id: m.id });
        return;
      }
      const handler = this.handlers.get(m.method);
      if (handler) handler(params);
      else if (m.id !== null && m.id !== undefined) {
        this.write({ result: null, error: { error: "unknown method", details: m.method }, id: m.id });
      }
      return;
    }
    if (typeof m.id !== "number") return; // a reply we never asked for (e.g. to a cancelled probe)
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.error !== null && m.error !== undefined) p.reject(new RpcError(p.method, m.error));
    else p.resolve(m.result);
  }

  private startProbe(intervalMs: number): void {
    this.probeTimer = setInterval(
      () => {
        if (this.closed || this.probing) return;
        const quiet = Date.now() - this.lastHeard;
        if (quiet < intervalMs) return;
        this.probing = true;
        const deadline = setTimeout(
          () => this.close(new ConnectionClosedError(`no answer to an echo probe within ${intervalMs} ms`)),
          intervalMs,
        );
        deadline.unref();
        this.request("echo", ["stratus-probe"])
          .catch(() => undefined)
          .finally(() => {
            clearTimeout(deadline);
            this.probing = false;
          });
      },
      Math.max(50, Math.floor(intervalMs / 2)),
    );
    this.probeTimer.unref();
  }
}

function describe(error: unknown): string {
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const e = error as { error?: unknown; details?: unknown };
    if (typeof e.error === "string") return typeof e.details === "string" ? `${e.error}: ${e.details}` : e.error;
  }
  return JSON.stringify(error);
}
