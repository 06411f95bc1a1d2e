import type { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { JsonStreamSplitter } from "./framing.js";
import { ConnectionClosedError, RpcConnection, RpcError } from "./rpc.js";
import { duplexPair } from "./testing.js";

/** A scripted peer: records what it receives, answers with `reply`. */
function peer(side: Duplex, reply: (m: Record<string, unknown>) => unknown): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  const splitter = new JsonStreamSplitter();
  side.on("data", (chunk: Buffer) => {
    for (const m of splitter.push(chunk) as Record<string, unknown>[]) {
      seen.push(m);
      const r = reply(m);
      if (r !== undefined) side.write(JSON.stringify(r));
    }
  });
  return seen;
}

describe("RpcConnection", () => {
  it("matches answers to requests by id, even out of order", async () => {
    const [c, s] = duplexPair();
    const held: Record<string, unknown>[] = [];
    peer(s, (m) => {
      held.push(m);
      if (held.length === 2) {
        for (const h of [...held].reverse()) s.write(JSON.stringify({ result: [h.method], error: null, id: h.id }));
      }
      return undefined;
    });
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const [a, b] = await Promise.all([rpc.request("list_dbs", []), rpc.request("get_schema", ["X"])]);
    expect(a).toEqual(["list_dbs"]);
    expect(b).toEqual(["get_schema"]);
    rpc.close();
  });

  it("rejects with RpcError carrying the server's error and details", async () => {
    const [c, s] = duplexPair();
    peer(s, (m) => ({ result: null, error: { error: "unknown database", details: "Nope" }, id: m.id }));
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const err = await rpc.request("get_schema", ["Nope"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).message).toBe("get_schema: unknown database: Nope");
    rpc.close();
  });

  it("answers the server's echo with the same params and id", async () => {
    const [c, s] = duplexPair();
    const seen = peer(s, () => undefined);
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    s.write(JSON.stringify({ method: "echo", params: ["ping", 7], id: "echo" }));
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual([{ result: ["ping", 7], error: null, id: "echo" }]);
    rpc.close();
  });

  it("routes notifications by method", async () => {
    const [c, s] = duplexPair();
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const got: unknown[] = [];
    rpc.on("update2", (p) => got.push(p));
    s.write(JSON.stringify({ method: "update2", params: ["m1", { T: {} }], id: null }));
    await new Promise((r) => setTimeout(r, 20));
    expect(got).toEqual([["m1", { T: {} }]]);
    rpc.close();
  });

  it("fails pending requests with ConnectionClosedError when the peer goes away", async () => {
    const [c, s] = duplexPair();
    peer(s, () => undefined);
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const pending = rpc.request("transact", ["DB"]);
    s.destroy();
    await expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(rpc.request("echo", [])).rejects.toBeInstanceOf(ConnectionClosedError);
  });

  it("probes a quiet line with echo and keeps a peer that answers", async () => {
    const [c, s] = duplexPair();
    const seen = peer(s, (m) => (m.method === "echo" ? { result: m.params, error: null, id: m.id } : undefined));
    const rpc = new RpcConnection(c, { inactivityProbeMs: 60 });
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.some((m) => m.method === "echo")).toBe(true);
    expect(rpc.isClosed).toBe(false);
    rpc.close();
  });

  it("closes the connection when a probe goes unanswered", async () => {
    const [c, s] = duplexPair();
    peer(s, () => undefined);
    const rpc = new RpcConnection(c, { inactivityProbeMs: 50 });
    const closed = new Promise<Error | undefined>((r) => rpc.onClose(r));
    const err = await closed;
    expect(err?.message).toMatch(/no answer to an echo probe/);
  });

  it("closes on a protocol error rather than guessing", async () => {
    const [c, s] = duplexPair();
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const closed = new Promise<Error | undefined>((r) => rpc.onClose(r));
    s.write("not json at all");
    expect((await closed)?.message).toMatch(/unexpected byte/);
  });
});

describe("RpcConnection on a socket error", () => {
  it("fails pending requests with ConnectionClosedError carrying the cause (a retry can tell it apart)", async () => {
    const [c, s] = duplexPair();
    peer(s, () => undefined);
    const rpc = new RpcConnection(c, { inactivityProbeMs: 0 });
    const pending = rpc.request("transact", ["DB"]);
    c.emit("error", Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }));
    const err = await pending.catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(ConnectionClosedError);
    expect(err.message).toBe("connection lost: read ECONNRESET");
    expect((err.cause as { code?: string }).code).toBe("ECONNRESET");
  });
});
