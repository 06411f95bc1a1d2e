/**
 * Neutron's generic list handling: filters on any attribute (a repeated key is an OR), tag filters,
 * `fields` projection, `sort_key`/`sort_dir` pairs, `limit`/`marker`/`page_reverse` pagination.
 * Unknown filters and sort keys are refused (filter-validation). Pure.
 */
import { queryWith } from "@stratus/core/http";
import { badResourceRequest, httpBadRequest } from "../domain/faults.js";

type Query = Readonly<Record<string, string | string[] | undefined>>;
type Row = Readonly<Record<string, unknown>>;

const CONTROL_KEYS = new Set(["fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse"]);
const TAG_KEYS = new Set(["tags", "tags-any", "not-tags", "not-tags-any"]);

/** Python's repr of a list of strings, as Neutron's messages print them. */
const pyList = (items: readonly string[]): string => `[${items.map((i) => `'${i}'`).join(", ")}]`;

const values = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export interface ListRequest {
  readonly filters: ReadonlyMap<string, readonly string[]>;
  readonly tags: Readonly<Record<string, readonly string[]>>;
  readonly fields: readonly string[];
  readonly sort: readonly (readonly [string, "asc" | "desc"])[];
  readonly limit: number | null;
  readonly marker: string | null;
  readonly pageReverse: boolean;
}

/**
 * Reads a list query for a resource with `attributes`. Throws 400 HTTPBadRequest for an unknown
 * filter or sort key, a bad limit, or unpaired sort directions.
 */
export function listRequest(query: Query, attributes: readonly string[], tagged: boolean): ListRequest {
  const filters = new Map<string, string[]>();
  const tags: Record<string, string[]> = {};
  for (const [key, raw] of Object.entries(query)) {
    if (CONTROL_KEYS.has(key)) continue;
    if (TAG_KEYS.has(key) && tagged) {
      tags[key] = values(raw).flatMap((v) => v.split(",").filter((t) => t !== ""));
      continue;
    }
    if (!attributes.includes(key)) throw httpBadRequest(`${key} is invalid attribute for filtering`);
    filters.set(key, values(raw));
  }
  const sortKeys = values(query["sort_key"]).filter((k) => k !== "");
  const sortDirs = values(query["sort_dir"]).filter((d) => d !== "");
  if (sortKeys.length !== sortDirs.length) throw httpBadRequest("The number of sort_keys and sort_dirs must be same");
  const absent = sortKeys.filter((k) => !attributes.includes(k));
  if (absent.length > 0) throw httpBadRequest(`${pyList(absent)} is invalid attribute for sort_keys`);
  const badDirs = sortDirs.filter((d) => d !== "asc" && d !== "desc");
  if (badDirs.length > 0)
    throw httpBadRequest(`${pyList(badDirs)} is invalid value for sort_dirs, valid value is 'asc' and 'desc'`);
  const rawLimit = values(query["limit"])[0] ?? "0";
  if (!/^\+?\d+$/.test(rawLimit.trim()))
    throw badResourceRequest("limit", `Limit must be an integer 0 or greater and not '${rawLimit}'`);
  const limit = Number(rawLimit.trim());
  return {
    filters,
    tags,
    fields: values(query["fields"]).flatMap((f) => f.split(",")),
    sort: sortKeys.map((k, i) => [k, sortDirs[i] === "desc" ? "desc" : "asc"] as const),
    // Neutron treats limit=0 as "no limit"
    limit: limit === 0 ? null : limit,
    marker: values(query["marker"])[0] || null,
    pageReverse: (values(query["page_reverse"])[0] ?? "").toLowerCase() === "true",
  };
}

function scalarMatches(value: unknown, wanted: string): boolean {
  if (value === null || value === undefined) return wanted === "" || wanted.toLowerCase() === "none";
  if (typeof value === "boolean") {
    const w = wanted.toLowerCase();
    const asBool = w === "true" || w === "1" ? true : w === "false" || w === "0" ? false : undefined;
    return asBool === value;
  }
  return String(value) === wanted;
}

function matchesOne(value: unknown, wanted: string): boolean {
  if (!Array.isArray(value)) return scalarMatches(value, wanted);
  return value.some((item) => {
    if (item !== null && typeof item === "object") {
      // fixed_ips=ip_address=10.0.0.3 / fixed_ips=subnet_id=...
      const eq = wanted.indexOf("=");
      if (eq < 0) return false;
      const sub = (item as Row)[wanted.slice(0, eq)];
      return sub !== undefined && String(sub) === wanted.slice(eq + 1);
    }
    return scalarMatches(item, wanted);
  });
}

function tagsMatch(tags: readonly string[], f: ListRequest["tags"]): boolean {
  const all = f["tags"];
  const any = f["tags-any"];
  const notAll = f["not-tags"];
  const notAny = f["not-tags-any"];
  if (all !== undefined && !all.every((t) => tags.includes(t))) return false;
  if (any !== undefined && any.length > 0 && !any.some((t) => tags.includes(t))) return false;
  if (notAll !== undefined && notAll.length > 0 && notAll.every((t) => tags.includes(t))) return false;
  if (notAny?.some((t) => tags.includes(t))) return false;
  return true;
}

/** Whether a rendered resource passes every filter (each key: any of its values). */
export function matchesFilters(row: Row, req: ListRequest): boolean {
  for (const [key, wanted] of req.filters) if (!wanted.some((w) => matchesOne(row[key], w))) return false;
  return tagsMatch(Array.isArray(row["tags"]) ? (row["tags"] as string[]) : [], req.tags);
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "boolean" && typeof b === "boolean") return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Keeps only `fields` of a row (all of it when none are asked). */
export function project(row: Row, fields: readonly string[]): Record<string, unknown> {
  if (fields.length === 0) return { ...row };
  return Object.fromEntries(fields.filter((f) => Object.hasOwn(row, f)).map((f) => [f, row[f]]));
}

export interface ListPage {
  /** The rows of this page, projected. */
  readonly rows: Record<string, unknown>[];
  /** `<collection>_links` when paginated. */
  readonly links: Record<string, unknown>;
}

/**
 * Filters, sorts (by the sort keys then id), pages and projects `rows`. `notFound(marker)` is thrown
 * when the marker names no row of the (filtered) list.
 */
export function listPage(
  rows: readonly Row[],
  req: ListRequest,
  page: { collection: string; collectionUrl: string; query: Query; markerNotFound: (id: string) => Error },
): ListPage {
  const keys: (readonly [string, "asc" | "desc"])[] = [...req.sort];
  if (!keys.some(([k]) => k === "id")) keys.push(["id", keys[0]?.[1] ?? "asc"]);
  const sorted = rows
    .filter((r) => matchesFilters(r, req))
    .sort((a, b) => {
      for (const [k, dir] of keys) {
        const c = compare(a[k], b[k]);
        if (c !== 0) return dir === "asc" ? c : -c;
      }
      return 0;
    });
  let items = sorted;
  if (req.marker !== null) {
    const at = sorted.findIndex((r) => r["id"] === req.marker);
    if (at < 0) throw page.markerNotFound(req.marker);
    items = req.pageReverse ? sorted.slice(0, at) : sorted.slice(at + 1);
  }
  if (req.limit !== null) items = req.pageReverse ? items.slice(-req.limit) : items.slice(0, req.limit);
  const links = req.limit === null ? {} : pageLinks(items, req.limit, req.pageReverse, page);
  return { rows: items.map((r) => project(r, req.fields)), links };
}

/**
 * Neutron's `<collection>_links` (api_common.get_pagination_links): `next` unless a forward page
 * came back short, `previous` unless a reverse page came back short.
 */
function pageLinks(
  items: readonly Row[],
  limit: number,
  reverse: boolean,
  page: { collection: string; collectionUrl: string; query: Query },
): Record<string, Array<{ rel: "next" | "previous"; href: string }>> {
  const links: Array<{ rel: "next" | "previous"; href: string }> = [];
  const idOf = (r: Row | undefined) => (r === undefined ? undefined : String(r["id"]));
  const short = items.length < limit;
  if (!(short && !reverse))
    links.push({
      rel: "next",
      href: `${page.collectionUrl}?${queryWith(page.query, { marker: idOf(items.at(-1)), page_reverse: undefined })}`,
    });
  if (!(short && reverse))
    links.push({
      rel: "previous",
      href: `${page.collectionUrl}?${queryWith(page.query, { marker: idOf(items[0]), page_reverse: "True" })}`,
    });
  return { [`${page.collection}_links`]: links };
}
