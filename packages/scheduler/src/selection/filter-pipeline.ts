/**
 * Runs filters in order over the hosts and keeps a trace: for each step, how many hosts entered
 * and which it removed, with their reasons. `ignore_hosts` and `force_hosts` run first as steps
 * of their own; forced hosts skip the filters, as in Nova.
 */
import type { HostState } from "./host-state.js";
import type { HostFilter } from "./plugin.js";
import type { RequestSpec } from "./request-spec.js";

/** A host a filter removed, and why. */
export interface RemovedHost {
  /** The host name. */
  readonly host: string;
  /** The node name. */
  readonly nodename: string;
  /** The filter's reason. */
  readonly reason: string;
}

/** One step of the trace. */
export interface FilterTraceEntry {
  /** Filter name (or `ignore_hosts` / `force_hosts`). */
  readonly filter: string;
  /** Hosts that entered this step. */
  readonly hostsIn: number;
  /** Hosts this step removed, in input order. */
  readonly removed: readonly RemovedHost[];
}

/** Hosts that passed every step, and the trace. */
export interface FilterOutcome {
  /** Surviving hosts, in input order. */
  readonly hosts: readonly HostState[];
  /** One entry per step run, in order; steps after the hosts ran out are not run. */
  readonly trace: readonly FilterTraceEntry[];
}

/**
 * Builds a trace entry whose `removed` list is materialized on first read: selection over many
 * hosts keeps only the removed hosts and their reasons, no object per host until asked.
 */
function entry(
  filter: string,
  hostsIn: number,
  hosts: readonly HostState[],
  reasons: readonly string[],
): FilterTraceEntry {
  let removed: RemovedHost[] | undefined;
  const out = { filter, hostsIn } as FilterTraceEntry;
  Object.defineProperty(out, "removed", {
    enumerable: true,
    get: () => {
      removed ??= hosts.map((h, i) => ({ host: h.host, nodename: h.nodename, reason: reasons[i]! }));
      return removed;
    },
  });
  return out;
}

function step(
  name: string,
  hosts: readonly HostState[],
  keep: (host: HostState) => string | undefined,
  trace: FilterTraceEntry[],
): HostState[] {
  const out: HostState[] = [];
  const removedHosts: HostState[] = [];
  const reasons: string[] = [];
  for (const host of hosts) {
    const reason = keep(host);
    if (reason === undefined) out.push(host);
    else {
      removedHosts.push(host);
      reasons.push(reason);
    }
  }
  trace.push(entry(name, hosts.length, removedHosts, reasons));
  return out;
}

/** Applies ignore/force hosts, then `filters` in order. Pure. */
export function runFilters(
  hosts: readonly HostState[],
  spec: RequestSpec,
  filters: readonly HostFilter[],
): FilterOutcome {
  const trace: FilterTraceEntry[] = [];
  let current: readonly HostState[] = hosts;
  if (spec.ignoreHosts.length > 0) {
    const ignored = new Set(spec.ignoreHosts);
    current = step(
      "ignore_hosts",
      current,
      (h) => (ignored.has(h.host) ? "host is in ignore_hosts" : undefined),
      trace,
    );
  }
  if (spec.forceHosts.length > 0) {
    const forced = new Set(spec.forceHosts);
    current = step(
      "force_hosts",
      current,
      (h) => (forced.has(h.host) ? undefined : "host is not in force_hosts"),
      trace,
    );
    return { hosts: current, trace };
  }
  for (const filter of filters) {
    if (current.length === 0) break;
    // The hot loop of selection: no closure per host, one array out.
    const out: HostState[] = [];
    const removedHosts: HostState[] = [];
    const reasons: string[] = [];
    for (const host of current) {
      const result = filter.filter(host, spec);
      if (result.ok) out.push(host);
      else {
        removedHosts.push(host);
        reasons.push(result.reason);
      }
    }
    trace.push(entry(filter.name, current.length, removedHosts, reasons));
    current = out;
  }
  return { hosts: current, trace };
}

/** One line per step that removed hosts, e.g. `ComputeFilter removed 2 of 5 (h1: compute service is down, ...)`. */
export function describeTrace(trace: readonly FilterTraceEntry[], maxHostsPerStep = 3): string {
  return trace
    .filter((e) => e.removed.length > 0)
    .map((e) => {
      const shown = e.removed.slice(0, maxHostsPerStep).map((r) => `${r.host}: ${r.reason}`);
      const more = e.removed.length > maxHostsPerStep ? `, and ${e.removed.length - maxHostsPerStep} more` : "";
      return `${e.filter} removed ${e.removed.length} of ${e.hostsIn} (${shown.join("; ")}${more})`;
    })
    .join("; ");
}
