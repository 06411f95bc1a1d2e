/**
 * Keystone's list filters from the query string: exact ones (`name=x`, booleans parsed as oslo
 * does) and the inexact `name__contains`, `__startswith`, `__endswith` (an `i` prefix ignores case).
 */
import { boolFromString } from "./policy-target.js";

type Query = Readonly<Record<string, unknown>>;

const first = (v: unknown): string | undefined =>
  v === undefined ? undefined : Array.isArray(v) ? String(v[0]) : String(v);

/** The string value of a query parameter, or undefined. */
export const queryString = (query: Query, key: string): string | undefined => first(query[key]);

/** The boolean value of a query parameter (oslo semantics), or undefined. */
export const queryBool = (query: Query, key: string): boolean | undefined => {
  const v = first(query[key]);
  return v === undefined ? undefined : boolFromString(v);
};

/** A predicate for the inexact filters on `attr` present in the query. */
export function inexactFilter(query: Query, attr: string): (value: string) => boolean {
  const tests: Array<(v: string) => boolean> = [];
  for (const [key, raw] of Object.entries(query)) {
    if (!key.startsWith(`${attr}__`)) continue;
    let comparator = key.slice(attr.length + 2);
    const insensitive = comparator.startsWith("i");
    if (insensitive) comparator = comparator.slice(1);
    const want = first(raw) ?? "";
    const norm = (s: string) => (insensitive ? s.toLowerCase() : s);
    if (comparator === "contains") tests.push((v) => norm(v).includes(norm(want)));
    else if (comparator === "startswith") tests.push((v) => norm(v).startsWith(norm(want)));
    else if (comparator === "endswith") tests.push((v) => norm(v).endsWith(norm(want)));
  }
  return (v) => tests.every((t) => t(v));
}
