/**
 * What a claimed instance takes from its host for the rest of the same request (Nova's
 * `_consume_selected_host`): the host's resources, NUMA cells and PCI pools, and the server
 * group's hosts and members, so the next instance is filtered and weighed against them.
 */
import { consumeFromRequest } from "../selection/consume.js";
import { numaFitFor } from "../selection/filters/numa-pci.js";
import type { HostState } from "../selection/host-state.js";
import { fitPciRequests } from "../selection/pci-fit.js";
import type { RequestSpec } from "../selection/request-spec.js";

/** A copy of `host` with one instance of `spec` (uuid `instanceUuid`) on it. Pure. */
export function consumeClaimedHost(host: HostState, spec: RequestSpec, instanceUuid: string): HostState {
  const fit = numaFitFor(host, spec);
  let perRequest: readonly (readonly { pool: number; count: number }[])[] = [];
  if (fit?.ok === true) perRequest = fit.pci?.perRequest ?? [];
  else if (spec.pciRequests.length > 0) {
    const plain = fitPciRequests(host.pciPools, spec.pciRequests);
    if (plain.ok) perRequest = plain.assignment.perRequest;
  }
  const pciTaken = new Map<number, number>();
  for (const taken of perRequest) {
    for (const { pool, count } of taken) pciTaken.set(pool, (pciTaken.get(pool) ?? 0) + count);
  }
  return consumeFromRequest(host, spec, instanceUuid, fit, pciTaken);
}

/** The spec the next instance of the request sees once `instanceUuid` landed on `host`. Pure. */
export function joinServerGroup(spec: RequestSpec, host: string, instanceUuid: string): RequestSpec {
  const group = spec.serverGroup;
  if (group === undefined) return spec;
  return {
    ...spec,
    serverGroup: { ...group, hosts: [...group.hosts, host], members: [...group.members, instanceUuid] },
  };
}
