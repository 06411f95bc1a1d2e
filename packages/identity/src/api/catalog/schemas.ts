/** Request bodies of the catalog API, as Keystone's catalog schemas define them (extra attributes kept). */
import { z } from "zod";
import { ENDPOINT_INTERFACES } from "../../catalog/types.js";

const description = z.string().nullable();
const name = z.string().min(1).max(255);
const serviceType = z.string().min(1).max(255);
const url = z
  .string()
  .min(1)
  .max(225)
  .regex(/^[a-zA-Z0-9+.-]+:\/\//, "is not a valid URL");

const RegionFields = z.looseObject({
  id: z.string().optional(),
  description: description.optional(),
  parent_region_id: z.string().nullable().optional(),
});
export const RegionCreateBody = z.object({ region: RegionFields });
export const RegionUpdateBody = z.object({
  region: RegionFields.refine((r) => Object.keys(r).length > 0, "must have at least 1 property"),
});

const ServiceFields = z.looseObject({
  enabled: z.boolean().optional(),
  name: name.optional(),
  type: serviceType.optional(),
});
export const ServiceCreateBody = z.object({ service: ServiceFields.extend({ type: serviceType }) });
export const ServiceUpdateBody = z.object({
  service: ServiceFields.refine((s) => Object.keys(s).length > 0, "must have at least 1 property"),
});

const EndpointFields = z.looseObject({
  enabled: z.boolean().optional(),
  interface: z.enum(ENDPOINT_INTERFACES).optional(),
  region_id: z.string().nullable().optional(),
  region: z.string().optional(),
  service_id: z.string().optional(),
  url: url.optional(),
});
export const EndpointCreateBody = z.object({
  endpoint: EndpointFields.extend({ interface: z.enum(ENDPOINT_INTERFACES), service_id: z.string(), url }),
});
export const EndpointUpdateBody = z.object({
  endpoint: EndpointFields.refine((e) => Object.keys(e).length > 0, "must have at least 1 property"),
});

export const RegionQuery = z.object({ parent_region_id: z.string().optional() });
export const ServiceQuery = z.object({ type: z.string().optional(), name: z.string().optional() });
export const EndpointQuery = z.object({
  interface: z.enum(ENDPOINT_INTERFACES).optional(),
  service_id: z.string().optional(),
  region_id: z.string().optional(),
});

/** Splits a body into its known fields and the extra attributes Keystone stores beside them. */
export function splitExtra<K extends string>(
  body: Record<string, unknown>,
  known: readonly K[],
): { fields: Partial<Record<K, unknown>>; extra: Record<string, unknown> } {
  const fields: Partial<Record<K, unknown>> = {};
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if ((known as readonly string[]).includes(key)) fields[key as K] = value;
    else if (key !== "links") extra[key] = value;
  }
  return { fields, extra };
}
