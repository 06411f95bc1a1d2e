/**
 * Endpoint URL substitutions as Keystone applies them: `$(name)s` for a closed list of names.
 * A URL naming anything else is refused when the endpoint is written, and an endpoint whose URL
 * needs a project id is left out of a catalog that has none (a domain- or system-scoped token).
 */

/** The names Keystone lets an endpoint URL substitute. */
export const URL_SUBSTITUTIONS = [
  "tenant_id",
  "project_id",
  "user_id",
  "public_bind_host",
  "admin_bind_host",
  "compute_host",
  "admin_port",
  "public_port",
  "public_endpoint",
] as const;

const PLACEHOLDER = /\$\(([^)]*)\)(.)?/g;

/** True when every `$(name)s` in `url` is well formed and names an allowed substitution. */
export function isValidEndpointUrl(url: string): boolean {
  for (const m of url.matchAll(PLACEHOLDER)) {
    if (m[2] !== "s" || !(URL_SUBSTITUTIONS as readonly string[]).includes(m[1] ?? "")) return false;
  }
  return true;
}

/**
 * `url` with its substitutions filled from `values`; null when it names a value that is absent
 * (the endpoint is then left out of the catalog), as Keystone's format_url does for project ids.
 */
export function formatEndpointUrl(url: string, values: Readonly<Record<string, string | undefined>>): string | null {
  if (!url.includes("$(")) return url;
  let missing = false;
  const out = url.replace(PLACEHOLDER, (_all, name: string, conversion: string | undefined) => {
    const value = conversion === "s" ? values[name] : undefined;
    if (value === undefined) missing = true;
    return value ?? "";
  });
  return missing ? null : out;
}
