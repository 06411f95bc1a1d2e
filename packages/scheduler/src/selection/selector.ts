/**
 * `createSelector`: filters, then weighers, then the chosen host per instance with alternates
 * from the same cell, as Nova's FilterScheduler. Options are validated once by zod.
 */
import { noValidHost } from "@stratus/core/errors";
import { z } from "zod";
import { consumeFromRequest } from "./consume.js";
import { describeTrace, type FilterTraceEntry, runFilters } from "./filter-pipeline.js";
import { numaFitFor } from "./filters/numa-pci.js";
import type { HostState } from "./host-state.js";
import { fitPciRequests, type PciAssignment } from "./pci-fit.js";
import type { Registry } from "./registry.js";
import { createDefaultRegistry, DEFAULT_FILTERS, DEFAULT_WEIGHER_MULTIPLIERS } from "./registry-defaults.js";
import type { RequestSpec } from "./request-spec.js";
import { topIndices, type WeigherWithMultiplier, weighHosts } from "./weighing.js";

const PluginRef = z.union([z.string(), z.object({ name: z.string(), options: z.unknown().optional() })]);

/** Selector options (zod schema; see `SelectorOptions`). */
export const SelectorOptionsSchema = z.object({
  filters: z.array(PluginRef).default([...DEFAULT_FILTERS]),
  weighers: z
    .array(
      z.union([
        z.string(),
        z.object({ name: z.string(), multiplier: z.number().finite().optional(), options: z.unknown().optional() }),
      ]),
    )
    .default(Object.keys(DEFAULT_WEIGHER_MULTIPLIERS)),
  hostSubsetSize: z.number().int().min(1).default(1),
  maxAttempts: z.number().int().min(1).default(3),
});

/** What `createSelector` takes. */
export type SelectorOptions = z.input<typeof SelectorOptionsSchema> & {
  /** Random source in [0, 1) for `hostSubsetSize` > 1; defaults to `Math.random`. */
  readonly random?: () => number;
  /** Where filter and weigher names are looked up; defaults to `createDefaultRegistry()`. */
  readonly registry?: Registry;
};

/** One instance's placement. */
export interface Selection {
  /** The chosen host (as it was before this instance consumed from it). */
  readonly host: HostState;
  /** Its total weight. */
  readonly weight: number;
  /** Up to `maxAttempts - 1` next-best hosts of the same cell, not chosen for other instances. */
  readonly alternates: readonly HostState[];
}

/** What `select` returns. */
export interface SelectionResult {
  /** The chosen host per instance, in instance order. */
  readonly hosts: readonly HostState[];
  /** Per instance: chosen host, weight and alternates. */
  readonly selections: readonly Selection[];
  /** Per instance, the filter trace. */
  readonly traces: readonly (readonly FilterTraceEntry[])[];
}

/** A configured selector. */
export interface Selector {
  /**
   * Places `spec.numInstances` instances on `hosts`. Pure apart from the random source; the
   * input hosts are not mutated. Throws `no_valid_host` with `details.trace` (and `instance`,
   * its index) when filters leave no host for some instance.
   */
  select(hosts: readonly HostState[], spec: RequestSpec): SelectionResult;
}

/** Builds a selector; throws a ZodError for bad options and `bad_request` for unknown names. */
export function createSelector(options: SelectorOptions = {}): Selector {
  const o = SelectorOptionsSchema.parse(options);
  const registry = options.registry ?? createDefaultRegistry();
  const random = options.random ?? Math.random;
  const filters = o.filters.map((f) =>
    typeof f === "string" ? registry.filter(f) : registry.filter(f.name, f.options),
  );
  const weighers: WeigherWithMultiplier[] = o.weighers.map((w) => {
    const ref = typeof w === "string" ? { name: w } : w;
    const weigher = registry.weigher(ref.name, "options" in ref ? ref.options : undefined);
    const multiplier = ("multiplier" in ref ? ref.multiplier : undefined) ?? DEFAULT_WEIGHER_MULTIPLIERS[ref.name] ?? 1;
    return { weigher, multiplier };
  });

  return {
    select(inputHosts, inputSpec) {
      let hosts: readonly HostState[] = inputHosts;
      let spec = inputSpec;
      const chosen: { host: HostState; weight: number; ranked: readonly HostState[]; weights: Float64Array }[] = [];
      const traces: (readonly FilterTraceEntry[])[] = [];
      const chosenNames = new Set<string>();
      for (let i = 0; i < spec.numInstances; i++) {
        const { hosts: passed, trace } = runFilters(hosts, spec, filters);
        traces.push(trace);
        if (passed.length === 0) {
          const why = describeTrace(trace);
          throw noValidHost(`No valid host was found. ${why === "" ? "There are no hosts." : why}`, {
            details: { trace, instance: i },
          });
        }
        const weights = weighHosts(passed, spec, weighers);
        const top = topIndices(passed, weights, Math.min(o.hostSubsetSize, passed.length));
        const pick = top[Math.min(top.length - 1, Math.floor(random() * top.length))]!;
        const host = passed[pick]!;
        chosen.push({ host, weight: weights[pick]!, ranked: passed, weights });
        chosenNames.add(`${host.host}\u0000${host.nodename}`);
        if (i + 1 < spec.numInstances) {
          const uuid = spec.instanceUuids[i] ?? `pending-instance-${i}`;
          ({ hosts, spec } = consumed(hosts, host, spec, uuid));
        }
      }
      // A few chosen hosts are compared by name directly; many go through a set of name keys.
      const wasChosen = (h: HostState): boolean => {
        if (chosen.length > 8) return chosenNames.has(`${h.host}\u0000${h.nodename}`);
        for (const c of chosen) if (c.host.host === h.host && c.host.nodename === h.nodename) return true;
        return false;
      };
      const selections = chosen.map(({ host, weight, ranked, weights }) => {
        const alt = topIndices(ranked, weights, o.maxAttempts - 1, (j) => {
          const h = ranked[j]!;
          return h.cell === host.cell && !wasChosen(h);
        });
        return { host, weight, alternates: alt.map((j) => ranked[j]!) };
      });
      return { hosts: selections.map((s) => s.host), selections, traces };
    },
  };
}

/** The host list and spec the next instance sees once `host` took one instance. */
function consumed(
  hosts: readonly HostState[],
  host: HostState,
  spec: RequestSpec,
  uuid: string,
): { hosts: HostState[]; spec: RequestSpec } {
  const fit = numaFitFor(host, spec);
  const pciTaken = new Map<number, number>();
  let assignment: PciAssignment | undefined;
  if (fit?.ok === true) assignment = fit.pci;
  else if (spec.pciRequests.length > 0) {
    const plain = fitPciRequests(host.pciPools, spec.pciRequests);
    if (plain.ok) assignment = plain.assignment;
  }
  for (const taken of assignment?.perRequest ?? []) {
    for (const { pool, count } of taken) pciTaken.set(pool, (pciTaken.get(pool) ?? 0) + count);
  }
  const next = consumeFromRequest(host, spec, uuid, fit, pciTaken);
  const group = spec.serverGroup;
  const nextSpec: RequestSpec =
    group === undefined
      ? spec
      : { ...spec, serverGroup: { ...group, hosts: [...group.hosts, host.host], members: [...group.members, uuid] } };
  return { hosts: hosts.map((h) => (h === host ? next : h)), spec: nextSpec };
}
