/**
 * Process lifecycle: oslo.middleware's `/healthcheck` and a graceful stop on SIGTERM/SIGINT.
 * `app.close()` stops accepting, answers new requests on open connections with a 503 fault,
 * and resolves once in-flight requests have finished.
 */
import type { FastifyInstance } from "fastify";
import { SUCCESS_STATUS } from "./status-table.js";

/** Adds `GET /healthcheck` (200 `OK`, text/plain) and `HEAD /healthcheck` (204), public and unversioned. */
export function registerHealthcheck(app: FastifyInstance): void {
  const config = { public: true, unversioned: true } as const;
  app.route({
    method: "GET",
    url: "/healthcheck",
    config,
    exposeHeadRoute: false,
    handler: (_request, reply) => reply.code(SUCCESS_STATUS.ok).type("text/plain; charset=UTF-8").send("OK"),
  });
  app.route({
    method: "HEAD",
    url: "/healthcheck",
    config,
    handler: (_request, reply) => reply.code(SUCCESS_STATUS.noContent).send(),
  });
}

/** Something that can be closed gracefully (a Fastify app). */
export interface Closable {
  /** Stops accepting work and resolves when in-flight work is done. */
  close(): Promise<unknown>;
}

export interface ShutdownOptions {
  /** The signals to handle; default SIGTERM and SIGINT. */
  readonly signals?: readonly NodeJS.Signals[];
  /** Give up waiting for in-flight requests after this many ms (default 25 000, under systemd's 30 s). */
  readonly timeoutMs?: number;
  /** Called with the exit code once everything is closed (default `process.exit`). */
  readonly exit?: (code: number) => void;
  /** Told about the signal and the outcome. */
  readonly log?: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * On the first signal, closes every app at once and exits 0 (1 if one failed or the timeout hit);
 * a second signal exits 1 immediately. Returns a function that removes the handlers.
 */
export function installShutdownHandlers(apps: readonly Closable[], options: ShutdownOptions = {}): () => void {
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const timeoutMs = options.timeoutMs ?? 25_000;
  let stopping = false;

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      exit(1);
      return;
    }
    stopping = true;
    options.log?.info({ signal, apps: apps.length }, "shutting down: draining in-flight requests");
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
      timer.unref();
    });
    const closed = Promise.allSettled(apps.map((app) => app.close()));
    void Promise.race([closed, timedOut]).then((outcome) => {
      clearTimeout(timer);
      const failed =
        outcome === "timeout"
          ? ["timeout"]
          : outcome.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
      if (failed.length > 0) options.log?.error({ failed }, "shutdown incomplete");
      else options.log?.info({}, "shutdown complete");
      exit(failed.length > 0 ? 1 : 0);
    });
  };

  for (const s of signals) process.on(s, onSignal);
  return () => {
    for (const s of signals) process.off(s, onSignal);
  };
}
