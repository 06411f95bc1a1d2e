/**
 * The target dict Keystone's RBACEnforcer hands oslo.policy: the URL's view args, `target` (built
 * per API), `request_body` and `filter_attr`, flattened with dots (`target.project.domain_id`).
 */
import type { FastifyRequest } from "fastify";
import type { Authorizer } from "../../ports.js";

/** Keystone's utils.flatten_dict: nested plain objects become dotted keys. */
export function flattenDict(d: Readonly<Record<string, unknown>>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(d)) {
    const key = prefix === "" ? k : `${prefix}.${k}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v))
      Object.assign(out, flattenDict(v as Record<string, unknown>, key));
    else out[key] = v;
  }
  return out;
}

/** What goes into one enforcement besides the URL's parameters. */
export interface EnforceInput {
  /** The `target` dict (`{project: {...}}`), as Keystone's build_target/target_attr returns it. */
  readonly target?: Readonly<Record<string, unknown>> | null;
  /** Query parameters named as filters of the call; those present go into `filter_attr`. */
  readonly filters?: readonly string[];
}

/** Enforces `rule` for the request's caller with Keystone's flattened target. Throws 403 when denied. */
export function enforce(authorizer: Authorizer, request: FastifyRequest, rule: string, input: EnforceInput = {}): void {
  const dict: Record<string, unknown> = { ...((request.params as Record<string, unknown> | undefined) ?? {}) };
  if (input.target) dict["target"] = input.target;
  const body = request.body;
  if (body !== null && typeof body === "object" && Object.keys(body).length > 0) dict["request_body"] = body;
  const query = (request.query ?? {}) as Record<string, unknown>;
  const filterAttr: Record<string, unknown> = {};
  for (const f of input.filters ?? []) if (query[f] !== undefined) filterAttr[f] = query[f];
  if (Object.keys(filterAttr).length > 0) dict["filter_attr"] = filterAttr;
  authorizer.enforce(rule, authorizer.credentialsOf(request.auth!), flattenDict(dict));
}

/** Keystone's `query_filter_is_true`: present and not `0`. */
export function queryFlag(request: FastifyRequest, name: string): boolean {
  const query = (request.query ?? {}) as Record<string, unknown>;
  if (!(name in query)) return false;
  const v = query[name];
  return !(v === "0" || (Array.isArray(v) && v[0] === "0"));
}

/** oslo's bool_from_string with default True: only the false strings are false. */
export function boolFromString(v: string): boolean {
  return !["0", "f", "false", "n", "no", "off"].includes(v.trim().toLowerCase());
}
