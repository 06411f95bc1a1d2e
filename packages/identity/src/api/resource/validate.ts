/**
 * Keystone validates the entity inside the body (`body.get('project', {})`) with jsonschema, so its
 * messages name fields relative to the entity: `Invalid input for field 'name': 1 is not of type
 * 'string'`, or the bare reason at the top (`'name' is a required property`). Keystone 22 appends
 * jsonschema's "Failed validating ..." dump to that first line; we send the first line only.
 */
import { badRequest } from "@stratus/core/errors";
import { pyRepr } from "@stratus/core/http";
import { z } from "zod";

/** Fields whose JSON type is `['string', 'null']` (jsonschema names both in its message). */
const NULLABLE = new Set(["description", "domain_id", "parent_id"]);

const at = (root: unknown, path: readonly PropertyKey[]): { present: boolean; value: unknown } => {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key as string))
      return { present: false, value: undefined };
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return { present: true, value: node };
};

const JSON_TYPE: Readonly<Record<string, string>> = { int: "integer", record: "object" };

/** Parses `value` with `schema` or throws 400 with jsonschema's wording. */
export function validateEntity<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue === undefined) throw badRequest("Invalid input.");
  const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
  const { present, value: v } = at(value, path);
  const last = String(path.at(-1) ?? "");
  const repr = pyRepr(v);
  let reason: string;
  let fieldPath = path;
  switch (issue.code) {
    case "invalid_type":
      if (!present) {
        reason = `'${last}' is a required property`;
        fieldPath = path.slice(0, -1);
      } else {
        const expected = JSON_TYPE[issue.expected] ?? issue.expected;
        reason = `${repr} is not of type '${expected}'${NULLABLE.has(last) ? ", 'null'" : ""}`;
      }
      break;
    case "too_small":
      reason = `${repr} is too short`;
      break;
    case "too_big":
      reason = `${repr} is too long`;
      break;
    case "invalid_format":
      // zod reports the pattern as a regex literal (`/[\S]+/`); jsonschema prints its source.
      reason = `${repr} does not match ${pyRepr(((issue as { pattern?: string }).pattern ?? "").replace(/^\/(.*)\/[a-z]*$/, "$1"))}`;
      break;
    default:
      reason = issue.message.replace("{value}", repr);
  }
  throw badRequest(fieldPath.length === 0 ? reason : `Invalid input for field '${fieldPath.join("/")}': ${reason}`);
}

/** The entity under `key` of a JSON body (`{}` when absent, as Keystone's `.get(key, {})`). */
export function entityOf(body: unknown, key: string): unknown {
  if (body !== null && typeof body === "object" && Object.hasOwn(body, key))
    return (body as Record<string, unknown>)[key];
  return {};
}

/** A name: 1..`max` characters with at least one non-space. */
export const nameField = (max: number) => z.string().min(1).max(max).regex(/[\S]+/);

/** Keystone's `id_string`. */
export const idString = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-]+$/);

/** A tag list: unique tags of 1..255 characters without `,` or `/`, at most 80. */
export const tagList = z
  .array(
    z
      .string()
      .min(1)
      .max(255)
      .regex(/^[^,/]*$/),
  )
  .max(80)
  .refine((tags) => new Set(tags).size === tags.length, { message: "{value} has non-unique elements" });

/** Keystone's `minProperties: 1` on update bodies. */
export const atLeastOne = (v: Record<string, unknown>) => Object.keys(v).length > 0;
/** The message of `minProperties`. */
export const NOT_ENOUGH = "{value} does not have enough properties";

/** Keystone's resource options schema (`options: {immutable: bool|null}`). */
export const optionsField = z.strictObject({ immutable: z.boolean().nullable().optional() });
