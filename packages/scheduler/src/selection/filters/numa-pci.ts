/**
 * NUMATopologyFilter and PciPassthroughFilter. Both rest on one joint NUMA+PCI fit (as Nova's
 * NUMATopologyFilter passes the PCI requests into numa_fit_instance_to_host). Hosts that fit are
 * told apart without building the fit (`numaTopologyFits`); only hosts that fail get a full fit,
 * for the reason. The pipeline runs filters host by host, so both filters ask about one host in a
 * row: the last answer of each kind is remembered, and running both costs one fit.
 */
import type { HostState } from "../host-state.js";
import { fitNumaTopology, type NumaFitResult, numaTopologyFits } from "../numa-fit.js";
import { fitPciRequests } from "../pci-fit.js";
import { fail, type HostFilter, PASS } from "../plugin.js";
import type { RequestSpec } from "../request-spec.js";

// The last full fit asked for: filters ask for it only to explain a host they remove, and the
// selector for the host it chose, each right after the other filter or step asked the same.
let fitHost: HostState | undefined;
let fitSpec: RequestSpec | undefined;
let fitResult: NumaFitResult | undefined;

/** The joint NUMA (and PCI) fit of `spec` on `host`; undefined when the spec asks no NUMA. */
export function numaFitFor(host: HostState, spec: RequestSpec): NumaFitResult | undefined {
  if (spec.numaTopology === undefined) return undefined;
  if (host !== fitHost || spec !== fitSpec || fitResult === undefined) {
    fitResult = fitNumaTopology(host, spec.numaTopology, spec.pciRequests);
    fitHost = host;
    fitSpec = spec;
  }
  return fitResult;
}

// The pipeline runs the filters host by host, so NUMATopologyFilter and PciPassthroughFilter ask
// about the same (host, spec) one after the other: one remembered answer serves both. Both are
// immutable values, so the answer stays right for as long as they are the same objects.
let lastHost: HostState | undefined;
let lastSpec: RequestSpec | undefined;
let lastFits = false;

/** `numaTopologyFits` for a one-cell guest (false for other guests: ask the full fit). */
function oneCellFits(host: HostState, spec: RequestSpec): boolean {
  const topology = spec.numaTopology;
  if (topology === undefined || topology.cells.length !== 1) return false;
  if (host !== lastHost || spec !== lastSpec) {
    lastFits = numaTopologyFits(host, topology, spec.pciRequests);
    lastHost = host;
    lastSpec = spec;
  }
  return lastFits;
}

/** Passes hosts whose NUMA cells can hold the guest's cells (pinning, memory, pages, PCI). */
export const numaTopologyFilter: HostFilter = {
  name: "NUMATopologyFilter",
  filter(host, spec) {
    if (spec.numaTopology === undefined || oneCellFits(host, spec)) return PASS;
    const fit = numaFitFor(host, spec);
    if (fit === undefined || fit.ok) return PASS;
    return fail(fit.reason);
  },
};

/**
 * Passes hosts whose PCI pools can serve every PCI request (aliases, SR-IOV ports by physnet);
 * with a guest NUMA topology the devices must also respect each request's NUMA policy.
 */
export const pciPassthroughFilter: HostFilter = {
  name: "PciPassthroughFilter",
  filter(host, spec) {
    if (spec.pciRequests.length === 0) return PASS;
    if (oneCellFits(host, spec)) return PASS;
    const fit = numaFitFor(host, spec);
    // The joint fit implies the plain one; the plain one runs alone only to explain a failure.
    if (fit?.ok === true) return PASS;
    const plain = fitPciRequests(host.pciPools, spec.pciRequests);
    if (!plain.ok) return fail(plain.reason);
    if (fit === undefined) return PASS;
    // PCI alone fits, NUMA alone may too: only the joint fit failed, for NUMA affinity.
    return fail(`PCI devices cannot follow the guest's NUMA cells: ${fit.reason}`);
  },
};
