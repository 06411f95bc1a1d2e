/**
 * Names of everything the bus declares on RabbitMQ, all under one prefix so that deployments
 * (and test runs) never collide. Durability choices are documented in `amqp.ts`.
 */
import { badRequest } from "../errors/index.js";
import { targetKey } from "./names.js";
import type { Target } from "./types.js";

export interface AmqpTopology {
  readonly prefix: string;
  /** Direct exchange for calls and casts; routing key `topic` or `topic.server`. */
  readonly rpcExchange: string;
  /** Topic exchange for notifications; routing key is the event name. */
  readonly eventExchange: string;
  /** The durable queue of a target, shared by all its servers. */
  requestQueue(target: Target): string;
}

const PREFIX = /^[A-Za-z0-9_.-]{1,80}$/;

/** Returns the names under `prefix`; throws `bad_request` for a prefix the broker would refuse. */
export function amqpTopology(prefix: string): AmqpTopology {
  if (!PREFIX.test(prefix)) throw badRequest(`Invalid AMQP prefix "${prefix}": letters, digits, ".", "_", "-".`);
  return {
    prefix,
    rpcExchange: `${prefix}.rpc`,
    eventExchange: `${prefix}.notifications`,
    requestQueue: (target) => `${prefix}.rpc.${targetKey(target)}`,
  };
}
