import { describe, expect, it } from "vitest";
import type { PciAlias } from "./build-request-spec.js";
import { numaTopologyFilter, pciPassthroughFilter } from "./filters/numa-pci.js";
import type { HostNumaCell, HostState, PciDevicePool } from "./host-state.js";
import { fitNumaTopology } from "./numa-fit.js";
import { fitPciRequests } from "./pci-fit.js";
import type { RequestSpec } from "./request-spec.js";
import { makeHost, makeSpec } from "./testing.js";

const cell = (id: number, cpus: number[], pinned: number[] = [], extra: Partial<HostNumaCell> = {}): HostNumaCell => ({
  id,
  cpus,
  pinnedCpus: pinned,
  memoryMb: 16384,
  memoryUsedMb: 0,
  mempages: [
    { sizeKb: 4, total: 4_194_304, used: 0 },
    { sizeKb: 2048, total: 4096, used: 0 },
  ],
  siblings: [],
  ...extra,
});
// Two cells of 4 pCPUs each; cell 1 has 2 of its 4 already pinned.
const twoCells = makeHost("numa", { numaCells: [cell(0, [0, 1, 2, 3]), cell(1, [4, 5, 6, 7], [4, 5])] });
const flavor = (vcpus: number, memoryMb: number, extraSpecs: Record<string, string>) =>
  makeSpec({ flavor: { vcpus, memoryMb, extraSpecs } });
const dedicated2x = (vcpus: number) => flavor(vcpus, 4096, { "hw:numa_nodes": "2", "hw:cpu_policy": "dedicated" });

describe("fitNumaTopology", () => {
  it("fits a 2-node dedicated guest with 2 vCPUs per node onto a host whose second cell is half pinned", () => {
    const fit = fitNumaTopology(twoCells, dedicated2x(4).numaTopology!);
    expect(fit).toEqual({
      ok: true,
      cells: [
        { guestCell: 0, hostCell: 0, pinnedCpus: [0, 1] },
        { guestCell: 1, hostCell: 1, pinnedCpus: [6, 7] },
      ],
    });
  });

  it("refuses 3 dedicated vCPUs per node: the pinned cell has only 2 free (a sum of 6 free is not a fit)", () => {
    const fit = fitNumaTopology(twoCells, dedicated2x(6).numaTopology!);
    expect(fit.ok).toBe(false);
    expect(fit).toMatchObject({ reason: expect.stringContaining("no assignment of 2 guest cells") });
  });

  it("backs out of a first choice: the big guest cell takes the free cell, the small one the pinned cell", () => {
    const spec = flavor(4, 4096, {
      "hw:numa_nodes": "2",
      "hw:cpu_policy": "dedicated",
      "hw:numa_cpus.0": "0",
      "hw:numa_mem.0": "2048",
      "hw:numa_cpus.1": "1-3",
      "hw:numa_mem.1": "2048",
    });
    const fit = fitNumaTopology(twoCells, spec.numaTopology!);
    expect(fit.ok && fit.cells.map((c) => [c.guestCell, c.hostCell])).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("prefers whole free sibling pairs when pinning", () => {
    const host = makeHost("smt", {
      numaCells: [
        cell(0, [0, 1, 2, 3], [0], {
          siblings: [
            [0, 2],
            [1, 3],
          ],
        }),
      ],
    });
    const fit = fitNumaTopology(host, flavor(2, 2048, { "hw:cpu_policy": "dedicated" }).numaTopology!);
    expect(fit.ok && fit.cells[0]!.pinnedCpus).toEqual([1, 3]);
  });

  it.each<[string, RequestSpec, HostState, string | null]>([
    [
      "2 MiB pages are taken from a cell with enough free of them",
      flavor(2, 4096, { "hw:mem_page_size": "2MB" }),
      twoCells,
      null,
    ],
    [
      "'large' uses the largest page size above small pages",
      flavor(2, 4096, { "hw:mem_page_size": "large" }),
      twoCells,
      null,
    ],
    [
      "1 GiB pages fail on a host that has none",
      flavor(2, 4096, { "hw:mem_page_size": "1GB" }),
      twoCells,
      "no host cell fits guest cell 0: cell 0 lacks 4096 MiB of free pages of size 1048576; cell 1 lacks 4096 MiB of free pages of size 1048576",
    ],
    [
      "a guest cell larger than any host cell's memory fails with the memory reason",
      flavor(2, 20000, { "hw:cpu_policy": "dedicated" }),
      twoCells,
      "no host cell fits guest cell 0: cell 0 has 16384 MiB free, guest cell 0 needs 20000 MiB; cell 1 has 16384 MiB free, guest cell 0 needs 20000 MiB",
    ],
    [
      "a host without NUMA cells cannot fit a NUMA guest",
      dedicated2x(4),
      makeHost("flat"),
      "guest asks for 2 NUMA cell(s), host has 0",
    ],
  ])("%s", (_name, spec, host, reason) => {
    const fit = fitNumaTopology(host, spec.numaTopology!);
    if (reason === null) expect(fit.ok).toBe(true);
    else expect(fit).toEqual({ ok: false, reason });
  });
});

const vf = (physicalNetwork: string, numaNode: number, count: number): PciDevicePool => ({
  vendorId: "8086",
  productId: "154c",
  devType: "type-VF",
  physicalNetwork,
  numaNode,
  count,
});
const gpu = (numaNode: number | undefined, count: number): PciDevicePool => ({
  vendorId: "10de",
  productId: "1eb8",
  devType: "type-PCI",
  ...(numaNode === undefined ? {} : { numaNode }),
  count,
});
const aliases: Record<string, PciAlias> = { gpu: { vendorId: "10de", productId: "1eb8" } };

describe("PCI passthrough and SR-IOV", () => {
  const nfvHost = (pools: PciDevicePool[]) =>
    makeHost("nfv", { numaCells: [cell(0, [0, 1, 2, 3]), cell(1, [4, 5, 6, 7])], pciPools: pools });
  const sriov = (policy: "required" | "preferred" | "legacy", extra: Record<string, string> = {}) =>
    makeSpec({
      flavor: { vcpus: 2, memoryMb: 2048, extraSpecs: { "hw:cpu_policy": "dedicated", ...extra } },
      sriovPorts: [{ physicalNetwork: "physnet1", numaPolicy: policy }],
    });

  it.each<[string, RequestSpec, PciDevicePool[], string | null]>([
    ["an SR-IOV port is served by a VF on its physnet", sriov("legacy"), [vf("physnet1", 0, 2)], null],
    [
      "a VF on another physnet does not serve the port",
      sriov("legacy"),
      [vf("physnet2", 0, 8)],
      "PCI request 'sriov:physnet1' needs 1 device(s), 0 free",
    ],
    [
      "with the required policy, a VF on cell 1 is accepted because the guest's one cell can go there",
      sriov("required", { "hw:numa_cpus.0": "0-1", "hw:numa_mem.0": "2048", "hw:numa_nodes": "1" }),
      [vf("physnet1", 1, 2)],
      null,
    ],
    ["with the preferred policy, a VF on any cell is accepted", sriov("preferred"), [vf("physnet1", 1, 1)], null],
    [
      "a PCI alias asking for more devices than the pools hold fails",
      makeSpec({ flavor: { vcpus: 2, memoryMb: 2048, extraSpecs: { "pci_passthrough:alias": "gpu:3" } } }, aliases),
      [gpu(0, 1), gpu(1, 1)],
      "PCI request 'gpu' needs 3 device(s), 2 free",
    ],
    [
      "a PCI alias is served from several pools together",
      makeSpec({ flavor: { vcpus: 2, memoryMb: 2048, extraSpecs: { "pci_passthrough:alias": "gpu:2" } } }, aliases),
      [gpu(0, 1), gpu(1, 1)],
      null,
    ],
  ])("%s", (_name, spec, pools, reason) => {
    const result = pciPassthroughFilter.filter(nfvHost(pools), spec);
    expect(result).toEqual(reason === null ? { ok: true } : { ok: false, reason });
  });

  it("required NUMA affinity moves the guest to the cell of the VF", () => {
    const host = nfvHost([vf("physnet1", 1, 1)]);
    const fit = fitNumaTopology(host, sriov("required").numaTopology!, sriov("required").pciRequests);
    expect(fit.ok && fit.cells[0]!.hostCell).toBe(1);
  });

  it("required NUMA affinity fails when the only cell with the VF is fully pinned", () => {
    const host = makeHost("nfv", {
      numaCells: [cell(0, [0, 1, 2, 3]), cell(1, [4, 5, 6, 7], [4, 5, 6, 7])],
      pciPools: [vf("physnet1", 1, 4)],
    });
    const spec = sriov("required");
    expect(pciPassthroughFilter.filter(host, spec)).toEqual({
      ok: false,
      reason:
        "PCI devices cannot follow the guest's NUMA cells: PCI request 'sriov:physnet1' needs 1 device(s), 0 free on NUMA cells [0] (policy required)",
    });
    expect(numaTopologyFilter.filter(host, spec)).toMatchObject({ ok: false });
    // The same host passes with the preferred policy: the VF may sit on another cell.
    expect(pciPassthroughFilter.filter(host, sriov("preferred"))).toEqual({ ok: true });
  });

  it("legacy policy accepts devices without NUMA information but not devices on another cell", () => {
    const request = sriov("legacy").pciRequests;
    expect(fitPciRequests([gpu(undefined, 1)], aliasReq(), [0]).ok).toBe(true);
    expect(fitPciRequests([vf("physnet1", 1, 1)], request, [0]).ok).toBe(false);
  });

  it("the NUMA filter passes requests without a NUMA topology", () => {
    expect(numaTopologyFilter.filter(makeHost("flat"), makeSpec())).toEqual({ ok: true });
  });
});

function aliasReq() {
  return makeSpec({ flavor: { vcpus: 1, memoryMb: 512, extraSpecs: { "pci_passthrough:alias": "gpu:1" } } }, aliases)
    .pciRequests;
}
