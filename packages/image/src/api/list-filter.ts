/**
 * `GET /v2/images` query parameters as an ImageFilter, as Glance reads them: base attributes
 * compared exactly, `name`/`id` with `in:"a",b`, `size_min`/`size_max`, every `tag` required,
 * `created_at`/`updated_at` with `gt:`/`gte:`/`lt:`/`lte:`/`eq:`/`neq:`, `member_status`, and any
 * other key a free-form property compared exactly.
 */
import { badRequest } from "@stratus/core/errors";
import {
  IMAGE_STATUSES,
  type ImageStatus,
  MEMBER_STATUSES,
  type MemberStatus,
  VISIBILITIES,
  type Visibility,
} from "./model.js";
import type { ImageFilter, TimeComparison } from "./repository.js";

type Query = Readonly<Record<string, string | string[] | undefined>>;

/** Parameters that are not filters. */
const NOT_FILTERS = new Set(["limit", "marker", "sort", "sort_key", "sort_dir", "member_status", "tag"]);
/** Base attributes Glance compares exactly (the rest of the names below are handled one by one). */
const EXACT = {
  disk_format: "diskFormat",
  container_format: "containerFormat",
  owner: "owner",
  checksum: "checksum",
  os_hash_value: "osHashValue",
} as const;
const TIME_OPS = ["eq", "neq", "gt", "gte", "lt", "lte"] as const;

const one = (q: Query, key: string): string | undefined => {
  const v = q[key];
  return Array.isArray(v) ? v.at(-1) : v;
};

/** Glance's `split_filter_value_for_quotes`: `a,"b,c",d` -> [a, "b,c", d]. */
export function splitInValues(value: string): string[] {
  if ((value.match(/(?<!\\)"/g) ?? []).length % 2 !== 0)
    throw badRequest(`Invalid filter value ${value}. The quote is not closed.`);
  const values: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)",?|([^,]+),?|,/g;
  for (const m of value.matchAll(re)) values.push((m[1] ?? m[2] ?? "").replaceAll('\\"', '"'));
  return values;
}

/** `in:a,b` -> the list; a plain value -> [value]. */
function inOrEqual(raw: string): string[] {
  return raw.startsWith("in:") ? splitInValues(raw.slice(3)) : [raw];
}

function bool(key: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  const v = raw.toLowerCase();
  if (v !== "true" && v !== "false")
    throw badRequest(`Invalid value '${raw}' for '${key}' filter. Valid values are 'true' or 'false'.`);
  return v === "true";
}

function integer(key: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value for ${key}: ${raw}. It must be a non-negative integer.`);
  return Number(raw);
}

/** `gt:2026-01-01T00:00:00Z` (or a bare instant, meaning eq) as a comparison. */
function timeComparison(key: string, raw: string): TimeComparison {
  const colon = raw.indexOf(":");
  const head = colon < 0 ? "" : raw.slice(0, colon);
  const [op, value] = (TIME_OPS as readonly string[]).includes(head) ? [head, raw.slice(colon + 1)] : ["eq", raw];
  if (colon >= 0 && head.length > 0 && !/^\d/.test(head) && !(TIME_OPS as readonly string[]).includes(head))
    throw badRequest("Unable to filter on a unknown operator.");
  const at = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(at))
    throw badRequest(`Unable to filter on a range with a non-numeric value: ${key}=${raw}`);
  return { op: op as TimeComparison["op"], at: new Date(at).toISOString() };
}

/** The filter a list request asks for, limited to what `project` may see unless `admin`. */
export function listFilter(query: Query, admin: boolean, project: string | null): ImageFilter {
  if (query["changes-since"] !== undefined)
    throw badRequest('The "changes-since" filter is no longer available on v2.');
  const status = one(query, "status");
  if (status !== undefined && !(IMAGE_STATUSES as readonly string[]).includes(status))
    throw badRequest(`Invalid status value: ${status}`);
  const visibility = one(query, "visibility");
  if (visibility !== undefined && visibility !== "all" && !(VISIBILITIES as readonly string[]).includes(visibility))
    throw badRequest(`Invalid visibility value: ${visibility}`);
  const memberStatus = one(query, "member_status");
  if (
    memberStatus !== undefined &&
    memberStatus !== "all" &&
    !(MEMBER_STATUSES as readonly string[]).includes(memberStatus)
  )
    throw badRequest(`Invalid status: ${memberStatus}`);
  const filter: Record<string, unknown> = { osHidden: bool("os_hidden", one(query, "os_hidden")) === true };
  if (status !== undefined) filter["status"] = status as ImageStatus;
  if (visibility !== undefined && visibility !== "all") filter["visibility"] = visibility as Visibility;
  if (memberStatus !== undefined) filter["memberStatus"] = memberStatus as MemberStatus | "all";
  if (!admin) filter["visibleTo"] = project;
  const properties: Record<string, string> = {};
  for (const key of Object.keys(query)) {
    const raw = one(query, key);
    if (raw === undefined || NOT_FILTERS.has(key) || ["status", "visibility", "os_hidden"].includes(key)) continue;
    if (key === "name") {
      const names = inOrEqual(raw);
      if (names.length === 1) filter["name"] = names[0];
      else filter["names"] = names;
    } else if (key === "id") filter["ids"] = inOrEqual(raw);
    else if (key in EXACT) filter[EXACT[key as keyof typeof EXACT]] = raw;
    else if (key === "protected") filter["protected"] = bool(key, raw);
    else if (key === "size" || key === "min_disk" || key === "min_ram")
      filter[key === "size" ? "size" : key === "min_disk" ? "minDisk" : "minRam"] = integer(key, raw);
    else if (key === "size_min") filter["sizeMin"] = integer(key, raw);
    else if (key === "size_max") filter["sizeMax"] = integer(key, raw);
    else if (key === "created_at" || key === "updated_at")
      filter[key === "created_at" ? "createdAt" : "updatedAt"] = timeComparison(key, raw);
    else properties[key] = raw;
  }
  const sizeMin = filter["sizeMin"] as number | undefined;
  const sizeMax = filter["sizeMax"] as number | undefined;
  if (sizeMin !== undefined && sizeMax !== undefined && sizeMax < sizeMin)
    throw badRequest("size_max is not allowed to be less than size_min");
  const tags = [query["tag"] ?? []].flat().map((t) => t.trim());
  if (tags.length > 0) filter["tags"] = tags;
  if (Object.keys(properties).length > 0) filter["properties"] = properties;
  return filter as ImageFilter;
}
