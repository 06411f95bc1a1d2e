/**
 * A zod validation failure turned into the facts OpenStack's (jsonschema-based) messages are made
 * of: where, which field, the offending value, and a jsonschema-worded reason.
 */
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";

export type ValidationLocation = "body" | "querystring" | "params" | "headers";

export interface ValidationIssue {
  /** Which part of the request failed. */
  readonly location: ValidationLocation;
  /** The path of the field inside that part (`["server", "name"]`); empty for the part itself. */
  readonly path: readonly (string | number)[];
  /** Whether the field was sent at all (false: a required field is missing). */
  readonly present: boolean;
  /** The value at `path` (undefined when missing). */
  readonly value: unknown;
  /** The value of the enclosing object (what Nova prints for a missing field). */
  readonly parent: unknown;
  /** jsonschema's wording of what is wrong: `'name' is a required property`, `1 is not of type 'string'`. */
  readonly reason: string;
}

interface RequestParts {
  readonly body: unknown;
  readonly query: unknown;
  readonly params: unknown;
  readonly headers: unknown;
}

/** Python's repr of a JSON value, which OpenStack messages print (`'x'`, `True`, `None`, `{'a': 1}`). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return "None";
  if (typeof value === "string") return `'${value.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(", ")}]`;
  if (typeof value === "object") {
    return `{${Object.entries(value)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

const JSON_TYPES: Readonly<Record<string, string>> = { int: "integer", bigint: "integer", nan: "number" };

function at(root: unknown, path: readonly (string | number)[]): { present: boolean; value: unknown } {
  let node: unknown = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key))
      return { present: false, value: undefined };
    node = (node as Record<string | number, unknown>)[key];
  }
  return { present: true, value: node };
}

function reasonFor(
  code: string,
  params: Record<string, unknown>,
  last: string,
  present: boolean,
  value: unknown,
  fallback: string,
): string {
  const repr = pyRepr(value);
  switch (code) {
    case "invalid_type":
      if (!present) return `'${last}' is a required property`;
      return `${repr} is not of type '${JSON_TYPES[String(params["expected"])] ?? String(params["expected"])}'`;
    case "too_small":
      return params["origin"] === "number" || params["origin"] === "int"
        ? `${repr} is less than the minimum of ${String(params["minimum"])}`
        : `${repr} is too short`;
    case "too_big":
      return params["origin"] === "number" || params["origin"] === "int"
        ? `${repr} is greater than the maximum of ${String(params["maximum"])}`
        : `${repr} is too long`;
    case "invalid_value":
      return `${repr} is not one of [${(Array.isArray(params["values"]) ? params["values"] : []).map(pyRepr).join(", ")}]`;
    case "unrecognized_keys": {
      const keys = Array.isArray(params["keys"]) ? params["keys"].map((k) => `'${String(k)}'`) : [];
      return `Additional properties are not allowed (${keys.join(", ")} ${keys.length === 1 ? "was" : "were"} unexpected)`;
    }
    case "invalid_format":
      return params["format"] === "regex"
        ? `${repr} does not match '${String(params["pattern"])}'`
        : `${repr} is not a '${String(params["format"])}'`;
    default:
      return fallback;
  }
}

/** The first issue of a Fastify/zod validation error, or null when `err` is not one. */
export function validationIssueOf(err: unknown, request: RequestParts): ValidationIssue | null {
  if (!hasZodFastifySchemaValidationErrors(err)) return null;
  const first = err.validation[0];
  if (first === undefined) return null;
  const context = (err as { validationContext?: string }).validationContext;
  const location: ValidationLocation =
    context === "querystring" || context === "params" || context === "headers" ? context : "body";
  const root =
    location === "body"
      ? request.body
      : location === "querystring"
        ? request.query
        : location === "params"
          ? request.params
          : request.headers;
  const path = first.instancePath
    .split("/")
    .slice(1)
    .filter((p) => p !== "")
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const { present, value } = at(root, path);
  const parent = at(root, path.slice(0, -1)).value;
  const params = (first.params ?? {}) as Record<string, unknown>;
  const last = String(path.at(-1) ?? location);
  return {
    location,
    path,
    present,
    value,
    parent,
    reason: reasonFor(first.keyword, params, last, present, value, first.message ?? "invalid"),
  };
}
