/**
 * @stratus/ovsdb: an OVSDB (RFC 7047) client for Node.js, with no OVN knowledge in it.
 *
 * ```ts
 * import { OvsdbClient, parseSchema, assertSchema } from "@stratus/ovsdb";
 * import { OVN_NORTHBOUND_SCHEMA, type OvnNorthbound } from "@stratus/ovsdb/ovn";
 *
 * const nb = await OvsdbClient.connect({
 *   database: "OVN_Northbound",
 *   endpoints: "tcp:10.0.0.1:6641,tcp:10.0.0.2:6641,tcp:10.0.0.3:6641", // follows the RAFT leader
 *   schema: OVN_NORTHBOUND_SCHEMA, parseSchema, checkSchema: assertSchema,
 *   tables: { Logical_Switch: true, Logical_Switch_Port: true },
 * });
 * await nb.transaction((tx) => {
 *   const port = tx.insert("Logical_Switch_Port", { name: "vm1", addresses: ["fa:16:3e:00:00:01 10.0.0.5"] });
 *   tx.insert("Logical_Switch", { name: "net1", ports: [port] });
 * });
 * const ls = nb.replica.table<OvnNorthbound.LogicalSwitch>("Logical_Switch").lookupOne("name", "net1");
 * ```
 */
export { type ClientEvent, OvsdbClient, type OvsdbClientOptions, type TxnFn } from "./client.js";
export { type Codec, type CodecSchema, schemaCodec } from "./codec.js";
export {
  type MonitorSinceResult,
  OvsdbConnection,
  TransactionError,
} from "./connection.js";
export { FramingError, JsonStreamSplitter } from "./framing.js";
export {
  applyDiff,
  decodeRow,
  decodeValue,
  defaultValue,
  encodeRow,
  encodeValue,
  NamedUuid,
  ValueError,
  ZERO_UUID,
} from "./mapper.js";
export {
  type ChangeKind,
  type ComputedIndex,
  Replica,
  type Row,
  type RowChange,
  type RowCodec,
  TableReplica,
} from "./replica.js";
export { ConnectionClosedError, RpcConnection, RpcError, type RpcOptions } from "./rpc.js";
export {
  type AtomicType,
  type BaseType,
  type ColumnSchema,
  type ColumnType,
  type DatabaseSchema,
  parseSchema,
  SchemaError,
  type TableSchema,
} from "./schema.js";
export { assertSchema, checkSchema, type SchemaMismatch, SchemaMismatchError } from "./schema-check.js";
export {
  type Dialer,
  type DialOptions,
  dialerFor,
  type Endpoint,
  EndpointError,
  formatEndpoint,
  parseEndpoint,
  parseEndpoints,
} from "./transport.js";
export { type RowRef, TxnBuilder } from "./txn.js";
export type * from "./wire.js";
