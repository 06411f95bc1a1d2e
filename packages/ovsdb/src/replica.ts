/**
 * The in-memory replica a monitor keeps: every monitored row of every monitored table, decoded,
 * with secondary indexes and change events. Rows are immutable objects; a change replaces the
 * row, so an event can hand out both the old and the new one.
 */
import type { Condition, TableUpdates, TableUpdates2, WireRow } from "./wire.js";

/** A decoded row: `_uuid` plus the monitored columns (and `_version` when monitored). */
export type Row = { readonly _uuid: string; readonly _version?: string } & Readonly<Record<string, unknown>>;

/** Turns wire rows into decoded rows; the client builds one from the database schema. */
export interface RowCodec {
  /** A complete row (initial, insert, or monitor v1 `new`), defaults filled for absent columns. */
  decode(table: string, uuid: string, wire: WireRow): Row;
  /** Applies an update2 `modify` (sets/maps carry differences, other columns new values). */
  modify(table: string, row: Row, diff: WireRow): Row;
}

export type ChangeKind = "insert" | "update" | "delete";
/** One row change; `old` is absent for inserts, `new` for deletes. */
export interface RowChange<R extends Row = Row> {
  table: string;
  uuid: string;
  kind: ChangeKind;
  old?: R;
  new?: R;
}

type IndexKey = string;

/**
 * A computed index: any number of keys per row (e.g. one map entry, or every member of a set),
 * and optionally the OVSDB condition that selects the same rows on the server, which lets a
 * conditional transaction verify a lookup through it.
 */
export interface ComputedIndex<R extends Row = Row> {
  keys(row: R): readonly unknown[];
  where?(value: unknown): Condition;
}

type Index = { columns: readonly string[]; map: Map<IndexKey, Set<string>>; computed?: ComputedIndex<never> };

/** One table's rows and indexes. */
export class TableReplica<R extends Row = Row> {
  private readonly rows = new Map<string, R>();
  private readonly indexes = new Map<string, Index>();

  constructor(readonly name: string) {}

  /** The row with this uuid, or undefined. */
  get(uuid: string): R | undefined {
    return this.rows.get(uuid);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Every row, in no particular order (a live iterator: don't mutate the replica while iterating). */
  values(): IterableIterator<R> {
    return this.rows.values();
  }

  /** Rows matching a predicate (a scan). */
  filter(pred: (row: R) => boolean): R[] {
    const out: R[] = [];
    for (const r of this.rows.values()) if (pred(r)) out.push(r);
    return out;
  }

  /**
   * Adds an index on one or more columns (idempotent) and fills it from the current rows.
   * Returns the index name (the columns joined by ",") for lookup().
   */
  addIndex(...columns: string[]): string {
    const name = columns.join(",");
    if (this.indexes.has(name)) return name;
    const map = new Map<IndexKey, Set<string>>();
    const index = { columns, map };
    this.indexes.set(name, index);
    for (const r of this.rows.values()) addTo(index, r);
    return name;
  }

  /**
   * Defines a computed index under `name` (idempotent: an existing name is kept) and fills it.
   * Look rows up with `lookup(name, value)`.
   */
  defineIndex(name: string, index: ComputedIndex<R>): void {
    if (this.indexes.has(name)) return;
    const ix: Index = { columns: [], map: new Map(), computed: index as ComputedIndex<never> };
    this.indexes.set(name, ix);
    for (const r of this.rows.values()) addTo(ix, r);
  }

  /** The computed index named so, if any. */
  computedIndex(name: string): ComputedIndex<R> | undefined {
    return this.indexes.get(name)?.computed as ComputedIndex<R> | undefined;
  }

  /**
   * Rows whose indexed columns equal `values` (in index column order). Uses the index when there
   * is one on exactly these columns, else adds it first (so the first lookup pays for the build).
   */
  lookup(columns: string | readonly string[], ...values: unknown[]): R[] {
    const cols = typeof columns === "string" ? [columns] : [...columns];
    const name = typeof columns === "string" && this.indexes.get(columns)?.computed ? columns : this.addIndex(...cols);
    const ids = this.indexes.get(name)?.map.get(keyOf(values));
    if (!ids) return [];
    const out: R[] = [];
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r) out.push(r);
    }
    return out;
  }

  /** The single row with these indexed values, or undefined (first one if several). */
  lookupOne(columns: string | readonly string[], ...values: unknown[]): R | undefined {
    return this.lookup(columns, ...values)[0];
  }

  /** @internal replace or insert */
  put(row: R): R | undefined {
    const old = this.rows.get(row._uuid);
    this.rows.set(row._uuid, row);
    for (const ix of this.indexes.values()) {
      if (old) moveIn(ix, old, row);
      else addTo(ix, row);
    }
    return old;
  }

  /** @internal */
  remove(uuid: string): R | undefined {
    const old = this.rows.get(uuid);
    if (!old) return undefined;
    this.rows.delete(uuid);
    for (const ix of this.indexes.values()) removeFrom(ix, old);
    return old;
  }

  /** @internal */
  clear(): void {
    this.rows.clear();
    for (const ix of this.indexes.values()) ix.map.clear();
  }
}

/** The replica of one database: tables by name, fed by monitor updates. */
export class Replica {
  private readonly tables = new Map<string, TableReplica>();
  private readonly listeners = new Set<(changes: readonly RowChange[]) => void>();
  /** The last transaction id the server reported (monitor_cond_since), or null. */
  lastTxnId: string | null = null;

  constructor(private readonly codec: RowCodec) {}

  /** The replica of one table (created empty on first use). */
  table<R extends Row = Row>(name: string): TableReplica<R> {
    let t = this.tables.get(name);
    if (!t) {
      t = new TableReplica(name);
      this.tables.set(name, t);
    }
    return t as unknown as TableReplica<R>;
  }

  /** Names of the tables that hold rows or indexes. */
  tableNames(): string[] {
    return [...this.tables.keys()];
  }

  /**
   * Subscribes to changes; the listener gets each update message's changes as one batch, after
   * they are all applied. Returns the unsubscribe function.
   */
  onChange(listener: (changes: readonly RowChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every row (indexes stay defined); emits deletes for them. */
  purge(): void {
    const changes: RowChange[] = [];
    for (const t of this.tables.values()) {
      for (const r of t.values()) changes.push({ table: t.name, uuid: r._uuid, kind: "delete", old: r });
      t.clear();
    }
    this.emit(changes);
  }

  /**
   * Replaces the replica's content with a full snapshot (a monitor reply that is not a delta),
   * emitting only real differences: rows that vanished as deletes, others as inserts/updates.
   */
  resync(snapshot: TableUpdates2, lastTxnId?: string): RowChange[] {
    const changes: RowChange[] = [];
    for (const t of this.tables.values()) {
      const keep = snapshot[t.name] ?? {};
      for (const r of [...t.values()]) {
        if (keep[r._uuid]) continue;
        t.remove(r._uuid);
        changes.push({ table: t.name, uuid: r._uuid, kind: "delete", old: r });
      }
    }
    for (const [table, rows] of Object.entries(snapshot)) {
      const t = this.table(table);
      for (const [uuid, u] of Object.entries(rows)) {
        const full = u.initial ?? u.insert;
        if (!full) continue;
        const row = this.codec.decode(table, uuid, full);
        const old = t.put(row);
        if (!old) changes.push({ table, uuid, kind: "insert", new: row });
        else if (!sameRow(old, row)) changes.push({ table, uuid, kind: "update", old, new: row });
      }
    }
    if (lastTxnId !== undefined) this.lastTxnId = lastTxnId;
    this.emit(changes);
    return changes;
  }

  /** Applies a monitor (v1) `update` or initial reply. */
  applyUpdate(updates: TableUpdates): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, rows] of Object.entries(updates)) {
      const t = this.table(table);
      for (const [uuid, u] of Object.entries(rows)) {
        if (u.new) {
          const row = this.codec.decode(table, uuid, u.new);
          const old = t.put(row);
          changes.push(
            old ? { table, uuid, kind: "update", old, new: row } : { table, uuid, kind: "insert", new: row },
          );
        } else {
          const old = t.remove(uuid);
          if (old) changes.push({ table, uuid, kind: "delete", old });
        }
      }
    }
    this.emit(changes);
    return changes;
  }

  /** Applies an update2/update3 payload (or a monitor_cond initial reply). */
  applyUpdate2(updates: TableUpdates2, lastTxnId?: string): RowChange[] {
    const changes: RowChange[] = [];
    for (const [table, rows] of Object.entries(updates)) {
      const t = this.table(table);
      for (const [uuid, u] of Object.entries(rows)) {
        const full = u.initial ?? u.insert;
        if (full) {
          const row = this.codec.decode(table, uuid, full);
          const old = t.put(row);
          changes.push(
            old ? { table, uuid, kind: "update", old, new: row } : { table, uuid, kind: "insert", new: row },
          );
        } else if (u.modify) {
          const old = t.get(uuid);
          if (!old) continue; // a modify for a row we never saw: the next full resync will bring it
          const row = this.codec.modify(table, old, u.modify);
          t.put(row);
          changes.push({ table, uuid, kind: "update", old, new: row });
        } else if ("delete" in u) {
          const old = t.remove(uuid);
          if (old) changes.push({ table, uuid, kind: "delete", old });
        }
      }
    }
    if (lastTxnId !== undefined) this.lastTxnId = lastTxnId;
    this.emit(changes);
    return changes;
  }

  private emit(changes: readonly RowChange[]): void {
    if (changes.length === 0) return;
    for (const l of this.listeners) l(changes);
  }
}

// A lone string is its own key (the common case: names, uuids); anything else is JSON behind a
// NUL, which no JSON text starts with, so the two kinds never collide.
function keyOf(values: readonly unknown[]): IndexKey {
  if (values.length === 1 && typeof values[0] === "string") return values[0];
  return `\u0000${JSON.stringify(values.length === 1 ? values[0] : values)}`;
}

function sameRow(a: Row, b: Row): boolean {
  if (a._version !== undefined && b._version !== undefined) return a._version === b._version;
  return JSON.stringify(a) === JSON.stringify(b);
}

function keysOf(ix: Index, row: Row): IndexKey[] {
  if (ix.computed) return ix.computed.keys(row as never).map((v) => keyOf([v]));
  return [keyOf(ix.columns.map((c) => row[c]))];
}

function addTo(ix: Index, row: Row): void {
  for (const k of keysOf(ix, row)) {
    let s = ix.map.get(k);
    if (!s) {
      s = new Set();
      ix.map.set(k, s);
    }
    s.add(row._uuid);
  }
}

/** Re-indexes a changed row touching only the keys that changed (a switch with 10k ports gains one). */
function moveIn(ix: Index, old: Row, row: Row): void {
  const before = keysOf(ix, old);
  const after = keysOf(ix, row);
  if (before.length === 1 && after.length === 1) {
    if (before[0] === after[0]) return;
  }
  const keep = new Set(after);
  const had = new Set(before);
  for (const k of before) {
    if (keep.has(k)) continue;
    const s = ix.map.get(k);
    s?.delete(row._uuid);
    if (s?.size === 0) ix.map.delete(k);
  }
  for (const k of after) {
    if (had.has(k)) continue;
    let s = ix.map.get(k);
    if (!s) {
      s = new Set();
      ix.map.set(k, s);
    }
    s.add(row._uuid);
  }
}

function removeFrom(ix: Index, row: Row): void {
  for (const k of keysOf(ix, row)) {
    const s = ix.map.get(k);
    if (!s) continue;
    s.delete(row._uuid);
    if (s.size === 0) ix.map.delete(k);
  }
}
