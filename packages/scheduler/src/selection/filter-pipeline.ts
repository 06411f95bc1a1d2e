/**
 * Runs filters in order over the hosts and keeps a trace: for each step, how many hosts entered
 * and which it removed, with their reasons. `ignore_hosts` and `force_hosts` run first as steps
 * of their own; forced hosts skip the filters, as in Nova.
 */
import type { HostState } from "./host-state.js";
import type { FilterResult, HostFilter } from "./plugin.js";
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
 * hosts keeps only which step removed each host and its verdict, no object per host until asked.
 */
function entry(filter: string, hostsIn: number, materialize: () => RemovedHost[]): FilterTraceEntry {
  let removed: RemovedHost[] | undefined;
  const out = { filter, hostsIn } as FilterTraceEntry;
  Object.defineProperty(out, "removed", {
    enumerable: true,
    get: () => {
      removed ??= materialize();
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
  trace.push(
    entry(name, hosts.length, () =>
      removedHosts.map((h, i) => ({ host: h.host, nodename: h.nodename, reason: reasons[i]! })),
    ),
  );
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
  return runFilterSteps(current, spec, filters, trace);
}

/**
 * The filters proper, host by host: each host meets the filters in order until one removes it,
 * so a host's fields are read while they are in cache and no list is built per filter. Filters
 * are pure, so this gives what running each filter over the previous one's survivors gives:
 * the same survivors in input order, the same removals per step, and no step once none are left.
 */
function runFilterSteps(
  hosts: readonly HostState[],
  spec: RequestSpec,
  filters: readonly HostFilter[],
  trace: FilterTraceEntry[],
): FilterOutcome {
  const passed: HostState[] = [];
  const n = filters.length;
  // Per host, 1 + the index of the step that removed it (0: passed), and that step's verdict.
  const removedBy = new Uint16Array(hosts.length);
  const verdicts: FilterResult[] = new Array(hosts.length);
  const removedCount = new Int32Array(n);
  for (let h = 0; h < hosts.length; h++) {
    const host = hosts[h]!;
    let k = 0;
    for (; k < n; k++) {
      const result = filters[k]!.filter(host, spec);
      if (!result.ok) {
        removedBy[h] = k + 1;
        verdicts[h] = result;
        removedCount[k]!++;
        break;
      }
    }
    if (k === n) passed.push(host);
  }
  let hostsIn = hosts.length;
  for (let k = 0; k < n && hostsIn > 0; k++) {
    const mark = k + 1;
    trace.push(
      entry(filters[k]!.name, hostsIn, () => {
        const removed: RemovedHost[] = [];
        for (let h = 0; h < hosts.length; h++) {
          if (removedBy[h] !== mark) continue;
          const host = hosts[h]!;
          const verdict = verdicts[h]!;
          removed.push({ host: host.host, nodename: host.nodename, reason: verdict.ok ? "" : verdict.reason });
        }
        return removed;
      }),
    );
    hostsIn -= removedCount[k]!;
  }
  return { hosts: passed, trace };
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
