/**
 * Test helpers for code that uses @stratus/ovsdb: an in-process stream pair, so a client can be
 * handed a Dialer that reaches a scripted peer with no socket at all.
 */
import { Duplex } from "node:stream";
import type { Dialer } from "./transport.js";

class PairSide extends Duplex {
  peer: PairSide | undefined;
  override _read(): void {}
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.peer?.push(chunk);
    cb();
  }
  override _final(cb: (err?: Error | null) => void): void {
    this.peer?.push(null);
    cb();
  }
  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const peer = this.peer;
    this.peer = undefined;
    if (peer && !peer.destroyed) peer.destroy();
    cb(err);
  }
}

/** Two connected in-process streams: what one side writes, the other reads. */
export function duplexPair(): [Duplex, Duplex] {
  const a = new PairSide();
  const b = new PairSide();
  a.peer = b;
  b.peer = a;
  return [a, b];
}

/**
 * A Dialer whose every dial creates a fresh pair and hands the far side to `accept` (a scripted
 * server in a test).
 */
export function inProcessDialer(accept: (serverSide: Duplex) => void): Dialer {
  return async () => {
    const [client, server] = duplexPair();
    accept(server);
    return client;
  };
}
