import { STANDARD_RESOURCE_CLASSES } from "../generated/resource-classes.gen.js";
import { STANDARD_TRAITS } from "../generated/traits.gen.js";

const standardClasses: ReadonlySet<string> = new Set(STANDARD_RESOURCE_CLASSES);
const standardTraits: ReadonlySet<string> = new Set(STANDARD_TRAITS);
const CUSTOM = /^CUSTOM_[A-Z0-9_]+$/;

/** True when `name` is one of the standard resource classes of os-resource-classes. */
export function isStandardResourceClass(name: string): boolean {
  return standardClasses.has(name);
}

/** True when `name` is a well-formed custom name (`CUSTOM_[A-Z0-9_]+`), as Placement requires. */
export function isCustomName(name: string): boolean {
  return CUSTOM.test(name);
}

/** True when `name` is one of the standard traits of os-traits. */
export function isStandardTrait(name: string): boolean {
  return standardTraits.has(name);
}
