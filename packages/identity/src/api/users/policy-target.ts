/**
 * The policy dict Keystone's RBAC enforcer builds (keystone/common/rbac_enforcer/enforcer.py):
 * the URL's view args, `target` (the resource), `filter_attr` (the query filters), flattened to
 * dotted keys as oslo.policy sees them: `user_id`, `target.user.domain_id`, `filter_attr.name`.
 */

/** Flattens nested plain objects to dotted keys; arrays and scalars are leaves. */
export function flatten(value: Readonly<Record<string, unknown>>, prefix = ""): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (v !== null && typeof v === "object" && !Array.isArray(v) && !(v instanceof Date))
      Object.assign(out, flatten(v as Record<string, unknown>, name));
    else out[name] = v;
  }
  return out;
}

/** The flattened policy target of one call. */
export function policyTarget(parts: {
  readonly viewArgs?: Readonly<Record<string, string>>;
  readonly target?: Readonly<Record<string, unknown>>;
  readonly filters?: Readonly<Record<string, unknown>>;
}): Record<string, unknown> {
  const dict: Record<string, unknown> = { ...(parts.viewArgs ?? {}) };
  if (parts.target !== undefined) dict["target"] = parts.target;
  if (parts.filters !== undefined && Object.keys(parts.filters).length > 0) dict["filter_attr"] = parts.filters;
  return flatten(dict);
}

/** The supported filters present in a query (first value of each), for `filter_attr`. */
export function filterValues(
  query: Readonly<Record<string, unknown>>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const raw = query[name];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value !== undefined) out[name] = String(value);
  }
  return out;
}
