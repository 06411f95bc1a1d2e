/**
 * Builds a `RequestSpec` from what an API request carries, deriving the guest NUMA topology from
 * `hw:numa_nodes` / `hw:numa_cpus.N` / `hw:numa_mem.N` / `hw:cpu_policy` / `hw:mem_page_size`
 * (flavor extra specs first, then `hw_*` image properties) and PCI requests from
 * `pci_passthrough:alias` with an alias table, plus SR-IOV ports with their physnet.
 */
import { badRequest } from "@stratus/core/errors";
import type {
  Flavor,
  GuestNumaCell,
  GuestNumaTopology,
  ImageRef,
  PciDeviceSpec,
  PciNumaPolicy,
  PciRequest,
  RequestSpec,
  SchedulerHints,
  ServerGroupSpec,
} from "./request-spec.js";

/** One entry of the PCI alias table (Nova's `[pci] alias`). */
export interface PciAlias {
  /** PCI vendor id (lower-case hex). */
  readonly vendorId: string;
  /** PCI product id (lower-case hex). */
  readonly productId: string;
  /** Device type; any when undefined. */
  readonly devType?: "type-PCI" | "type-PF" | "type-VF";
  /** The alias's NUMA policy; the request's `hw:pci_numa_affinity_policy` wins when set. */
  readonly numaPolicy?: PciNumaPolicy;
}

/** An SR-IOV port (vnic_type direct) the instances attach to. */
export interface SriovPortRequest {
  /** The Neutron physical network of the port's network. */
  readonly physicalNetwork: string;
  /** The port's NUMA policy; defaults to the request's. */
  readonly numaPolicy?: PciNumaPolicy;
}

/** What `buildRequestSpec` takes; everything but the flavor is optional. */
export interface RequestSpecInput {
  /** The flavor (extra specs default to none, disks to 0). */
  readonly flavor: Pick<Flavor, "vcpus" | "memoryMb"> & Partial<Flavor>;
  /** The image. */
  readonly image?: ImageRef;
  /** Requested availability zone. */
  readonly availabilityZone?: string;
  /** Server group. */
  readonly serverGroup?: ServerGroupSpec;
  /** Scheduler hints. */
  readonly hints?: SchedulerHints;
  /** Instances to place; default 1. */
  readonly numInstances?: number;
  /** Instance UUIDs, one per instance. */
  readonly instanceUuids?: readonly string[];
  /** Hosts to ignore. */
  readonly ignoreHosts?: readonly string[];
  /** Hosts to force. */
  readonly forceHosts?: readonly string[];
  /** SR-IOV ports. */
  readonly sriovPorts?: readonly SriovPortRequest[];
}

/**
 * Returns the request spec with `numaTopology` and `pciRequests` derived.
 * Throws `bad_request` for malformed NUMA specs, unknown aliases or a page size it cannot read.
 */
export function buildRequestSpec(
  input: RequestSpecInput,
  pciAliases: Readonly<Record<string, PciAlias>> = {},
): RequestSpec {
  const flavor: Flavor = {
    name: input.flavor.name ?? "",
    vcpus: input.flavor.vcpus,
    memoryMb: input.flavor.memoryMb,
    rootGb: input.flavor.rootGb ?? 0,
    ephemeralGb: input.flavor.ephemeralGb ?? 0,
    swapMb: input.flavor.swapMb ?? 0,
    extraSpecs: input.flavor.extraSpecs ?? {},
  };
  const image = input.image ?? { properties: {} };
  const spec = (key: string): string | undefined => flavor.extraSpecs[`hw:${key}`] ?? image.properties[`hw_${key}`];
  const numaTopology = guestNumaTopology(flavor, spec);
  const policy = spec("pci_numa_affinity_policy");
  const defaultPolicy = policy === undefined ? undefined : numaPolicy(policy);
  const pciRequests = [
    ...aliasRequests(flavor.extraSpecs["pci_passthrough:alias"], pciAliases, defaultPolicy),
    ...(input.sriovPorts ?? []).map(
      (port): PciRequest => ({
        source: `sriov:${port.physicalNetwork}`,
        count: 1,
        specs: [{ devType: "type-VF", physicalNetwork: port.physicalNetwork }],
        numaPolicy: port.numaPolicy ?? defaultPolicy ?? "legacy",
      }),
    ),
  ];
  return {
    flavor,
    image,
    ...(input.availabilityZone === undefined ? {} : { availabilityZone: input.availabilityZone }),
    ...(input.serverGroup === undefined ? {} : { serverGroup: input.serverGroup }),
    hints: input.hints ?? {},
    numInstances: input.numInstances ?? 1,
    instanceUuids: input.instanceUuids ?? [],
    ignoreHosts: input.ignoreHosts ?? [],
    forceHosts: input.forceHosts ?? [],
    ...(numaTopology === undefined ? {} : { numaTopology }),
    pciRequests,
  };
}

function numaPolicy(value: string): PciNumaPolicy {
  if (value === "required" || value === "legacy" || value === "preferred") return value;
  throw badRequest(`Invalid PCI NUMA affinity policy '${value}'; use required, legacy or preferred.`);
}

function guestNumaTopology(flavor: Flavor, spec: (key: string) => string | undefined): GuestNumaTopology | undefined {
  const nodesText = spec("numa_nodes");
  const cpuPolicy = spec("cpu_policy") ?? "shared";
  if (cpuPolicy !== "shared" && cpuPolicy !== "dedicated") {
    throw badRequest(`Unsupported hw:cpu_policy '${cpuPolicy}'; use shared or dedicated.`);
  }
  const pageSize = parsePageSize(spec("mem_page_size"));
  const dedicatedCpus = cpuPolicy === "dedicated";
  if (nodesText === undefined && !dedicatedCpus && pageSize === undefined) return undefined;
  const nodes = nodesText === undefined ? 1 : Number(nodesText);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > flavor.vcpus) {
    throw badRequest(`hw:numa_nodes '${nodesText}' must be an integer between 1 and the flavor's vCPUs.`);
  }
  const cells: GuestNumaCell[] = [];
  const explicit = flavor.extraSpecs["hw:numa_cpus.0"] !== undefined;
  for (let id = 0; id < nodes; id++) {
    if (explicit) {
      const cpus = flavor.extraSpecs[`hw:numa_cpus.${id}`];
      const mem = Number(flavor.extraSpecs[`hw:numa_mem.${id}`]);
      if (cpus === undefined || !Number.isFinite(mem)) {
        throw badRequest(`hw:numa_cpus.${id} and hw:numa_mem.${id} must be given for every node.`);
      }
      cells.push({ id, vcpus: countCpus(cpus), memoryMb: mem });
    } else {
      // As Nova: an automatic split must be even (ImageNUMATopologyAsymmetric otherwise).
      if (flavor.vcpus % nodes !== 0 || flavor.memoryMb % nodes !== 0) {
        throw badRequest(`Flavor vCPUs and RAM must divide evenly by hw:numa_nodes=${nodes}.`);
      }
      cells.push({ id, vcpus: flavor.vcpus / nodes, memoryMb: flavor.memoryMb / nodes });
    }
  }
  return { cells, dedicatedCpus, ...(pageSize === undefined ? {} : { pageSize }) };
}

/** Counts CPUs in a Nova CPU set string such as `0-3,^2,5`. */
function countCpus(text: string): number {
  const set = new Set<number>();
  for (const part of text.split(",")) {
    const p = part.trim();
    const exclude = p.startsWith("^");
    const [a, b] = (exclude ? p.slice(1) : p).split("-").map(Number);
    if (a === undefined || !Number.isInteger(a)) throw badRequest(`Invalid CPU set '${text}'.`);
    for (let c = a; c <= (b ?? a); c++) exclude ? set.delete(c) : set.add(c);
  }
  return set.size;
}

const UNITS: Readonly<Record<string, number>> = { K: 1, KB: 1, KIB: 1, M: 1024, MB: 1024, MIB: 1024, G: 1048576 };

/** Reads `hw:mem_page_size`: small, large, any, or a size (`2048`, `2MB`, `1GB`) in KiB. */
export function parsePageSize(text: string | undefined): GuestNumaTopology["pageSize"] {
  if (text === undefined) return undefined;
  const lower = text.trim().toLowerCase();
  if (lower === "small" || lower === "large" || lower === "any") return lower;
  const m = /^(\d+)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m?.[2] === "" ? 1 : UNITS[(m?.[2] ?? "").toUpperCase().replace("GB", "G").replace("GIB", "G")];
  if (m === null || unit === undefined) throw badRequest(`Invalid hw:mem_page_size '${text}'.`);
  return Number(m[1]) * unit;
}

function aliasRequests(
  text: string | undefined,
  aliases: Readonly<Record<string, PciAlias>>,
  policy: PciNumaPolicy | undefined,
): PciRequest[] {
  if (text === undefined || text.trim() === "") return [];
  return text.split(",").map((item) => {
    const [name = "", countText = "1"] = item.trim().split(":");
    const alias = aliases[name];
    const count = Number(countText);
    if (alias === undefined) throw badRequest(`PCI alias '${name}' is not defined.`);
    if (!Number.isInteger(count) || count < 1) throw badRequest(`Invalid PCI alias count in '${item}'.`);
    const spec: PciDeviceSpec = {
      vendorId: alias.vendorId,
      productId: alias.productId,
      ...(alias.devType === undefined ? {} : { devType: alias.devType }),
    };
    return { source: name, count, specs: [spec], numaPolicy: policy ?? alias.numaPolicy ?? "legacy" };
  });
}
