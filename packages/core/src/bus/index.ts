/**
 * The bus: typed RPC (call/cast) and notifications between services, in-process by default,
 * RabbitMQ when services run apart.
 *
 * ```ts
 * import { z } from "zod";
 * import { createInProcessBus, defineRpcApi, rpcClient, serveRpcApi } from "@stratus/core/bus";
 *
 * const computeApi = defineRpcApi("compute", {
 *   build: { request: z.object({ uuid: z.string() }), response: z.object({ state: z.string() }) },
 * });
 * const bus = createInProcessBus();
 * await serveRpcApi(bus, computeApi, { build: ({ uuid }) => ({ state: `building ${uuid}` }) }, { server: "host1" });
 * const { state } = await rpcClient(bus, computeApi).call("build", { uuid: "i-1" }, { timeoutMs: 5_000, server: "host1" });
 * await bus.notify("compute.instance.create.end", { uuid: "i-1" });
 * ```
 */

export { type AmqpBus, type AmqpBusOptions, type AmqpDialer, amqpUrlDialer, createAmqpBus } from "./amqp.js";
export type { AmqpTopology } from "./amqp-topology.js";
export {
  defineRpcApi,
  type RpcApi,
  type RpcClient,
  type RpcHandlers,
  type RpcMethod,
  type RpcMethods,
  type RpcRequest,
  type RpcResponse,
  rpcClient,
  serveRpcApi,
} from "./api.js";
export { type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.js";
export { createInProcessBus, InProcessBroker, type InProcessBusOptions } from "./in-process.js";
export { compileEventPattern } from "./names.js";
export { RpcBus, type RpcBusOptions } from "./rpc-bus.js";
export type {
  BusTransport,
  SendRequestOptions,
  TransportConsumer,
  TransportEvents,
  TransportRequest,
} from "./transport.js";
export type {
  Bus,
  BusConsumer,
  BusLogger,
  CallOptions,
  EventContext,
  EventHandler,
  MethodHandler,
  MethodHandlers,
  RequestContext,
  SendOptions,
  ServeOptions,
  Target,
} from "./types.js";
