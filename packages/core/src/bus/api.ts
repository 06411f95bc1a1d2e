/**
 * Typed RPC APIs: declare a topic's methods once with zod schemas, then call and serve them
 * with types checked end to end. The receiver of a message validates it (the server its
 * request, the client its reply), so schema transforms apply exactly once.
 */
import type { z } from "zod";
import { badRequest, internal, StratusError } from "../errors/index.js";
import type { Bus, BusConsumer, RequestContext, SendOptions, ServeOptions } from "./types.js";

/** One method: the schema of its request and of its reply. */
export interface RpcMethod<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

/** The methods of an API, by name. */
export type RpcMethods = Readonly<Record<string, RpcMethod>>;

/** An API bound to its topic, made by `defineRpcApi`. */
export interface RpcApi<M extends RpcMethods> {
  readonly topic: string;
  readonly methods: M;
}

/** What a client sends for method `K` (the schema's input). */
export type RpcRequest<M extends RpcMethods, K extends keyof M> = z.input<M[K]["request"]>;
/** What a caller receives from method `K` (the schema's output). */
export type RpcResponse<M extends RpcMethods, K extends keyof M> = z.output<M[K]["response"]>;

/** Handlers for every method of an API; each returns the reply (or a promise of it). */
export type RpcHandlers<M extends RpcMethods> = {
  readonly [K in keyof M]: (
    request: z.output<M[K]["request"]>,
    context: RequestContext,
  ) => z.input<M[K]["response"]> | Promise<z.input<M[K]["response"]>>;
};

/** The typed face of a topic for callers. */
export interface RpcClient<M extends RpcMethods> {
  /**
   * Calls `method` on any server of the topic, or on `server`. Resolves with the validated reply;
   * rejects like `Bus.call`, or with `internal` if the reply does not match the schema.
   */
  call<K extends keyof M & string>(
    method: K,
    request: RpcRequest<M, K>,
    options: { readonly timeoutMs: number; readonly server?: string },
  ): Promise<RpcResponse<M, K>>;
  /** Casts `method` to one server of the topic, or to `server`; rejects like `Bus.cast`. */
  cast<K extends keyof M & string>(
    method: K,
    request: RpcRequest<M, K>,
    options?: SendOptions & { readonly server?: string },
  ): Promise<void>;
}

/** Declares an API once; returns it unchanged, typed. Pure. */
export function defineRpcApi<const M extends RpcMethods>(topic: string, methods: M): RpcApi<M> {
  return { topic, methods };
}

/** A typed client for `api` over `bus`. Pure; cheap to create. */
export function rpcClient<M extends RpcMethods>(bus: Bus, api: RpcApi<M>): RpcClient<M> {
  const target = (server: string | undefined) =>
    server === undefined ? { topic: api.topic } : { topic: api.topic, server };
  return {
    async call(method, request, options) {
      const reply = await bus.call(target(options.server), method, request, { timeoutMs: options.timeoutMs });
      const parsed = methodOf(api, method).response.safeParse(reply);
      if (!parsed.success) {
        throw internal(`The reply of ${api.topic}.${method} does not match its schema.`, { cause: parsed.error });
      }
      return parsed.data as RpcResponse<M, typeof method>;
    },
    async cast(method, request, options) {
      const sendOptions = options?.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
      await bus.cast(target(options?.server), method, request, sendOptions);
    },
  };
}

/**
 * Serves `handlers` for `api` on its topic; with `server`, on both the topic and that server's own
 * queue (calls naming the server reach only it; the others are shared with the topic's other
 * servers). Requests that fail their schema are answered with `bad_request`. Resolves once
 * serving; see `Bus.serve`.
 */
export async function serveRpcApi<M extends RpcMethods>(
  bus: Bus,
  api: RpcApi<M>,
  handlers: RpcHandlers<M>,
  options: ServeOptions & { readonly server?: string } = {},
): Promise<BusConsumer> {
  const methods: Record<string, (payload: unknown, context: RequestContext) => unknown> = {};
  for (const name of Object.keys(api.methods)) {
    const handler = handlers[name] as (request: unknown, context: RequestContext) => unknown;
    methods[name] = (payload, context) => {
      const parsed = methodOf(api, name).request.safeParse(payload);
      if (!parsed.success) {
        throw badRequest(`Invalid request for ${api.topic}.${name}: ${parsed.error.issues[0]?.message ?? "invalid"}`, {
          details: {
            issues: parsed.error.issues.map((issue) => ({ path: issue.path.map(String), message: issue.message })),
          },
        });
      }
      return handler(parsed.data, context);
    };
  }
  const { server, ...serveOptions } = options;
  if (server === undefined) return bus.serve({ topic: api.topic }, methods, serveOptions);
  // as an oslo.messaging RPC server does: a named server takes both the requests sent to it by
  // name and its share of those sent to the topic at large
  const consumers = await Promise.all([
    bus.serve({ topic: api.topic, server }, methods, serveOptions),
    bus.serve({ topic: api.topic }, methods, serveOptions),
  ]);
  return { stop: async () => void (await Promise.all(consumers.map((c) => c.stop()))) };
}

function methodOf<M extends RpcMethods>(api: RpcApi<M>, name: string): RpcMethod {
  const method = api.methods[name];
  if (method === undefined) throw new StratusError("not_implemented", `${api.topic} has no method "${name}".`);
  return method;
}
