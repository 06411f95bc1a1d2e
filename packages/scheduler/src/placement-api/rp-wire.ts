/**
 * Wire helpers shared by the resource-provider routes: Placement's jsonschema-worded validation
 * of bodies and query strings (checked inside the handler, after policy, as Placement does),
 * UUID normalizing, cache headers and the links Placement puts in provider bodies.
 */
import { badRequest, notFound } from "@stratus/core/errors";
import { pyRepr } from "@stratus/core/http";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { mv } from "./context.js";

const UUID_LIKE = /^[0-9a-f]{32}$/i;

/** True for what oslo's is_uuid_like accepts: 32 hex digits, dashes and braces/urn prefix optional. */
export function isUuidLike(value: string): boolean {
  return UUID_LIKE.test(value.replace(/^urn:|^uuid:|[{}-]/gi, "").replace(/^uuid:/i, ""));
}

/** The canonical lowercase, dashed form of a UUID-like string. */
export function normalizeUuid(value: string): string {
  const hex = value
    .replace(/^urn:|^uuid:|[{}-]/gi, "")
    .replace(/^uuid:/i, "")
    .toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

interface Issue {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly [k: string]: unknown;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key))
      return { present: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: node };
}

const JSON_TYPE: Readonly<Record<string, string>> = { int: "integer", number: "number", nan: "number" };

/** jsonschema's keyword and first line for a zod issue. */
function describe(issue: Issue, root: unknown): { keyword: string; reason: string; path: readonly PropertyKey[] } {
  const { present, value } = valueAt(root, issue.path);
  const repr = pyRepr(value);
  const parentPath = issue.path.slice(0, -1);
  const origin = String(issue["origin"] ?? "");
  const numeric = origin === "number" || origin === "int";
  switch (issue.code) {
    case "invalid_type": {
      if (!present)
        return {
          keyword: "required",
          reason: `'${String(issue.path.at(-1))}' is a required property`,
          path: parentPath,
        };
      const expected = String(issue["expected"]);
      return {
        keyword: "type",
        reason: `${repr} is not of type '${JSON_TYPE[expected] ?? expected}'`,
        path: issue.path,
      };
    }
    case "too_big":
      return numeric
        ? {
            keyword: "maximum",
            reason: `${repr} is greater than the maximum of ${String(issue["maximum"])}`,
            path: issue.path,
          }
        : { keyword: "maxLength", reason: `${repr} is too long`, path: issue.path };
    case "too_small":
      return numeric
        ? {
            keyword: "minimum",
            reason: `${repr} is less than the minimum of ${String(issue["minimum"])}`,
            path: issue.path,
          }
        : { keyword: "minLength", reason: `${repr} is too short`, path: issue.path };
    case "unrecognized_keys": {
      const keys = (issue["keys"] as string[]).map((k) => `'${k}'`);
      const verb = keys.length === 1 ? "was" : "were";
      return {
        keyword: "additionalProperties",
        reason: `Additional properties are not allowed (${keys.join(", ")} ${verb} unexpected)`,
        path: issue.path,
      };
    }
    case "invalid_format": {
      // zod prints a RegExp as /source/; jsonschema prints the bare pattern.
      const pattern = String(issue["pattern"]).replace(/^\/(.*)\/[a-z]*$/, "$1");
      return { keyword: "pattern", reason: `${repr} does not match '${pattern}'`, path: issue.path };
    }
    case "custom": {
      const keyword = String((issue["params"] as { keyword?: string } | undefined)?.keyword ?? "format");
      const reason = keyword === "uniqueItems" ? `${repr} has non-unique elements` : `${repr} is not a 'uuid'`;
      return { keyword, reason, path: issue.path };
    }
    default:
      return { keyword: "anyOf", reason: `${repr} is not valid under any of the given schemas`, path: issue.path };
  }
}

const pathText = (path: readonly PropertyKey[]) => path.map((p) => `[${pyRepr(p)}]`).join("");
/** jsonschema's path into the schema: `['properties']['name']` per key, `['items']` per index. */
const schemaPathText = (path: readonly PropertyKey[]) =>
  path.map((p) => (typeof p === "number" ? "['items']" : `['properties'][${pyRepr(p)}]`)).join("");

/**
 * The body parsed by `schema`, or a 400 "JSON does not validate: ..." worded like jsonschema's
 * error (first line, then "Failed validating '<keyword>' in schema..." and the instance).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as unknown as Issue;
  const { keyword, reason, path } = describe(issue, body);
  const where = pathText(path);
  throw badRequest(
    `JSON does not validate: ${reason}\n\nFailed validating '${keyword}' in schema${schemaPathText(path)}:\n\nOn instance${where}:\n    ${pyRepr(valueAt(body, path).value)}`,
  );
}

/** A query as Fastify parses it: repeated keys become arrays. */
export type Query = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Every value of `key`, in order. */
export function allOf(query: Query, key: string): string[] {
  const v = query[key];
  return v === undefined ? [] : typeof v === "string" ? [v] : [...v];
}

/** The last value of `key` (what webob's `req.GET[key]` gives), or undefined. */
export function lastOf(query: Query, key: string): string | undefined {
  return allOf(query, key).at(-1);
}

/** A 400 "Invalid query string parameters: ..." */
export function badQuery(reason: string): Error {
  return badRequest(`Invalid query string parameters: ${reason}`);
}

/** Refuses keys outside `allowed` (Placement's query schemas forbid additional properties). */
export function checkQueryKeys(query: Query, allowed: readonly string[]): void {
  const extra = Object.keys(query).filter((k) => !allowed.includes(k));
  if (extra.length > 0) {
    const keys = extra.map((k) => `'${k}'`).join(", ");
    throw badQuery(`Additional properties are not allowed (${keys} ${extra.length === 1 ? "was" : "were"} unexpected)`);
  }
}

/** Placement's 404 for an unknown provider (GET, PUT, DELETE on /resource_providers/{uuid} and children). */
export function providerNotFound(uuid: string, suffix = ""): Error {
  return notFound(`No resource provider with uuid ${uuid} found${suffix}`);
}

/** From 1.15 Placement sends `cache-control: no-cache` and `last-modified` on reads and writes with a body. */
export function cacheHeaders(request: FastifyRequest, reply: FastifyReply): void {
  if (!mv(request, "1.15")) return;
  reply.header("cache-control", "no-cache");
  reply.header("last-modified", new Date().toUTCString());
}

/** A 204 (or other empty) response without a content type, as webob sends it. */
export function empty(reply: FastifyReply, status: number): FastifyReply {
  reply.removeHeader("content-type");
  return reply.code(status).send();
}

/** Links of a provider body: self, inventories, usages, then per microversion aggregates, traits, allocations. */
export function providerLinks(request: FastifyRequest, uuid: string): { rel: string; href: string }[] {
  const self = `/resource_providers/${uuid}`;
  const rels = ["inventories", "usages"];
  if (mv(request, "1.1")) rels.push("aggregates");
  if (mv(request, "1.6")) rels.push("traits");
  if (mv(request, "1.11")) rels.push("allocations");
  return [{ rel: "self", href: self }, ...rels.map((rel) => ({ rel, href: `${self}/${rel}` }))];
}
