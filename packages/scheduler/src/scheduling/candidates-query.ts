/**
 * The allocation candidates query for a RequestSpec, as Nova's `resources_from_request_spec`
 * builds it: VCPU, MEMORY_MB and DISK_GB from the flavor, overridden or extended by
 * `resources[N]:CLASS=amount` extra specs, required and forbidden traits from
 * `trait[N]:NAME=required|forbidden`, and `limit` (Nova's `max_placement_results`). A flavor with
 * `hw:cpu_policy=dedicated` asks for PCPU instead of VCPU (Nova since Train), and
 * `hw:cpu_thread_policy=isolate|require` forbids or requires `HW_CPU_HYPERTHREADING`.
 */
import { badRequest } from "@stratus/core/errors";
import type { RequestSpec } from "../selection/request-spec.js";

const RESOURCE_KEY = /^resources([A-Za-z0-9_-]*):([A-Z0-9_]+)$/;
const TRAIT_KEY = /^trait([A-Za-z0-9_-]*):([A-Z0-9_]+)$/;

interface Group {
  readonly resources: Map<string, number>;
  readonly traits: string[];
}

/**
 * Returns the query as a record of parameters (`resources`, `required`, granular
 * `resourcesN`/`requiredN`, `group_policy`, `limit`). Throws bad_request for an amount or a
 * trait value Nova would refuse. Pure.
 */
export function candidatesQueryFor(spec: RequestSpec, limit = 1000): Record<string, string> {
  const groups = new Map<string, Group>();
  const group = (suffix: string): Group => {
    let g = groups.get(suffix);
    if (g === undefined) {
      g = { resources: new Map(), traits: [] };
      groups.set(suffix, g);
    }
    return g;
  };
  const f = spec.flavor;
  const base = group("");
  const dedicated = spec.numaTopology?.dedicatedCpus === true;
  base.resources.set(dedicated ? "PCPU" : "VCPU", f.vcpus);
  if (dedicated) {
    const threads = f.extraSpecs["hw:cpu_thread_policy"];
    if (threads === "isolate") base.traits.push("!HW_CPU_HYPERTHREADING");
    if (threads === "require") base.traits.push("HW_CPU_HYPERTHREADING");
  }
  base.resources.set("MEMORY_MB", f.memoryMb);
  // Volume-backed boots (no image id) keep the root disk off the host, as Nova's is_bfv.
  const rootGb = spec.image.id === undefined ? 0 : f.rootGb;
  base.resources.set("DISK_GB", rootGb + f.ephemeralGb + Math.ceil(f.swapMb / 1024));
  for (const [key, value] of Object.entries(f.extraSpecs)) {
    const r = RESOURCE_KEY.exec(key);
    if (r !== null) {
      const amount = Number(value);
      if (!Number.isInteger(amount) || amount < 0) throw badRequest(`Invalid amount in extra spec ${key}=${value}.`);
      group(r[1] ?? "").resources.set(r[2]!, amount);
      continue;
    }
    const t = TRAIT_KEY.exec(key);
    if (t !== null) {
      if (value !== "required" && value !== "forbidden") {
        throw badRequest(`Extra spec ${key} must be 'required' or 'forbidden', not '${value}'.`);
      }
      group(t[1] ?? "").traits.push(value === "required" ? t[2]! : `!${t[2]!}`);
    }
  }
  const query: Record<string, string> = {};
  for (const [suffix, g] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
    const amounts = [...g.resources].filter(([, n]) => n > 0).map(([rc, n]) => `${rc}:${n}`);
    if (amounts.length > 0) query[`resources${suffix}`] = amounts.join(",");
    if (g.traits.length > 0) query[`required${suffix}`] = [...g.traits].sort().join(",");
  }
  const policy = f.extraSpecs["group_policy"];
  if (policy !== undefined) query["group_policy"] = policy;
  query["limit"] = String(limit);
  return query;
}
