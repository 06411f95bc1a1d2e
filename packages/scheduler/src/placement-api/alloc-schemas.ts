/**
 * Request bodies of the allocation routes, one zod schema per Placement microversion range
 * (placement/schemas/allocation.py and reshaper.py), and their validation with Placement's
 * jsonschema wording ("JSON does not validate: ..."). The bodies change with the microversion,
 * so the handlers validate them, not Fastify.
 */
import { pyRepr } from "@stratus/core/http";
import { z } from "zod";
import { placementBadRequest } from "../placement/errors.js";

const UUID_KEY = "^[0-9a-fA-F-]{36}$";
const RC_KEY = "^[A-Z0-9_]+$";
const MAX_INT = 2147483647;
const DASHED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An object whose keys must match `pattern` (jsonschema patternProperties + additionalProperties false). */
function keyed<T extends z.ZodType>(pattern: string, value: T, minProperties = 0) {
  return z
    .record(z.string().regex(new RegExp(pattern)), value, {
      error: (iss) =>
        iss.code === "invalid_key" ? `${pyRepr(iss.input)} does not match any of the regexes: '${pattern}'` : undefined,
    })
    .refine((o) => Object.keys(o).length >= minProperties, { error: "{} should be non-empty" });
}

const uuid = z.string().refine((s) => DASHED_UUID.test(s), { error: (iss) => `${pyRepr(iss.input)} is not a 'uuid'` });
const ownerId = z.string().min(1).max(255);
const resources = keyed(RC_KEY, z.int().min(1), 1);
const consumerGeneration = z.int().nullable();

/** PUT /allocations/{consumer} 1.0-1.7: a list of `{resource_provider: {uuid}, resources}`. */
const listForm = z
  .array(z.strictObject({ resource_provider: z.strictObject({ uuid }), resources }))
  .min(1, { error: "[] should be non-empty" });
export const PutAllocationsV1_0 = z.strictObject({ allocations: listForm });
/** 1.8-1.11: the list form plus the owner. */
export const PutAllocationsV1_8 = PutAllocationsV1_0.extend({ project_id: ownerId, user_id: ownerId });

const dictForm = (minProperties: number) =>
  keyed(UUID_KEY, z.strictObject({ generation: z.int().optional(), resources }), minProperties);
/** 1.12-1.27: the dict form keyed by provider, as GET returns it. */
export const PutAllocationsV1_12 = z.strictObject({ allocations: dictForm(1), project_id: ownerId, user_id: ownerId });
const Deletable = PutAllocationsV1_12.extend({ allocations: dictForm(0) });
/** 1.28-1.33: consumer_generation required (null for a new consumer); empty allocations delete. */
export const PutAllocationsV1_28 = Deletable.extend({ consumer_generation: consumerGeneration });
/** 1.34-1.37: optional `mappings` (suffix -> providers), accepted and not stored, as Placement. */
export const PutAllocationsV1_34 = PutAllocationsV1_28.extend({
  mappings: z
    .record(z.string(), z.array(uuid).min(1, { error: "[] should be non-empty" }))
    .refine((o) => Object.keys(o).length >= 1, { error: "{} should be non-empty" })
    .optional(),
});
/** 1.38+: consumer_type required. */
export const PutAllocationsV1_38 = PutAllocationsV1_34.extend({
  consumer_type: z.string().min(1).max(255).regex(new RegExp(RC_KEY)),
});

/** One consumer's part of POST /allocations or of the reshaper, in any microversion's shape. */
export type ConsumerBody = z.infer<typeof Deletable> & {
  consumer_generation?: number | null;
  consumer_type?: string;
};

/** PUT /allocations/{consumer} body schema at `at` ("1.0" ... "1.39"). */
export function putAllocationsSchema(at: (v: string) => boolean): z.ZodType {
  if (at("1.38")) return PutAllocationsV1_38;
  if (at("1.34")) return PutAllocationsV1_34;
  if (at("1.28")) return PutAllocationsV1_28;
  if (at("1.12")) return PutAllocationsV1_12;
  if (at("1.8")) return PutAllocationsV1_8;
  return PutAllocationsV1_0;
}

function consumerSchema(at: (v: string) => boolean): z.ZodType {
  if (at("1.38")) return PutAllocationsV1_38;
  if (at("1.34")) return PutAllocationsV1_34;
  if (at("1.28")) return PutAllocationsV1_28;
  return Deletable;
}

/** POST /allocations (1.13+): consumers keyed by UUID, at least one. */
export function postAllocationsSchema(at: (v: string) => boolean): z.ZodType {
  return keyed(UUID_KEY, consumerSchema(at), 1);
}

const count = (min: number) => z.int().min(min).max(MAX_INT);
const InventoryRecord = z.strictObject({
  resource_provider_generation: z.int().optional(),
  total: count(1),
  reserved: count(0).optional(),
  min_unit: count(1).optional(),
  max_unit: count(1).optional(),
  step_size: count(1).optional(),
  allocation_ratio: z.number().max(3.40282e38).optional(),
});

/** POST /reshaper (1.30+): every provider's complete inventories, and the consumers' allocations. */
export function reshaperSchema(at: (v: string) => boolean): z.ZodType {
  return z.strictObject({
    inventories: keyed(
      UUID_KEY,
      z.strictObject({ resource_provider_generation: z.int(), inventories: keyed(RC_KEY, InventoryRecord) }),
      1,
    ),
    allocations: keyed(UUID_KEY, consumerSchema(at)),
  });
}

/** The body as `schema` types it. Throws 400 "JSON does not validate: <jsonschema's reason>". */
export function validateBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body ?? null);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw placementBadRequest(`JSON does not validate: ${reasonOf(issue, body)}`);
}

const TYPE_NAMES: Readonly<Record<string, string>> = { int: "integer", record: "object", array: "array" };

/** jsonschema's wording of a zod issue: `'x' is a required property`, `0 is less than the minimum of 1`. */
function reasonOf(issue: z.core.$ZodIssue, root: unknown): string {
  let node: unknown = root;
  let present = true;
  for (const key of issue.path) {
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key as PropertyKey)) {
      present = false;
      break;
    }
    node = (node as Record<PropertyKey, unknown>)[key as PropertyKey];
  }
  const repr = pyRepr(node);
  switch (issue.code) {
    case "invalid_type":
      if (!present) return `'${String(issue.path.at(-1))}' is a required property`;
      return `${repr} is not of type '${TYPE_NAMES[issue.expected] ?? issue.expected}'`;
    case "too_small":
      if (issue.origin === "number" || issue.origin === "int")
        return `${repr} is less than the minimum of ${issue.minimum}`;
      return issue.minimum === 1 ? `${repr} should be non-empty` : `${repr} is too short`;
    case "too_big":
      if (issue.origin === "number" || issue.origin === "int") {
        return `${repr} is greater than the maximum of ${issue.maximum}`;
      }
      return `${repr} is too long`;
    case "unrecognized_keys": {
      const keys = issue.keys.map((k) => `'${k}'`);
      return `Additional properties are not allowed (${keys.join(", ")} ${keys.length === 1 ? "was" : "were"} unexpected)`;
    }
    case "invalid_format":
      return issue.format === "regex" && "pattern" in issue
        ? `${repr} does not match '${String(issue.pattern).replace(/^\/|\/$/g, "")}'`
        : `${repr} is not a '${issue.format}'`;
    default:
      return issue.message;
  }
}
