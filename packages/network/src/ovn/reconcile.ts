/**
 * Row-level reconciliation inside one OVSDB transaction: make the rows a Neutron object owns look
 * exactly like the desired ones, writing only what differs. Used by every driver operation and by
 * sync, so a repeated or replayed change writes nothing (idempotent), and a corrupted row is
 * rewritten column by column.
 */
import type { Row, RowRef, TxnBuilder } from "@stratus/ovsdb";

/** Desired column values of one row (NB column names; sets as arrays, maps as records). */
export type Columns = Readonly<Record<string, unknown>>;

/** What was written for one row, for sync reports. */
export type RowAction = "insert" | "update" | "unchanged";

/** Whether two decoded column values are equal, with sets compared as unordered. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    const key = (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x));
    const left = a.map(key).sort();
    const right = b.map(key).sort();
    return left.every((x, i) => x === right[i]);
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  // an empty optional column reads as null; desired values may say undefined
  return (a === null || a === undefined) && (b === null || b === undefined);
}

/** The desired columns that differ from the row (all of them when there is no row). */
export function changedColumns(row: Row | undefined, desired: Columns): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [col, value] of Object.entries(desired)) {
    if (value === undefined) continue;
    if (!row || !sameValue(row[col], value)) out[col] = value;
  }
  return out;
}

/**
 * Upserts one row found by the caller (`existing`, or undefined): inserts it, updates only the
 * differing columns, or leaves it. Returns its uuid (or insert reference) and what happened.
 */
export function upsert(
  tx: TxnBuilder,
  table: string,
  existing: Row | undefined,
  desired: Columns,
): { ref: string | RowRef; action: RowAction } {
  if (!existing) return { ref: tx.insert(table, stripUndefined(desired)), action: "insert" };
  const diff = changedColumns(existing, desired);
  if (Object.keys(diff).length === 0) return { ref: existing._uuid, action: "unchanged" };
  tx.update(table, existing._uuid, diff);
  return { ref: existing._uuid, action: "update" };
}

/**
 * Makes a set of child rows (e.g. a router's NAT rows) equal `desired`, matching existing rows
 * to desired ones by `key`. Returns the refs of all desired rows (for the parent's set column),
 * and the existing rows that matched nothing (stale: the caller drops them from the parent).
 */
export function reconcileChildren(
  tx: TxnBuilder,
  table: string,
  existing: readonly Row[],
  desired: readonly Columns[],
  key: (columns: Columns) => string,
): { refs: (string | RowRef)[]; stale: Row[]; changed: number } {
  const byKey = new Map<string, Row>();
  for (const r of existing) byKey.set(key(r), r);
  const refs: (string | RowRef)[] = [];
  let changed = 0;
  for (const d of desired) {
    const k = key(d);
    const { ref, action } = upsert(tx, table, byKey.get(k), d);
    byKey.delete(k);
    if (action !== "unchanged") changed++;
    refs.push(ref);
  }
  const stale = [...byKey.values()];
  return { refs, stale, changed: changed + stale.length };
}

function stripUndefined(c: Columns): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c)) if (v !== undefined) out[k] = v;
  return out;
}
