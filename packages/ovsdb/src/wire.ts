/**
 * RFC 7047 wire types: what goes over the socket as JSON. No behaviour here; the mapper turns these
 * into typed rows and back, the client builds operations and reads their results.
 */

/** `["uuid", "550e8400-…"]` */
export type UuidAtom = readonly ["uuid", string];
/** `["named-uuid", "row1"]`: a row inserted earlier in the same transaction. */
export type NamedUuidAtom = readonly ["named-uuid", string];
/** One scalar: integer, real, boolean, string, or a (named) uuid. */
export type Atom = number | boolean | string | UuidAtom | NamedUuidAtom;
/** A set: `["set", [atoms]]`; a set of exactly one may be sent and received as the bare atom. */
export type SetValue = readonly ["set", readonly Atom[]];
/** A map: `["map", [[key, value], …]]`. */
export type MapValue = readonly ["map", readonly (readonly [Atom, Atom])[]];
/** Any column value on the wire. */
export type Value = Atom | SetValue | MapValue;
/** A row on the wire: column name → value (only the columns that were asked for or changed). */
export type WireRow = Record<string, Value>;

/** Condition operators of RFC 7047 §5.1. */
export type ConditionFunction = "<" | "<=" | "==" | "!=" | ">=" | ">" | "includes" | "excludes";
/** `[column, function, value]` */
export type Condition = readonly [string, ConditionFunction, Value];
/** Mutators of RFC 7047 §5.1. */
export type Mutator = "+=" | "-=" | "*=" | "/=" | "%=" | "insert" | "delete";
/** `[column, mutator, value]` */
export type Mutation = readonly [string, Mutator, Value];

/** The transact operations (RFC 7047 §5.2). */
export type Operation =
  | { op: "insert"; table: string; row: WireRow; "uuid-name"?: string; uuid?: string }
  | { op: "select"; table: string; where: readonly Condition[]; columns?: readonly string[] }
  | { op: "update"; table: string; where: readonly Condition[]; row: WireRow }
  | { op: "mutate"; table: string; where: readonly Condition[]; mutations: readonly Mutation[] }
  | { op: "delete"; table: string; where: readonly Condition[] }
  | {
      op: "wait";
      table: string;
      where: readonly Condition[];
      columns: readonly string[];
      until: "==" | "!=";
      rows: readonly WireRow[];
      timeout?: number;
    }
  | { op: "commit"; durable: boolean }
  | { op: "abort" }
  | { op: "comment"; comment: string }
  | { op: "assert"; lock: string };

/** The result of one operation; `error` is set when it failed (then later results are null). */
export interface OperationResult {
  uuid?: UuidAtom;
  rows?: WireRow[];
  count?: number;
  error?: string;
  details?: string;
}

/** Monitor request for one table (RFC 7047 §4.1.5; `where` is monitor_cond's condition list). */
export interface MonitorRequest {
  columns?: readonly string[];
  where?: readonly (Condition | boolean)[];
  select?: { initial?: boolean; insert?: boolean; delete?: boolean; modify?: boolean };
}

/** `update` notification payload: table → row uuid → { old?, new? }. */
export type TableUpdates = Record<string, Record<string, { old?: WireRow; new?: WireRow }>>;

/**
 * `update2`/`update3` payload: table → row uuid → one of initial/insert/delete/modify.
 * `modify` carries only changed columns: for sets and maps, the difference (elements to toggle).
 */
export type TableUpdates2 = Record<
  string,
  Record<string, { initial?: WireRow; insert?: WireRow; delete?: null | WireRow; modify?: WireRow }>
>;

/** JSON-RPC 1.0 message shapes as OVSDB uses them. */
export interface RpcRequest {
  method: string;
  params: unknown[];
  id: string | number | null;
}
export interface RpcResponse {
  result: unknown;
  error: unknown;
  id: string | number | null;
}
export type RpcMessage = RpcRequest | RpcResponse;
