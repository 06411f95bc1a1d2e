import { badRequest } from "@stratus/core/errors";
import type { Inventory } from "./model.js";

/** Checks one inventory (defaults filled) as a provider write does; throws badRequest naming the class. */
export function validateInventory(rc: string, inv: Inventory): void {
  const ints: (keyof Inventory)[] = ["total", "reserved", "min_unit", "max_unit", "step_size"];
  for (const k of ints) {
    if (!Number.isInteger(inv[k]) || inv[k] < 0)
      throw badRequest(`Bad inventory ${rc}: ${k} must be a non-negative integer.`);
  }
  if (inv.total < 1 || inv.min_unit < 1 || inv.max_unit < 1 || inv.step_size < 1) {
    throw badRequest(`Bad inventory ${rc}: total, min_unit, max_unit and step_size must be at least 1.`);
  }
  if (!(inv.allocation_ratio > 0) || !Number.isFinite(inv.allocation_ratio)) {
    throw badRequest(`Bad inventory ${rc}: allocation_ratio must be a positive number.`);
  }
  if (inv.reserved > inv.total)
    throw badRequest(
      `Unable to update inventory for resource provider: Invalid inventory for '${rc}': reserved > total.`,
    );
  if (inv.min_unit > inv.max_unit) throw badRequest(`Bad inventory ${rc}: min_unit must be <= max_unit.`);
}
