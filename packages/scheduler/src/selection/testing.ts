/** Builders for tests and benches: a plausible host and a spec, overridable field by field. */
import { buildRequestSpec, type RequestSpecInput } from "./build-request-spec.js";
import type { HostState } from "./host-state.js";
import type { RequestSpec } from "./request-spec.js";

/** A healthy 16-vCPU, 64 GiB x86_64/qemu host named `name`, with `overrides` applied. */
export function makeHost(name: string, overrides: Partial<HostState> = {}): HostState {
  return {
    host: name,
    nodename: name,
    cell: "cell1",
    availabilityZone: "nova",
    aggregates: [],
    enabled: true,
    up: true,
    freeRamMb: 65536,
    totalRamMb: 65536,
    ramAllocationRatio: 1.5,
    freeDiskMb: 1024 * 1024,
    totalDiskGb: 1024,
    diskAllocationRatio: 1,
    vcpusTotal: 16,
    vcpusUsed: 0,
    cpuAllocationRatio: 4,
    numInstances: 0,
    numIoOps: 0,
    failedBuilds: 0,
    hypervisorType: "QEMU",
    hypervisorVersion: 8_002_000,
    cpuArch: "x86_64",
    supportedInstances: [{ arch: "x86_64", hvType: "qemu", vmMode: "hvm" }],
    capabilities: {},
    pciPools: [],
    instances: new Set(),
    ...overrides,
  };
}

/** A spec for a 2-vCPU, 2 GiB flavor with `input` merged in. */
export function makeSpec(input: Partial<RequestSpecInput> = {}, aliases = {}): RequestSpec {
  return buildRequestSpec({ flavor: { vcpus: 2, memoryMb: 2048, ...input.flavor }, ...withoutFlavor(input) }, aliases);
}

function withoutFlavor(input: Partial<RequestSpecInput>): Omit<Partial<RequestSpecInput>, "flavor"> {
  const { flavor: _flavor, ...rest } = input;
  return rest;
}
