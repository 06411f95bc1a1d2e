/**
 * Glance's list sorting: the classic `sort_key=a&sort_dir=asc` pairs or the new
 * `sort=a:asc,b:desc`, never both; `created_at desc` when none is given.
 */
import { badRequest } from "@stratus/core/errors";
import type { Image } from "./model.js";

export const SORT_KEYS = [
  "name",
  "status",
  "container_format",
  "disk_format",
  "size",
  "id",
  "created_at",
  "updated_at",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export interface SortSpec {
  readonly key: SortKey;
  readonly dir: SortDir;
}

export const DEFAULT_SORT: readonly SortSpec[] = [{ key: "created_at", dir: "desc" }];

type Query = Readonly<Record<string, string | string[] | undefined>>;
const all = (q: Query, key: string): string[] => [q[key] ?? []].flat();

function sortKey(raw: string): SortKey {
  const key = raw.trim();
  if (!(SORT_KEYS as readonly string[]).includes(key))
    throw badRequest(`Invalid sort key: ${key}. It must be one of the following: ${SORT_KEYS.join(", ")}.`);
  return key as SortKey;
}

function sortDir(raw: string): SortDir {
  const dir = raw.trim();
  if (dir !== "asc" && dir !== "desc") throw badRequest(`Invalid sort direction: ${dir}`);
  return dir;
}

/** The sort a list query asks for; throws `bad_request` with Glance's messages. Pure. */
export function parseSort(query: Query): readonly SortSpec[] {
  const sort = all(query, "sort").at(-1);
  const keys = all(query, "sort_key");
  const dirs = all(query, "sort_dir");
  if (sort !== undefined) {
    if (keys.length > 0 || dirs.length > 0) throw badRequest("Old and new sorting syntax cannot be combined");
    return sort
      .trim()
      .split(",")
      .map((part) => {
        const [key = "", dir = ""] = part.split(":", 2);
        return { key: sortKey(key), dir: dir === "" ? "desc" : sortDir(dir) };
      });
  }
  const parsedDirs = dirs.map(sortDir);
  if (parsedDirs.length > 1 && parsedDirs.length !== keys.length)
    throw badRequest("Number of sort dirs does not match the number of sort keys");
  if (keys.length === 0) return [{ key: "created_at", dir: parsedDirs[0] ?? "desc" }];
  return keys.map((k, i) => ({ key: sortKey(k), dir: parsedDirs[parsedDirs.length === 1 ? 0 : i] ?? "desc" }));
}

/**
 * A comparator for `specs`, nulls first on ascending keys as SQL databases order them, with the
 * id as the last key so pages are stable. Pure.
 */
export function compareBy(specs: readonly SortSpec[]): (a: Image, b: Image) => number {
  const last = specs.at(-1)?.dir ?? "desc";
  const keys = specs.some((s) => s.key === "id") ? specs : [...specs, { key: "id" as const, dir: last }];
  return (a, b) => {
    for (const { key, dir } of keys) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      const order = x === null ? -1 : y === null ? 1 : x < y ? -1 : 1;
      return dir === "asc" ? order : -order;
    }
    return 0;
  };
}
