/**
 * Keystone's list filters from a query string (server/flask/common.py build_driver_hints):
 * exact `name`/`domain_id`/`enabled`, inexact `name__contains` & co., and
 * `password_expires_at=<op>:<timestamp>` (identity/core.py _translate_expired_password_hints).
 */
import { badRequest } from "@stratus/core/errors";
import type { NameMatch, TimeComparator, UserFilter } from "../../identity-users/domain/user.js";

type Query = Readonly<Record<string, unknown>>;

const first = (query: Query, key: string): string | undefined => {
  const raw = query[key];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value === undefined ? undefined : String(value);
};

const FALSE = new Set(["0", "f", "false", "off", "n", "no"]);

/** oslo's bool_from_string(default=True), as Keystone reads `?enabled=`. */
export const queryBoolean = (value: string): boolean => !FALSE.has(value.trim().toLowerCase());

const INEXACT = ["contains", "icontains", "startswith", "istartswith", "endswith", "iendswith"] as const;

/** The name filter of a query: exact `name=`, or the first of `name__contains` & co. */
export function nameMatchOf(query: Query): NameMatch | undefined {
  const exact = first(query, "name");
  if (exact !== undefined) return { kind: "exact", value: exact };
  for (const op of INEXACT) {
    const value = first(query, `name__${op}`);
    if (value === undefined) continue;
    const caseSensitive = !op.startsWith("i");
    const kind = (caseSensitive ? op : op.slice(1)) as "contains" | "startswith" | "endswith";
    return { kind, value, caseSensitive };
  }
  return undefined;
}

const OPS = new Set<TimeComparator>(["lt", "lte", "gt", "gte", "eq", "neq"]);

/** `password_expires_at=lt:2026-01-01T00:00:00Z` (op defaults to eq); 400s with Keystone's messages. */
export function passwordExpiryFilter(value: string): { op: TimeComparator; at: Date } {
  let op = "eq";
  let stamp = value;
  if (value.slice(2, 4).includes(":")) {
    const colon = value.indexOf(":");
    op = value.slice(0, colon);
    stamp = value.slice(colon + 1);
  }
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(stamp) ? stamp : `${stamp}Z`;
  const at = new Date(zoned);
  if (!/^\d{4}-\d\d-\d\d/.test(stamp) || Number.isNaN(at.getTime())) {
    throw badRequest(
      "Timestamp not in expected format. The server could not comply with the request since it is either " +
        "malformed or otherwise incorrect. The client is assumed to be in error.",
    );
  }
  if (!OPS.has(op as TimeComparator)) {
    throw badRequest(
      `The given operator ${op} is not valid. It must be one of the following: 'eq', 'neq', 'lt', 'lte', 'gt', or 'gte'.`,
    );
  }
  return { op: op as TimeComparator, at };
}

/** The user filter of `GET /v3/users` or `/v3/groups/{id}/users`. */
export function userFilterOf(query: Query): UserFilter {
  const domainId = first(query, "domain_id");
  const enabled = first(query, "enabled");
  const name = nameMatchOf(query);
  const expiry = first(query, "password_expires_at");
  return {
    ...(domainId === undefined ? {} : { domainId }),
    ...(enabled === undefined ? {} : { enabled: queryBoolean(enabled) }),
    ...(name === undefined ? {} : { name }),
    ...(expiry === undefined ? {} : { passwordExpiresAt: passwordExpiryFilter(expiry) }),
  };
}

/** A single string query parameter, if present. */
export const queryString = first;
