/**
 * `OvsdbClient`: one database on one server or cluster, kept in an in-memory replica.
 *
 * - Connects to any endpoint; for a clustered (RAFT) database it reads `_Server`'s Database table
 *   and moves on until it finds the leader (writes go there; `leaderOnly: false` accepts any
 *   connected member), and reconnects when that member stops being leader.
 * - Monitors the tables asked for with `monitor_cond_since`; after a reconnect it resumes from
 *   the last transaction id and purges the replica only when the server says it cannot
 *   (found=false), falling back to `monitor_cond` on servers without it.
 * - Reconnects with exponential backoff and jitter, rotating through the endpoints.
 * - `transaction()` runs optimistic, conditional transactions: what the builder read from the
 *   replica is checked with `wait` on `_version`, and the builder is run again on conflict.
 */
import { type Codec, type CodecSchema, schemaCodec } from "./codec.js";
import { OvsdbConnection, TransactionError } from "./connection.js";
import { Replica } from "./replica.js";
import { ConnectionClosedError, RpcError } from "./rpc.js";
import { type Dialer, type DialOptions, dialerFor, formatEndpoint, parseEndpoints } from "./transport.js";
import { TxnBuilder } from "./txn.js";
import type { MonitorRequest, Operation, OperationResult, TableUpdates2 } from "./wire.js";

export interface OvsdbClientOptions extends DialOptions {
  /** The database to replicate and write, e.g. "OVN_Northbound". */
  database: string;
  /** Remotes: `tcp:…,tcp:…` or a list; or give `dialers` instead. */
  endpoints?: string | readonly string[];
  /** Custom dialers (tried in order, like endpoints); used when `endpoints` is absent. */
  dialers?: readonly Dialer[];
  /**
   * The schema the caller was built for (a generated `*_SCHEMA`). Checked on every connect; all
   * mismatches are reported at once. Without it the server's schema is used as is.
   */
  schema?: CodecSchema;
  /** Compares expected and actual schema; throws listing every mismatch (from schema-check). */
  checkSchema?: (expected: CodecSchema, actual: CodecSchema) => void;
  /** Parses get_schema's JSON (from schema.ts). */
  parseSchema: (json: unknown) => CodecSchema;
  /** Tables to replicate, with the columns (true: all). Default: every table of the schema. */
  tables?: Readonly<Record<string, readonly string[] | true>>;
  /** Only a clustered database's leader is used (default true). */
  leaderOnly?: boolean;
  /** Echo probe after this many quiet ms (default 5000; 0 off). */
  inactivityProbeMs?: number;
  /** First reconnect delay (default 100 ms), doubled up to maxBackoffMs (default 4000). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long requests wait for a connection before failing (default 30 s). */
  requestTimeoutMs?: number;
  /** Receives one line per connection event (connect, leader moves, resync). */
  log?: (line: string) => void;
}

export type ClientEvent =
  | { type: "connected"; endpoint: string; resumed: boolean }
  | { type: "disconnected"; endpoint: string; error?: Error };

/** What a transaction builder returns: nothing, or a value handed back to the caller. */
export type TxnFn<T> = (tx: TxnBuilder) => T | Promise<T>;

const MONITOR_ID = "stratus-replica";
const SERVER_MONITOR_ID = "stratus-server";

export class OvsdbClient {
  readonly replica: Replica;
  private conn: OvsdbConnection | undefined;
  private connEndpoint = "";
  private schema: CodecSchema | undefined;
  /** the codec of `schema`, bound once per connect (every decoded row goes through it) */
  private boundCodec: Codec | undefined;
  private readonly dialers: { name: string; dial: Dialer }[];
  private next = 0;
  private closing = false;
  private waiters: { resolve: (c: OvsdbConnection) => void; reject: (e: Error) => void }[] = [];
  private readonly listeners = new Set<(e: ClientEvent) => void>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempt = 0;

  private constructor(private readonly options: OvsdbClientOptions) {
    if (options.endpoints !== undefined) {
      const list =
        typeof options.endpoints === "string"
          ? parseEndpoints(options.endpoints)
          : options.endpoints.flatMap((e) => parseEndpoints(e));
      this.dialers = list.map((e) => ({ name: formatEndpoint(e), dial: dialerFor(e, options) }));
    } else if (options.dialers && options.dialers.length > 0) {
      this.dialers = options.dialers.map((d, i) => ({ name: `dialer#${i}`, dial: d }));
    } else {
      throw new Error("OvsdbClient needs endpoints or dialers");
    }
    this.replica = new Replica({
      decode: (t, u, w) => this.codec().decode(t, u, w),
      modify: (t, r, d) => this.codec().modify(t, r, d),
    });
  }

  /**
   * Connects, checks the schema, and fills the replica. Rejects when no endpoint gives a usable
   * connection within requestTimeoutMs, or at once on a schema mismatch.
   */
  static async connect(options: OvsdbClientOptions): Promise<OvsdbClient> {
    const client = new OvsdbClient(options);
    await client.establish(true);
    return client;
  }

  /** The endpoint in use, or "" while disconnected. */
  get endpoint(): string {
    return this.conn ? this.connEndpoint : "";
  }

  /** The schema of the connected server (or the expected one, when given). */
  get databaseSchema(): CodecSchema {
    if (!this.schema) throw new Error("not connected yet");
    return this.schema;
  }

  /** Subscribes to connection events; returns the unsubscribe function. */
  on(listener: (e: ClientEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs raw operations once. Waits for a connection if there is none. Rejects with
   * TransactionError when the server refused it, ConnectionClosedError when the connection went
   * away before the answer (the outcome is then unknown: use transaction() to be safe).
   */
  async transact(ops: readonly Operation[], signal?: AbortSignal): Promise<OperationResult[]> {
    const conn = await this.connection();
    return conn.transact(this.options.database, ops, signal);
  }

  /**
   * An optimistic, conditional transaction. `fn` reads the replica through the builder (each
   * row it reads is verified with `wait` on `_version`) and queues operations; they are sent as
   * one transaction. On a conflict (a verified row changed) or a lost connection, `fn` runs
   * again on the refreshed replica, up to `maxAttempts` (default 10). Resolves with fn's value
   * and the results; the replica already shows the transaction's effect when it resolves.
   */
  async transaction<T>(
    fn: TxnFn<T>,
    options: { maxAttempts?: number; comment?: string } = {},
  ): Promise<{ value: T; results: OperationResult[] }> {
    const max = options.maxAttempts ?? 10;
    for (let attempt = 1; ; attempt++) {
      const conn = await this.connection();
      const tx = new TxnBuilder(this.replica, this.codec());
      const value = await fn(tx);
      const ops = tx.operations(options.comment);
      if (ops.length === 0) return { value, results: [] };
      try {
        const results = await conn.transact(this.options.database, ops);
        return { value, results: tx.userResults(results) };
      } catch (err) {
        const retriable =
          (err instanceof TransactionError && err.error === "timed out" && tx.isVerifyIndex(err.index)) ||
          err instanceof ConnectionClosedError;
        if (!retriable || attempt >= max) throw err;
        if (err instanceof ConnectionClosedError) await this.connection();
      }
    }
  }

  /** Closes the connection and stops reconnecting. Idempotent. */
  close(): void {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.conn?.close();
    this.conn = undefined;
    for (const w of this.waiters.splice(0)) w.reject(new ConnectionClosedError("client closed"));
  }

  /** Resolves with the live connection, waiting (up to requestTimeoutMs) for a reconnect. */
  private connection(): Promise<OvsdbConnection> {
    if (this.conn && !this.conn.rpc.isClosed) return Promise.resolve(this.conn);
    if (this.closing) return Promise.reject(new ConnectionClosedError("client closed"));
    return new Promise((resolve, reject) => {
      const w = { resolve, reject };
      const timeout = this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        reject(new ConnectionClosedError(`no connection to ${this.options.database} within ${timeout} ms`));
      }, timeout);
      timer.unref();
      this.waiters.push({
        resolve: (c) => (clearTimeout(timer), resolve(c)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
    });
  }

  private codec(): Codec {
    if (!this.boundCodec) throw new Error("no schema yet");
    return this.boundCodec;
  }

  /** Tries endpoints until one serves the database (as leader, when asked) and the monitor is up. */
  private async establish(first: boolean): Promise<void> {
    const deadline = Date.now() + (this.options.requestTimeoutMs ?? 30_000);
    let lastError: Error | undefined;
    for (;;) {
      if (this.closing) throw new ConnectionClosedError("client closed");
      const target = this.dialers[this.next % this.dialers.length] as { name: string; dial: Dialer };
      this.next++;
      try {
        await this.tryEndpoint(target.name, target.dial);
        this.attempt = 0;
        return;
      } catch (err) {
        lastError = err as Error;
        if (err instanceof SchemaMismatch) throw err.cause;
        this.options.log?.(`ovsdb ${this.options.database}: ${target.name}: ${lastError.message}`);
      }
      if (!first || Date.now() > deadline) {
        if (first) throw lastError;
        this.scheduleReconnect();
        return;
      }
      await sleep(this.backoff());
    }
  }

  private async tryEndpoint(name: string, dial: Dialer): Promise<void> {
    const opts =
      this.options.inactivityProbeMs !== undefined ? { inactivityProbeMs: this.options.inactivityProbeMs } : {};
    const conn = await OvsdbConnection.open(dial, opts);
    try {
      const dbs = await conn.listDbs();
      if (!dbs.includes(this.options.database))
        throw new Error(`server has no database ${this.options.database} (${dbs.join(", ")})`);
      if (dbs.includes("_Server")) await this.checkServerRole(conn, name);
      const actual = this.options.parseSchema(await conn.getSchema(this.options.database));
      if (this.options.schema && this.options.checkSchema) {
        try {
          this.options.checkSchema(this.options.schema, actual);
        } catch (err) {
          throw new SchemaMismatch(err as Error);
        }
      }
      this.schema = this.options.schema ?? actual;
      this.boundCodec = schemaCodec(this.schema);
      const resumed = await this.startMonitor(conn);
      this.conn = conn;
      this.connEndpoint = name;
      conn.rpc.onClose((err) => this.lost(conn, name, err));
      for (const w of this.waiters.splice(0)) w.resolve(conn);
      this.emit({ type: "connected", endpoint: name, resumed });
    } catch (err) {
      conn.close();
      throw err;
    }
  }

  /** Refuses a clustered member that is disconnected from its cluster, or not leader when leaderOnly. */
  private async checkServerRole(conn: OvsdbConnection, name: string): Promise<void> {
    const where = [["name", "==", this.options.database]] as const;
    const check = (row: Record<string, unknown> | undefined): string | undefined => {
      if (!row || row.model !== "clustered") return undefined;
      if (row.connected !== true) return "member is not connected to its cluster";
      if ((this.options.leaderOnly ?? true) && row.leader !== true) return "member is not the leader";
      return undefined;
    };
    const [sel] = await conn.transact("_Server", [
      { op: "select", table: "Database", where: [...where], columns: ["model", "connected", "leader"] },
    ]);
    const problem = check(sel?.rows?.[0] as Record<string, unknown> | undefined);
    if (problem) throw new Error(problem);
    await conn.setDbChangeAware(true).catch(() => undefined);
    // Watch our own database's row: leadership moves, cluster partitions.
    await conn.monitorCond(
      "_Server",
      SERVER_MONITOR_ID,
      {
        Database: { columns: ["name", "model", "connected", "leader"], where: [["name", "==", this.options.database]] },
      },
      (updates) => {
        for (const u of Object.values(updates.Database ?? {})) {
          const row = u.modify ?? u.insert ?? u.initial;
          const p = row && check({ model: "clustered", connected: true, leader: true, ...row });
          if (p) {
            this.options.log?.(`ovsdb ${this.options.database}: ${name}: ${p}; moving on`);
            conn.rpc.close(new ConnectionClosedError(p));
          }
        }
      },
    );
  }

  /** Starts (or resumes) the replica monitor; returns whether the replica was resumed from a delta. */
  private async startMonitor(conn: OvsdbConnection): Promise<boolean> {
    const requests = this.monitorRequests();
    const onUpdate = (u: TableUpdates2, txn?: string): void => void this.replica.applyUpdate2(u, txn);
    try {
      const r = await conn.monitorCondSince(
        this.options.database,
        MONITOR_ID,
        requests,
        this.replica.lastTxnId,
        onUpdate,
      );
      if (r.found) this.replica.applyUpdate2(r.updates, r.lastTxnId);
      else this.replica.resync(r.updates, r.lastTxnId);
      return r.found;
    } catch (err) {
      if (!(err instanceof RpcError) || !/unknown method/.test(String(err.message))) throw err;
      const initial = await conn.monitorCond(this.options.database, MONITOR_ID, requests, onUpdate);
      this.replica.resync(initial);
      return false;
    }
  }

  private monitorRequests(): Record<string, MonitorRequest> {
    const schema = this.schema as CodecSchema;
    const tables = this.options.tables ?? Object.fromEntries(Object.keys(schema.tables).map((t) => [t, true as const]));
    const out: Record<string, MonitorRequest> = {};
    for (const [t, cols] of Object.entries(tables)) {
      const all = Object.keys(schema.tables[t]?.columns ?? {});
      out[t] = { columns: [...(cols === true ? all : cols), "_version"] };
    }
    return out;
  }

  private lost(conn: OvsdbConnection, name: string, err: Error | undefined): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.emit({ type: "disconnected", endpoint: name, ...(err && { error: err }) });
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closing || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.establish(false).catch((err) =>
        this.options.log?.(`ovsdb ${this.options.database}: ${(err as Error).message}`),
      );
    }, this.backoff());
  }

  private backoff(): number {
    const base = this.options.backoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 4000;
    const d = Math.min(max, base * 2 ** Math.min(this.attempt++, 16));
    return d / 2 + Math.random() * (d / 2);
  }

  private emit(e: ClientEvent): void {
    for (const l of this.listeners) l(e);
  }
}

class SchemaMismatch extends Error {
  constructor(override readonly cause: Error) {
    super(cause.message);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
