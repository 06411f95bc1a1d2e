import { describe, expect, it } from "vitest";
import { buildRequestSpec, parsePageSize } from "./build-request-spec.js";

const build = (extraSpecs: Record<string, string>, properties: Record<string, string> = {}) =>
  buildRequestSpec(
    { flavor: { vcpus: 4, memoryMb: 4096, extraSpecs }, image: { properties } },
    {
      nic: { vendorId: "8086", productId: "1572", devType: "type-PF", numaPolicy: "preferred" },
    },
  );

describe("buildRequestSpec", () => {
  it.each<[string, Record<string, string>, Record<string, string>, unknown]>([
    ["no NUMA extra specs give no NUMA topology", {}, {}, undefined],
    [
      "hw:numa_nodes=2 splits vCPUs and memory evenly",
      { "hw:numa_nodes": "2" },
      {},
      {
        cells: [
          { id: 0, vcpus: 2, memoryMb: 2048 },
          { id: 1, vcpus: 2, memoryMb: 2048 },
        ],
        dedicatedCpus: false,
      },
    ],
    [
      "hw:cpu_policy=dedicated alone asks for one cell with pinned CPUs",
      { "hw:cpu_policy": "dedicated" },
      {},
      { cells: [{ id: 0, vcpus: 4, memoryMb: 4096 }], dedicatedCpus: true },
    ],
    [
      "image properties hw_numa_nodes and hw_mem_page_size count when the flavor is silent",
      {},
      { hw_numa_nodes: "1", hw_mem_page_size: "2048" },
      { cells: [{ id: 0, vcpus: 4, memoryMb: 4096 }], dedicatedCpus: false, pageSize: 2048 },
    ],
    [
      "explicit hw:numa_cpus.N and hw:numa_mem.N give uneven cells",
      {
        "hw:numa_nodes": "2",
        "hw:numa_cpus.0": "0",
        "hw:numa_mem.0": "1024",
        "hw:numa_cpus.1": "1-3",
        "hw:numa_mem.1": "3072",
      },
      {},
      {
        cells: [
          { id: 0, vcpus: 1, memoryMb: 1024 },
          { id: 1, vcpus: 3, memoryMb: 3072 },
        ],
        dedicatedCpus: false,
      },
    ],
  ])("%s", (_name, extraSpecs, properties, expected) => {
    expect(build(extraSpecs, properties).numaTopology).toEqual(expected);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ["an uneven automatic split", { "hw:numa_nodes": "3" }, /divide evenly/],
    ["more NUMA nodes than vCPUs", { "hw:numa_nodes": "8" }, /hw:numa_nodes/],
    ["an unknown CPU policy", { "hw:cpu_policy": "fast" }, /hw:cpu_policy/],
    ["an unreadable page size", { "hw:mem_page_size": "huge" }, /hw:mem_page_size/],
    ["an undefined PCI alias", { "pci_passthrough:alias": "fpga:1" }, /PCI alias 'fpga' is not defined/],
    ["a bad PCI NUMA policy", { "hw:pci_numa_affinity_policy": "strict" }, /PCI NUMA affinity policy/],
  ])("rejects %s with bad_request", (_name, extraSpecs, message) => {
    expect(() => build(extraSpecs)).toThrow(message);
  });

  it("turns pci_passthrough:alias into a request that carries the alias's NUMA policy", () => {
    expect(build({ "pci_passthrough:alias": "nic:2" }).pciRequests).toEqual([
      {
        source: "nic",
        count: 2,
        specs: [{ vendorId: "8086", productId: "1572", devType: "type-PF" }],
        numaPolicy: "preferred",
      },
    ]);
  });

  it.each<[string, string, unknown]>([
    ["a bare number is KiB", "2048", 2048],
    ["2MB is 2048 KiB", "2MB", 2048],
    ["1GB is 1048576 KiB", "1GB", 1048576],
    ["the keyword large stays a keyword", "large", "large"],
  ])("parsePageSize: %s", (_name, text, expected) => {
    expect(parsePageSize(text)).toBe(expected);
  });
});
