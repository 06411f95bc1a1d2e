/**
 * ComputeCapabilitiesFilter: every flavor extra spec scoped `capabilities:` (or unscoped, without
 * any `:`) must match the host's capability at that path (`capabilities:cpu_info:arch` walks
 * nested objects). Capabilities are looked up in `HostState.capabilities`, then among the host
 * state's own fields (`capabilities:hypervisor_type` or `hypervisorType`).
 */

import { compileExtraSpec, type ExtraSpecMatcher } from "../extra-specs-ops.js";
import type { HostState } from "../host-state.js";
import { fail, type HostFilter, PASS } from "../plugin.js";
import { perSpec } from "../spec-memo.js";

const SCOPE = "capabilities";

function camel(snake: string): string {
  return snake.includes("_") ? snake.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) : snake;
}

function lookup(host: HostState, path: readonly string[]): unknown {
  const first = path[0];
  if (first === undefined) return undefined;
  let current: unknown = host.capabilities[first];
  if (current === undefined && first !== "capabilities") {
    current = (host as unknown as Readonly<Record<string, unknown>>)[camel(first)];
  }
  for (let i = 1; i < path.length; i++) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Readonly<Record<string, unknown>>)[path[i]!];
  }
  return current;
}

interface Requirement {
  readonly path: readonly string[];
  readonly requirement: string;
  readonly match: ExtraSpecMatcher;
}

const requirements = perSpec((spec): readonly Requirement[] => {
  const out: Requirement[] = [];
  for (const [fullKey, requirement] of Object.entries(spec.flavor.extraSpecs)) {
    const parts = fullKey.split(":");
    if (parts.length > 1) {
      if (parts[0] !== SCOPE) continue;
      parts.shift();
    }
    out.push({ path: parts, requirement, match: compileExtraSpec(requirement) });
  }
  return out;
});

/** Nova's ComputeCapabilitiesFilter. */
export const computeCapabilitiesFilter: HostFilter = {
  name: "ComputeCapabilitiesFilter",
  filter(host, spec) {
    for (const { path, requirement, match } of requirements(spec)) {
      const value = lookup(host, path);
      if (value === undefined || value === null || typeof value === "object") {
        return fail(`host has no capability '${path.join(":")}'`);
      }
      const text = typeof value === "string" ? value : String(value);
      if (!match(text)) {
        return fail(`capability '${path.join(":")}' is '${text}', which does not match '${requirement}'`);
      }
    }
    return PASS;
  },
};
