/**
 * Transports: how bytes reach an ovsdb-server. The protocol layer only ever sees a `Dialer`, a
 * function that opens one duplex stream, so tests can hand it an in-process pair and users can
 * bring their own (a proxy, a namespace-aware socket, …).
 */
import { connect as netConnect } from "node:net";
import type { Duplex } from "node:stream";
import { type ConnectionOptions, connect as tlsConnect } from "node:tls";

/** Opens one connection; rejects when it cannot be established. */
export type Dialer = (signal?: AbortSignal) => Promise<Duplex>;

/** An OVSDB remote as ovs-vsctl/ovn-nbctl spell it. */
export type Endpoint =
  | { kind: "tcp"; host: string; port: number }
  | { kind: "ssl"; host: string; port: number }
  | { kind: "unix"; path: string };

/** Thrown for an endpoint string that is not `tcp:HOST:PORT`, `ssl:HOST:PORT` or `unix:PATH`. */
export class EndpointError extends Error {
  override readonly name = "EndpointError";
}

/**
 * Parses one remote: `tcp:127.0.0.1:6641`, `tcp:[::1]:6641`, `ssl:host:6641`, `unix:/run/ovn/nb.sock`.
 * Throws EndpointError naming the string when it is malformed.
 */
export function parseEndpoint(text: string): Endpoint {
  const colon = text.indexOf(":");
  const scheme = colon < 0 ? "" : text.slice(0, colon);
  const rest = text.slice(colon + 1);
  if (scheme === "unix") {
    if (rest === "") throw new EndpointError(`"${text}": unix: needs a socket path`);
    return { kind: "unix", path: rest };
  }
  if (scheme === "tcp" || scheme === "ssl") {
    const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(rest);
    const port = m ? Number(m[3]) : Number.NaN;
    if (!m || port < 1 || port > 65535) {
      throw new EndpointError(`"${text}": expected ${scheme}:HOST:PORT (IPv6 hosts in brackets)`);
    }
    return { kind: scheme, host: (m[1] ?? m[2]) as string, port };
  }
  throw new EndpointError(`"${text}": unknown scheme (expected tcp:, ssl: or unix:)`);
}

/**
 * Parses a comma-separated list of remotes, as OVN_NB_DB holds for a cluster:
 * `tcp:10.0.0.1:6641,tcp:10.0.0.2:6641`. Throws EndpointError on the first bad one.
 */
export function parseEndpoints(text: string): Endpoint[] {
  const parts = text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (parts.length === 0) throw new EndpointError("no OVSDB remote given");
  return parts.map(parseEndpoint);
}

/** Renders an endpoint back to its remote string. */
export function formatEndpoint(e: Endpoint): string {
  if (e.kind === "unix") return `unix:${e.path}`;
  const host = e.host.includes(":") ? `[${e.host}]` : e.host;
  return `${e.kind}:${host}:${e.port}`;
}

export interface DialOptions {
  /** TLS settings for ssl: endpoints (key, cert, ca as ovs-pki makes them). */
  tls?: ConnectionOptions;
  /** Give up connecting after this many ms (default 5000). */
  connectTimeoutMs?: number;
}

/** A Dialer for one endpoint, using node:net or node:tls. */
export function dialerFor(endpoint: Endpoint | string, options: DialOptions = {}): Dialer {
  const e = typeof endpoint === "string" ? parseEndpoint(endpoint) : endpoint;
  const timeout = options.connectTimeoutMs ?? 5000;
  return (signal) =>
    new Promise<Duplex>((resolve, reject) => {
      const socket =
        e.kind === "unix"
          ? netConnect({ path: e.path })
          : e.kind === "tcp"
            ? netConnect({ host: e.host, port: e.port, noDelay: true })
            : tlsConnect({ host: e.host, port: e.port, servername: isIp(e.host) ? "" : e.host, ...options.tls });
      const ready = e.kind === "ssl" ? "secureConnect" : "connect";
      const fail = (err: Error): void => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = (): void => fail(new Error(`connecting to ${formatEndpoint(e)} aborted`));
      const timer = setTimeout(
        () => fail(new Error(`connecting to ${formatEndpoint(e)} timed out after ${timeout} ms`)),
        timeout,
      );
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off("error", fail);
        signal?.removeEventListener("abort", onAbort);
      };
      socket.once(ready, () => {
        cleanup();
        if ("setNoDelay" in socket) socket.setNoDelay(true);
        resolve(socket);
      });
      socket.once("error", fail);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener("abort", onAbort, { once: true });
    });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(":");
}
