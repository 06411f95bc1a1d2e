/**
 * limit/marker pagination and the "next page" links each service writes:
 * Nova `servers_links: [{rel: "next", href}]`, Neutron `networks_links` (next and previous),
 * Keystone `links: {self, previous, next}`, Glance a relative `next`.
 */
import { z } from "zod";
import { badRequest } from "../errors/index.js";

/** The query fields of a paginated list; compose into a route's `querystring` schema. */
export const PaginationQuerySchema = z.object({
  limit: z.coerce.number().int().min(0).optional(),
  marker: z.string().min(1).optional(),
  sort_key: z.union([z.string(), z.array(z.string())]).optional(),
  sort_dir: z.union([z.enum(["asc", "desc"]), z.array(z.enum(["asc", "desc"]))]).optional(),
});

export interface PageRequest {
  /** How many items to return: the asked limit capped at `maxLimit`, or `maxLimit` when none was asked. */
  readonly limit: number;
  /** The id of the last item of the previous page, or null for the first page. */
  readonly marker: string | null;
  /** Sort keys in order (may be empty). */
  readonly sortKeys: readonly string[];
  /** One direction per sort key, `asc` where not given. */
  readonly sortDirs: readonly ("asc" | "desc")[];
}

type Query = Readonly<Record<string, unknown>>;
const list = (v: unknown): string[] => (v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)]);

/**
 * Reads limit, marker, sort_key and sort_dir from a raw query. Throws `bad_request` for a limit
 * that is not a non-negative integer, an empty marker, a sort_dir other than asc/desc, or more
 * sort_dirs than sort_keys. Pure.
 */
export function pageRequest(query: Query, options: { readonly maxLimit?: number } = {}): PageRequest {
  const maxLimit = options.maxLimit ?? 1000;
  const rawLimit = list(query["limit"])[0];
  let limit = maxLimit;
  if (rawLimit !== undefined) {
    if (!/^\d+$/.test(rawLimit))
      throw badRequest(`Invalid input for query parameters limit. Value: ${rawLimit}. Must be a non-negative integer.`);
    limit = Math.min(Number(rawLimit), maxLimit);
  }
  const marker = list(query["marker"])[0] ?? null;
  if (marker === "") throw badRequest("Invalid input for query parameters marker. Value: . Must not be empty.");
  const sortKeys = list(query["sort_key"]);
  const dirs = list(query["sort_dir"]);
  for (const d of dirs)
    if (d !== "asc" && d !== "desc") throw badRequest(`Invalid sort direction: ${d}. Must be 'asc' or 'desc'.`);
  if (dirs.length > Math.max(sortKeys.length, 1))
    throw badRequest("The number of sort_keys and sort_dirs must be same.");
  const sortDirs = (sortKeys.length === 0 ? dirs : sortKeys.map((_, i) => dirs[i] ?? "asc")) as ("asc" | "desc")[];
  return { limit, marker, sortKeys, sortDirs };
}

/** A query string with `marker` replaced (and other parameters kept, repeated ones repeated). */
export function queryWith(query: Query, changes: Readonly<Record<string, string | undefined>>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key in changes) continue;
    for (const v of list(value)) params.append(key, v);
  }
  for (const [key, value] of Object.entries(changes)) if (value !== undefined) params.append(key, value);
  return params.toString();
}

/** The page a list handler produced, and where it lives. */
export interface PageOf<T> {
  /** The items returned on this page. */
  readonly items: readonly T[];
  /** The limit used to fetch them. */
  readonly limit: number;
  /** The request's query (to carry filters into the links). */
  readonly query: Query;
  /** The public URL of the collection without query, e.g. `http://h:8774/v2.1/servers`. */
  readonly collectionUrl: string;
  /** The marker of an item (its id). */
  readonly markerOf: (item: T) => string;
}

/** True when a page is full, so a next page may exist (how Nova, Neutron and Glance decide). */
export function isFullPage(page: { readonly items: readonly unknown[]; readonly limit: number }): boolean {
  return page.items.length > 0 && page.items.length === page.limit;
}

function nextHref<T>(page: PageOf<T>): string | null {
  const last = page.items.at(-1);
  if (!isFullPage(page) || last === undefined) return null;
  return `${page.collectionUrl}?${queryWith(page.query, { marker: page.markerOf(last) })}`;
}

/** Nova/Cinder: `{ "<collection>_links": [{rel: "next", href}] }` on a full page, `{}` otherwise. */
export function novaPageLinks<T>(
  collection: string,
  page: PageOf<T>,
): Record<string, Array<{ rel: "next"; href: string }>> {
  const href = nextHref(page);
  return href === null ? {} : { [`${collection}_links`]: [{ rel: "next", href }] };
}

/** Neutron: `{ "<collection>_links": [...] }` with `next` on a full page and `previous` after a marker. */
export function neutronPageLinks<T>(
  collection: string,
  page: PageOf<T>,
): Record<string, Array<{ rel: "next" | "previous"; href: string }>> {
  const links: Array<{ rel: "next" | "previous"; href: string }> = [];
  const next = nextHref(page);
  if (next !== null) links.push({ rel: "next", href: next });
  const first = page.items[0];
  if (page.query["marker"] !== undefined && first !== undefined) {
    const q = queryWith(page.query, { marker: page.markerOf(first), page_reverse: "True" });
    links.push({ rel: "previous", href: `${page.collectionUrl}?${q}` });
  }
  return links.length === 0 ? {} : { [`${collection}_links`]: links };
}

/** Keystone: `links: {self, previous: null, next: null}` (Keystone lists are not paged). */
export function keystoneLinks(selfUrl: string): { links: { self: string; previous: null; next: null } } {
  return { links: { self: selfUrl, previous: null, next: null } };
}

/** Glance: a `next` path relative to the host (`/v2/images?marker=...&limit=...`) on a full page. */
export function glanceNext<T>(path: string, page: Omit<PageOf<T>, "collectionUrl">): { next?: string } {
  const href = nextHref({ ...page, collectionUrl: path });
  return href === null ? {} : { next: href };
}
