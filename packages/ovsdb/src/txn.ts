/**
 * TxnBuilder: what OvsdbClient.transaction() hands to the caller's function. Reads go to the
 * replica and are remembered as `wait` operations on `_version`, so the transaction commits only
 * if nothing it read has changed (optimistic concurrency); writes are queued as operations with
 * values encoded by the schema's codec.
 */
import type { Codec } from "./codec.js";
import { NamedUuid } from "./mapper.js";
import type { Replica, Row } from "./replica.js";
import type { Condition, Mutator, Operation, OperationResult } from "./wire.js";

/** A row inserted in this transaction; usable as a uuid value in other rows of the same one. */
export type RowRef = NamedUuid;

export class TxnBuilder {
  private readonly verifies: Operation[] = [];
  private readonly ops: Operation[] = [];
  private readonly verified = new Set<string>();
  private readonly inserted: string[] = [];
  private seq = 0;

  constructor(
    private readonly replica: Replica,
    private readonly codec: Codec,
  ) {}

  /** The row with this uuid (verified: the transaction fails over if it changes or appears). */
  get<R extends Row = Row>(table: string, uuid: string): R | undefined {
    const row = this.replica.table<R>(table).get(uuid);
    this.verifyRow(table, uuid, row);
    return row;
  }

  /**
   * Rows whose column equals value, through a replica index (verified as a set: the transaction
   * fails over if a matching row appears, disappears or changes).
   */
  lookup<R extends Row = Row>(table: string, column: string, value: unknown): R[] {
    const t = this.replica.table<R>(table);
    const rows = t.lookup(column, value);
    const key = `${table}\u0000${column}\u0000${JSON.stringify(value)}`;
    if (this.verified.has(key)) return rows;
    this.verified.add(key);
    const computed = t.computedIndex(column);
    if (computed && !computed.where) {
      // no server-side condition for this index: verify the rows found, one by one
      for (const r of rows) this.verifyRow(table, r._uuid, r);
      return rows;
    }
    this.verifies.push({
      op: "wait",
      table,
      where: [computed?.where ? computed.where(value) : [column, "==", this.codec.encodeValue(table, column, value)]],
      columns: ["_version"],
      until: "==",
      rows: rows.map((r) => ({ _version: ["uuid", r._version as string] })),
      timeout: 0,
    });
    return rows;
  }

  /** The row read without verification (for data the transaction's outcome doesn't depend on). */
  peek<R extends Row = Row>(table: string, uuid: string): R | undefined {
    return this.replica.table<R>(table).get(uuid);
  }

  /** Queues an insert; returns a reference to use in other rows (resolved by the server). */
  insert(table: string, row: Readonly<Record<string, unknown>>, uuid?: string): RowRef {
    const ref = new NamedUuid(`row${++this.seq}`);
    this.inserted.push(ref.name);
    this.ops.push({
      op: "insert",
      table,
      row: this.codec.encodeRow(table, row),
      "uuid-name": ref.name,
      ...(uuid !== undefined && { uuid }),
    });
    return ref;
  }

  /** Queues an update of the given columns of one row. */
  update(table: string, uuid: string | RowRef, columns: Readonly<Record<string, unknown>>): void {
    this.ops.push({ op: "update", table, where: [this.byUuid(uuid)], row: this.codec.encodeRow(table, columns) });
  }

  /**
   * Queues mutations of one row: `["ports", "insert", [uuid]]`, `["external_ids", "delete", ["k"]]`
   * (a map's keys), `["external_ids", "insert", {k: "v"}]`, `["n", "+=", 1]`.
   */
  mutate(table: string, uuid: string | RowRef, mutations: readonly (readonly [string, Mutator, unknown])[]): void {
    this.ops.push({
      op: "mutate",
      table,
      where: [this.byUuid(uuid)],
      mutations: mutations.map(([c, m, v]) => [c, m, this.codec.encodeMutation(table, c, m, v)] as const),
    });
  }

  /** Queues the delete of one row. */
  delete(table: string, uuid: string): void {
    this.ops.push({ op: "delete", table, where: [this.byUuid(uuid)] });
  }

  /** Queues a raw operation (already in wire form). */
  raw(op: Operation): void {
    this.ops.push(op);
  }

  /** Whether anything is queued. */
  get empty(): boolean {
    return this.ops.length === 0;
  }

  /** @internal: the full request (verifies first; a trailing comment when given). */
  operations(comment?: string): Operation[] {
    if (this.ops.length === 0) return [];
    return [...this.verifies, ...this.ops, ...(comment ? [{ op: "comment" as const, comment }] : [])];
  }

  /** @internal: whether a failed operation index is one of our verifies (so a retry may help). */
  isVerifyIndex(index: number): boolean {
    return index < this.verifies.length;
  }

  /** @internal: the results of the caller's operations only. */
  userResults(results: OperationResult[]): OperationResult[] {
    return results.slice(this.verifies.length, this.verifies.length + this.ops.length);
  }

  private verifyRow(table: string, uuid: string, row: Row | undefined): void {
    const key = `${table}\u0000${uuid}`;
    if (this.verified.has(key)) return;
    this.verified.add(key);
    this.verifies.push({
      op: "wait",
      table,
      where: [["_uuid", "==", ["uuid", uuid]]],
      columns: ["_version"],
      until: "==",
      rows: row ? [{ _version: ["uuid", row._version as string] }] : [],
      timeout: 0,
    });
  }

  private byUuid(uuid: string | RowRef): Condition {
    return ["_uuid", "==", typeof uuid === "string" ? ["uuid", uuid] : ["named-uuid", uuid.name]];
  }
}
