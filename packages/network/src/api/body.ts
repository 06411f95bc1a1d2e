/**
 * Request bodies as Neutron's API layer checks them: the resource key, unknown attributes, attributes
 * not allowed in POST or read-only on PUT, then each attribute's validator (zod), every failure a
 * 400 HTTPBadRequest with Neutron's wording.
 */
import { z } from "zod";
import { httpBadRequest } from "../domain/faults.js";
import { canonicalIp, parseCidr } from "../domain/ip.js";

type Shape = z.ZodRawShape;

export interface BodySpec<C extends Shape, U extends Shape> {
  /** The singular resource key (`network`). */
  readonly resource: string;
  /** Every attribute the resource has (what a GET renders). */
  readonly attributes: readonly string[];
  /** Attributes accepted on POST. */
  readonly create: z.ZodObject<C>;
  /** Attributes accepted on PUT. */
  readonly update: z.ZodObject<U>;
}

function innerOf(body: unknown, resource: string): Record<string, unknown> {
  if (body === undefined || body === null) throw httpBadRequest("Resource body required");
  if (typeof body !== "object" || Array.isArray(body)) throw httpBadRequest("Body contains invalid data");
  const inner = (body as Record<string, unknown>)[resource];
  if (inner === undefined) throw httpBadRequest(`Unable to find '${resource}' in request body`);
  if (inner === null || typeof inner !== "object" || Array.isArray(inner))
    throw httpBadRequest(`Invalid input for ${resource}. Reason: must be an object.`);
  return inner as Record<string, unknown>;
}

function checkKeys(
  inner: Record<string, unknown>,
  allowed: readonly string[],
  attributes: readonly string[],
  op: "POST" | "PUT",
) {
  const keys = Object.keys(inner);
  const unknown = keys.filter((k) => !attributes.includes(k) && !allowed.includes(k));
  if (unknown.length > 0) throw httpBadRequest(`Unrecognized attribute(s) '${unknown.join(", ")}'`);
  for (const k of keys) {
    if (allowed.includes(k)) continue;
    throw httpBadRequest(
      op === "POST" ? `Attribute '${k}' not allowed in POST` : `Cannot update read-only attribute ${k}`,
    );
  }
}

function parseWith<T extends Shape>(schema: z.ZodObject<T>, inner: Record<string, unknown>): z.output<z.ZodObject<T>> {
  const result = schema.safeParse(inner);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const attr = String(issue?.path[0] ?? "body");
  const value = issue?.path.length === 0 ? inner : inner[attr];
  const reason = issue?.message ?? "invalid";
  throw httpBadRequest(`Invalid input for ${attr}. Reason: ${reason.replace("{value}", JSON.stringify(value))}.`);
}

/** The validated POST attributes of `body`; throws 400 HTTPBadRequest. */
export function parseCreate<C extends Shape, U extends Shape>(spec: BodySpec<C, U>, body: unknown) {
  const inner = innerOf(body, spec.resource);
  checkKeys(inner, Object.keys(spec.create.shape), spec.attributes, "POST");
  for (const [key, type] of Object.entries(spec.create.shape))
    if (!(key in inner) && !(type as z.ZodType).safeParse(undefined).success)
      throw httpBadRequest(`Failed to parse request. Required attribute '${key}' not specified`);
  return parseWith(spec.create, inner);
}

/** The validated PUT attributes of `body`; throws 400 HTTPBadRequest. */
export function parseUpdate<C extends Shape, U extends Shape>(spec: BodySpec<C, U>, body: unknown) {
  const inner = innerOf(body, spec.resource);
  checkKeys(inner, Object.keys(spec.update.shape), spec.attributes, "PUT");
  return parseWith(spec.update, inner);
}

// Neutron's validators and converters (neutron_lib.api.validators / converters), as zod types.

const BOOL_TEXT: Readonly<Record<string, boolean>> = { true: true, false: false, "1": true, "0": false };

/** convert_to_boolean: true/false, "true"/"false" in any case, 0/1. */
export const nBool = z.unknown().transform((v, ctx) => {
  if (typeof v === "boolean") return v;
  const b = typeof v === "string" || typeof v === "number" ? BOOL_TEXT[String(v).toLowerCase()] : undefined;
  if (b === undefined) {
    ctx.addIssue({ code: "custom", message: `'${String(v)}' cannot be converted to boolean` });
    return z.NEVER;
  }
  return b;
});

/** A string of at most `max` characters (validate_string). */
export const nString = (max = 255) =>
  z
    .string({ error: (i) => `'${String(i.input)}' is not a valid string` })
    .max(max, { error: (i) => `'${String(i.input)}' exceeds maximum length of ${max}` });

/** An IP address in canonical form (validate_ip_address). */
export const nIp = z.string({ error: (i) => `'${String(i.input)}' is not a valid IP address` }).transform((v, ctx) => {
  const c = canonicalIp(v);
  if (c === null) {
    ctx.addIssue({ code: "custom", message: `'${v}' is not a valid IP address` });
    return z.NEVER;
  }
  return c;
});

/** A CIDR with host bits possibly set (validate_subnet accepts and Neutron canonicalizes). */
export const nCidr = z
  .string({ error: (i) => `'${String(i.input)}' is not a valid IP subnet` })
  .refine((v) => parseCidr(v) !== null, {
    error: (i) => `'${String(i.input)}' is not a valid IP subnet`,
  });

/** validate_uuid. */
export const nUuid = z
  .string({ error: (i) => `'${String(i.input)}' is not a valid UUID` })
  .regex(/^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/, {
    error: (i) => `'${String(i.input)}' is not a valid UUID`,
  });

/** A non-negative integer, from a number or its text (convert_to_int). */
export const nInt = z.unknown().transform((v, ctx) => {
  const n = typeof v === "number" ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : Number.NaN;
  if (!Number.isInteger(n)) {
    ctx.addIssue({ code: "custom", message: `'${String(v)}' is not an integer` });
    return z.NEVER;
  }
  return n;
});

/** The project attributes every create accepts. */
export const projectAttrs = {
  project_id: nString(255).optional(),
  tenant_id: nString(255).optional(),
};

/** The standard attributes every create/update accepts. */
export const standardWritable = {
  description: nString(255).optional(),
};
