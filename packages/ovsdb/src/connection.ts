/**
 * `OvsdbConnection`: every RFC 7047 method (and ovsdb-server(7)'s extensions) over one
 * RpcConnection, with the results checked and typed at the wire level. No reconnects, no
 * replica: that is OvsdbClient's job, built on this.
 */
import { RpcConnection, type RpcOptions } from "./rpc.js";
import type { Dialer } from "./transport.js";
import type { MonitorRequest, Operation, OperationResult, TableUpdates, TableUpdates2 } from "./wire.js";

/** A transaction the server ran but refused: one operation (or the commit) failed. */
export class TransactionError extends Error {
  override readonly name = "TransactionError";
  constructor(
    /** index of the failed operation in the request (ops.length when the commit itself failed) */
    readonly index: number,
    /** the server's error string: "constraint violation", "timed out", "referential integrity violation", … */
    readonly error: string,
    readonly details: string | undefined,
    /** the raw result array */
    readonly results: readonly (OperationResult | null)[],
  ) {
    super(`transaction failed at operation ${index}: ${error}${details ? ` (${details})` : ""}`);
  }
}

export type MonitorUpdateHandler = (updates: TableUpdates) => void;
export type Monitor2UpdateHandler = (updates: TableUpdates2, lastTxnId?: string) => void;

/** Result of monitor_cond_since: whether the server could resume from the id we gave. */
export interface MonitorSinceResult {
  /** true: `updates` holds only what changed after our last transaction id; false: a full snapshot */
  found: boolean;
  lastTxnId: string;
  updates: TableUpdates2;
}

export class OvsdbConnection {
  private readonly monitors = new Map<string, { v1?: MonitorUpdateHandler; v2?: Monitor2UpdateHandler }>();
  private readonly lockHandlers = new Map<string, { locked?: () => void; stolen?: () => void }>();
  private monitorSeq = 0;

  constructor(readonly rpc: RpcConnection) {
    rpc.on("update", ([id, updates]) => this.monitors.get(key(id))?.v1?.(updates as TableUpdates));
    rpc.on("update2", ([id, updates]) => this.monitors.get(key(id))?.v2?.(updates as TableUpdates2));
    rpc.on("update3", ([id, txnId, updates]) =>
      this.monitors.get(key(id))?.v2?.(updates as TableUpdates2, txnId as string),
    );
    rpc.on("locked", ([id]) => this.lockHandlers.get(String(id))?.locked?.());
    rpc.on("stolen", ([id]) => this.lockHandlers.get(String(id))?.stolen?.());
  }

  /** Dials and wraps the stream. Rejects when the dialer does. */
  static async open(dialer: Dialer, options: RpcOptions & { signal?: AbortSignal } = {}): Promise<OvsdbConnection> {
    const stream = await dialer(options.signal);
    return new OvsdbConnection(new RpcConnection(stream, options));
  }

  /** The databases this server holds (`_Server` included on ovsdb-server ≥ 2.9). */
  async listDbs(): Promise<string[]> {
    return (await this.rpc.request("list_dbs", [])) as string[];
  }

  /** The schema JSON of one database (RpcError "unknown database" if absent). */
  async getSchema(db: string): Promise<unknown> {
    return this.rpc.request("get_schema", [db]);
  }

  /**
   * Runs operations as one transaction. Resolves with one result per operation; rejects with
   * TransactionError when any operation or the commit failed (nothing was written then).
   * `signal` sends `cancel` for a transaction still waiting (a `wait` with a timeout).
   */
  async transact(db: string, ops: readonly Operation[], signal?: AbortSignal): Promise<OperationResult[]> {
    const id = this.rpc.peekNextId();
    const onAbort = (): void => this.rpc.notify("cancel", [id]);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const results = (await this.rpc.request("transact", [db, ...ops])) as (OperationResult | null)[];
      const failed = results.findIndex((r) => r !== null && typeof r.error === "string");
      if (failed >= 0) {
        const r = results[failed] as OperationResult;
        throw new TransactionError(failed, r.error as string, r.details, results);
      }
      return results as OperationResult[];
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** `echo`: resolves with the params the server sent back. */
  async echo(...params: unknown[]): Promise<unknown[]> {
    return (await this.rpc.request("echo", params)) as unknown[];
  }

  /** A fresh monitor id, unique on this connection. */
  newMonitorId(): string {
    return `m${++this.monitorSeq}`;
  }

  /** RFC 7047 `monitor`: resolves with the initial rows; later changes go to `onUpdate`. */
  async monitor(
    db: string,
    id: string,
    requests: Record<string, MonitorRequest | MonitorRequest[]>,
    onUpdate: MonitorUpdateHandler,
  ): Promise<TableUpdates> {
    this.monitors.set(id, { v1: onUpdate });
    return this.register(id, () => this.rpc.request("monitor", [db, id, requests])) as Promise<TableUpdates>;
  }

  /** `monitor_cond` (update2 notifications; `where` conditions per table). */
  async monitorCond(
    db: string,
    id: string,
    requests: Record<string, MonitorRequest | MonitorRequest[]>,
    onUpdate: Monitor2UpdateHandler,
  ): Promise<TableUpdates2> {
    this.monitors.set(id, { v2: onUpdate });
    return this.register(id, () => this.rpc.request("monitor_cond", [db, id, requests])) as Promise<TableUpdates2>;
  }

  /**
   * `monitor_cond_since`: like monitorCond, resuming after `lastTxnId` (null: from scratch).
   * Later changes arrive as update3 with their transaction id.
   */
  async monitorCondSince(
    db: string,
    id: string,
    requests: Record<string, MonitorRequest | MonitorRequest[]>,
    lastTxnId: string | null,
    onUpdate: Monitor2UpdateHandler,
  ): Promise<MonitorSinceResult> {
    this.monitors.set(id, { v2: onUpdate });
    const zero = "00000000-0000-0000-0000-000000000000";
    const [found, txnId, updates] = (await this.register(id, () =>
      this.rpc.request("monitor_cond_since", [db, id, requests, lastTxnId ?? zero]),
    )) as [boolean, string, TableUpdates2];
    return { found, lastTxnId: txnId, updates };
  }

  /** `monitor_cond_change`: new conditions (and optionally a new id) for a monitor_cond monitor. */
  async monitorCondChange(
    id: string,
    newId: string,
    requests: Record<string, MonitorRequest | MonitorRequest[]>,
  ): Promise<void> {
    // ovsdb-server wants an array of condition updates per table here
    const arrays = Object.fromEntries(Object.entries(requests).map(([t, r]) => [t, Array.isArray(r) ? r : [r]]));
    await this.rpc.request("monitor_cond_change", [id, newId, arrays]);
    if (newId !== id) {
      const h = this.monitors.get(id);
      this.monitors.delete(id);
      if (h) this.monitors.set(newId, h);
    }
  }

  /** `monitor_cancel`: stops a monitor; no more updates for it. */
  async monitorCancel(id: string): Promise<void> {
    this.monitors.delete(id);
    await this.rpc.request("monitor_cancel", [id]);
  }

  /**
   * `lock`: resolves with whether we hold it now; when we don't, `onLocked` fires once it is ours.
   * `onStolen` fires when another client steals it.
   */
  async lock(id: string, handlers: { onLocked?: () => void; onStolen?: () => void } = {}): Promise<boolean> {
    checkLockId(id);
    this.lockHandlers.set(id, {
      ...(handlers.onLocked && { locked: handlers.onLocked }),
      ...(handlers.onStolen && { stolen: handlers.onStolen }),
    });
    const r = (await this.rpc.request("lock", [id])) as { locked: boolean };
    return r.locked;
  }

  /** `steal`: takes the lock from its owner (who gets `stolen`); resolves true. */
  async steal(id: string, handlers: { onStolen?: () => void } = {}): Promise<boolean> {
    checkLockId(id);
    this.lockHandlers.set(id, { ...(handlers.onStolen && { stolen: handlers.onStolen }) });
    const r = (await this.rpc.request("steal", [id])) as { locked: boolean };
    return r.locked;
  }

  /** `unlock`: gives the lock up (or stops waiting for it). */
  async unlock(id: string): Promise<void> {
    this.lockHandlers.delete(id);
    await this.rpc.request("unlock", [id]);
  }

  /** `set_db_change_aware`: keep the connection open across schema changes (clustered dbs). */
  async setDbChangeAware(on = true): Promise<void> {
    await this.rpc.request("set_db_change_aware", [on]);
  }

  /** Closes the connection; pending requests reject with ConnectionClosedError. */
  close(): void {
    this.rpc.close();
  }

  private async register(id: string, send: () => Promise<unknown>): Promise<unknown> {
    try {
      return await send();
    } catch (err) {
      this.monitors.delete(id);
      throw err;
    }
  }
}

/** Lock names are RFC 7047 <id>s: a letter or underscore, then letters, digits, underscores. */
function checkLockId(id: string): void {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(id)) {
    throw new RangeError(`lock name ${JSON.stringify(id)} is not an OVSDB <id> ([A-Za-z_][A-Za-z0-9_]*)`);
  }
}

function key(id: unknown): string {
  return typeof id === "string" ? id : JSON.stringify(id);
}
