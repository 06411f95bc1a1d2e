/**
 * What placing one instance takes from a host (Nova's HostState.consume_from_request), applied
 * to a copy so the next instance of the same request sees it. The input is never mutated.
 */
import type { HostNumaCell, HostState } from "./host-state.js";
import type { NumaFitResult } from "./numa-fit.js";
import type { RequestSpec } from "./request-spec.js";

/** A copy of `host` after one instance of `spec` (uuid `instanceUuid`) landed on it. */
export function consumeFromRequest(
  host: HostState,
  spec: RequestSpec,
  instanceUuid: string,
  numaFit: NumaFitResult | undefined,
  pciTaken: ReadonlyMap<number, number> = new Map(),
): HostState {
  const f = spec.flavor;
  const instances = new Set(host.instances);
  instances.add(instanceUuid);
  let numaCells = host.numaCells;
  if (numaCells !== undefined && numaFit?.ok === true) {
    numaCells = numaCells.map((cell): HostNumaCell => {
      const placed = numaFit.cells.find((c) => c.hostCell === cell.id);
      if (placed === undefined) return cell;
      const guest = spec.numaTopology?.cells.find((g) => g.id === placed.guestCell);
      const memoryMb = guest?.memoryMb ?? 0;
      return {
        ...cell,
        pinnedCpus: [...cell.pinnedCpus, ...placed.pinnedCpus],
        memoryUsedMb: cell.memoryUsedMb + memoryMb,
        mempages: cell.mempages.map((p) =>
          p.sizeKb === placed.pageSizeKb ? { ...p, used: p.used + (memoryMb * 1024) / p.sizeKb } : p,
        ),
      };
    });
  }
  return {
    ...host,
    freeRamMb: host.freeRamMb - f.memoryMb,
    freeDiskMb: host.freeDiskMb - (f.rootGb + f.ephemeralGb) * 1024 - f.swapMb,
    vcpusUsed: host.vcpusUsed + f.vcpus,
    numInstances: host.numInstances + 1,
    numIoOps: host.numIoOps + 1,
    instances,
    ...(numaCells === undefined ? {} : { numaCells }),
    pciPools: host.pciPools.map((p, i) => {
      const taken = pciTaken.get(i);
      return taken === undefined ? p : { ...p, count: p.count - taken };
    }),
  };
}
