/**
 * NUMATopologyFilter and PciPassthroughFilter. Both rest on one joint NUMA+PCI fit (as Nova's
 * NUMATopologyFilter passes the PCI requests into numa_fit_instance_to_host); the fit is
 * memoized per (host, spec) so running both filters costs one fit.
 */
import type { HostState } from "../host-state.js";
import { fitNumaTopology, type NumaFitResult } from "../numa-fit.js";
import { fitPciRequests } from "../pci-fit.js";
import { fail, type HostFilter, PASS } from "../plugin.js";
import type { RequestSpec } from "../request-spec.js";
import { perSpec } from "../spec-memo.js";

// Per request, the fit of each host: both filters share it; it is dropped with the spec.
const fitsOf = perSpec(() => new Map<HostState, NumaFitResult>());

/** The joint NUMA (and PCI) fit of `spec` on `host`; undefined when the spec asks no NUMA. */
export function numaFitFor(host: HostState, spec: RequestSpec): NumaFitResult | undefined {
  if (spec.numaTopology === undefined) return undefined;
  const fits = fitsOf(spec);
  let fit = fits.get(host);
  if (fit === undefined) {
    fit = fitNumaTopology(host, spec.numaTopology, spec.pciRequests);
    fits.set(host, fit);
  }
  return fit;
}

/** Passes hosts whose NUMA cells can hold the guest's cells (pinning, memory, pages, PCI). */
export const numaTopologyFilter: HostFilter = {
  name: "NUMATopologyFilter",
  filter(host, spec) {
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
