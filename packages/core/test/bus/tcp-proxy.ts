/**
 * A tiny TCP proxy on loopback, to break a client's connection to the broker on demand:
 * `cut()` kills every connection and refuses new ones (a broker down), `heal()` lets them in.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export interface TcpProxy {
  /** The loopback port clients should dial. */
  readonly port: number;
  /** How many client connections are open right now. */
  readonly openConnections: number;
  /** Destroys every proxied connection and refuses new ones until `heal()`. Idempotent. */
  cut(): void;
  /** Accepts connections again. Idempotent. */
  heal(): void;
  /** Cuts everything and stops listening. Idempotent. */
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (random port) to `host:port`. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let refusing = false;
  const server: Server = createServer((client) => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect({ host, port });
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of pair) {
      socket.on("error", drop);
      socket.on("close", drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const address = server.address();
  if (address === null || typeof address !== "object") throw new Error("The proxy has no port.");
  const cut = () => {
    refusing = true;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
  };
  return {
    port: address.port,
    get openConnections() {
      return pairs.size;
    },
    cut,
    heal: () => {
      refusing = false;
    },
    close: () => {
      cut();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
