/**
 * Placement's JSON schemas (placement/schemas/*.py) for the resource-provider half, as zod:
 * objects are strict (additionalProperties false), integers bounded as Placement bounds them.
 */
import { z } from "zod";
import { isUuidLike } from "./rp-wire.js";

/** Placement's MAX_INT (the inventory columns are 32-bit signed). */
export const MAX_INT = 2147483647;
/** Placement's SQL_SP_FLOAT_MAX (allocation_ratio is a single-precision float column). */
const SQL_SP_FLOAT_MAX = 3.40282e38;

const uuid = z.string().refine(isUuidLike, { params: { keyword: "format" } });
const uniqueUuids = z.array(uuid).refine((a) => new Set(a).size === a.length, { params: { keyword: "uniqueItems" } });
const count = (min: number) => z.int().min(min).max(MAX_INT);
const RC_PATTERN = /^[A-Z0-9_]+$/;
const CUSTOM_PATTERN = /^CUSTOM_[A-Z0-9_]+$/;

/** POST /resource_providers before 1.14. */
export const ProviderCreate = z.strictObject({ name: z.string().max(200), uuid: uuid.optional() });
/** POST /resource_providers from 1.14 (optional parent). */
export const ProviderCreate114 = ProviderCreate.extend({ parent_provider_uuid: uuid.nullable().optional() });
/** PUT /resource_providers/{uuid} before 1.14. */
export const ProviderUpdate = z.strictObject({ name: z.string().max(200) });
/** PUT /resource_providers/{uuid} from 1.14. */
export const ProviderUpdate114 = ProviderUpdate.extend({ parent_provider_uuid: uuid.nullable().optional() });

const inventoryFields = {
  total: count(1),
  reserved: count(0).optional(),
  min_unit: count(1).optional(),
  max_unit: count(1).optional(),
  step_size: count(1).optional(),
  allocation_ratio: z.number().max(SQL_SP_FLOAT_MAX).optional(),
};

/** PUT /resource_providers/{uuid}/inventories/{rc}. */
export const InventoryUpdate = z.strictObject({ resource_provider_generation: z.int(), ...inventoryFields });
/** POST /resource_providers/{uuid}/inventories. */
export const InventoryCreate = z.strictObject({
  resource_class: z.string().regex(RC_PATTERN),
  resource_provider_generation: z.int().optional(),
  ...inventoryFields,
});
/** One record of PUT .../inventories. */
export const InventoryRecord = z.strictObject({ resource_provider_generation: z.int().optional(), ...inventoryFields });
/** PUT /resource_providers/{uuid}/inventories (patternProperties: keys of other shapes pass unchecked). */
export const InventoriesSet = z.strictObject({
  resource_provider_generation: z.int(),
  inventories: z.record(z.string(), z.unknown()),
});

/** POST /resource_classes and PUT /resource_classes/{name} at 1.2-1.6. */
export const ResourceClassBody = z.strictObject({ name: z.string().regex(CUSTOM_PATTERN).max(255) });

/** PUT /resource_providers/{uuid}/traits. */
export const ProviderTraitsSet = z.strictObject({
  traits: z.array(z.string().min(1).max(255)),
  resource_provider_generation: z.int(),
});

/** PUT /resource_providers/{uuid}/aggregates before 1.19: a bare list. */
export const AggregatesList = uniqueUuids;
/** PUT /resource_providers/{uuid}/aggregates from 1.19. */
export const AggregatesSet119 = z.strictObject({ aggregates: uniqueUuids, resource_provider_generation: z.int() });

/** True for a name Placement accepts as a resource class or trait in a path or key. */
export const isRcName = (name: string): boolean => RC_PATTERN.test(name);
/** True for a `CUSTOM_` name within 255 characters. */
export const isCustomWithinLimit = (name: string): boolean => CUSTOM_PATTERN.test(name) && name.length <= 255;
