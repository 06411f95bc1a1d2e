/**
 * ComputeCapabilitiesFilter: every flavor extra spec scoped `capabilities:` (or unscoped, without
 * any `:`) must match the host's capability at that path (`capabilities:cpu_info:arch` walks
 * nested objects). Capabilities are looked up in `HostState.capabilities`, then among the host
 * state's own fields (`capabilities:hypervisor_type` or `hypervisorType`).
 */

import { matchExtraSpec } from "../extra-specs-ops.js";
import type { HostState } from "../host-state.js";
import { fail, type HostFilter, PASS } from "../plugin.js";

const SCOPE = "capabilities";

function camel(snake: string): string {
  return snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

function lookup(host: HostState, path: readonly string[]): unknown {
  const [first, ...rest] = path;
  if (first === undefined) return undefined;
  const fields = host as unknown as Readonly<Record<string, unknown>>;
  let current: unknown = host.capabilities[first] ?? (first === "capabilities" ? undefined : fields[camel(first)]);
  for (const part of rest) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Readonly<Record<string, unknown>>)[part];
  }
  return current;
}

/** Nova's ComputeCapabilitiesFilter. */
export const computeCapabilitiesFilter: HostFilter = {
  name: "ComputeCapabilitiesFilter",
  filter(host, spec) {
    for (const [fullKey, requirement] of Object.entries(spec.flavor.extraSpecs)) {
      const parts = fullKey.split(":");
      if (parts.length > 1) {
        if (parts[0] !== SCOPE) continue;
        parts.shift();
      }
      const value = lookup(host, parts);
      if (value === undefined || value === null || typeof value === "object") {
        return fail(`host has no capability '${parts.join(":")}'`);
      }
      if (!matchExtraSpec(String(value), requirement)) {
        return fail(`capability '${parts.join(":")}' is '${String(value)}', which does not match '${requirement}'`);
      }
    }
    return PASS;
  },
};
