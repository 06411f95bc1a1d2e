/**
 * ML2's type drivers for provider attributes: validate a requested segment (geneve, vlan, flat),
 * or allocate one from the configured ranges, claiming it in the store so it is never shared.
 */
import type { NetworkApiConfig } from "../config.js";
import { invalidInput, neutronError } from "../domain/faults.js";
import type { NetworkType } from "../domain/model.js";
import type { NeutronStore } from "../store/store.js";

export interface Segment {
  readonly network_type: NetworkType;
  readonly physical_network: string | null;
  readonly segmentation_id: number | null;
}

export interface SegmentRequest {
  readonly network_type?: string | undefined;
  readonly physical_network?: string | undefined | null;
  readonly segmentation_id?: number | undefined | null;
}

const GENEVE_MAX = 16_777_215;

/** The store key that makes a segment exclusive. */
export const segmentKey = (s: Segment): string =>
  s.network_type === "flat"
    ? `flat:${s.physical_network}`
    : s.network_type === "vlan"
      ? `vlan:${s.physical_network}:${s.segmentation_id}`
      : `${s.network_type}:${s.segmentation_id}`;

const noNetwork = () =>
  neutronError(
    "backend_unavailable",
    "NoNetworkAvailable",
    "Unable to create the network. No tenant network is available for allocation.",
  );

async function claimFirst(store: NeutronStore, candidates: Iterable<Segment>): Promise<Segment> {
  for (const s of candidates) if (await store.claimSegment(segmentKey(s))) return s;
  throw noNetwork();
}

function* geneveCandidates(config: NetworkApiConfig): Iterable<Segment> {
  for (const [min, max] of config.vniRanges)
    for (let id = min; id <= max; id++) yield { network_type: "geneve", physical_network: null, segmentation_id: id };
}

function* vlanCandidates(config: NetworkApiConfig, physnet: string | null): Iterable<Segment> {
  for (const r of config.vlanRanges) {
    if (r.min === null || r.max === null || (physnet !== null && r.physnet !== physnet)) continue;
    for (let id = r.min; id <= r.max; id++)
      yield { network_type: "vlan", physical_network: r.physnet, segmentation_id: id };
  }
}

/**
 * Validates and claims the segment a network asks for, or allocates a tenant segment. Throws 400
 * InvalidInput for an unsupported type, unknown physnet or out-of-range id; 409 TunnelIdInUse,
 * VlanIdInUse or FlatNetworkInUse when taken; 503 NoNetworkAvailable when the ranges are exhausted.
 */
export async function claimSegment(
  store: NeutronStore,
  config: NetworkApiConfig,
  req: SegmentRequest,
): Promise<Segment> {
  const type = req.network_type ?? (req.physical_network != null ? "vlan" : config.tenantNetworkType);
  const physnet = req.physical_network ?? null;
  const segId = req.segmentation_id ?? null;
  switch (type) {
    case "geneve": {
      if (physnet !== null) throw invalidInput("provider:physical_network specified for geneve network");
      if (segId === null) return claimFirst(store, geneveCandidates(config));
      if (segId < 1 || segId > GENEVE_MAX) throw invalidInput(`segmentation_id out of range (1 through ${GENEVE_MAX})`);
      const s: Segment = { network_type: "geneve", physical_network: null, segmentation_id: segId };
      if (!(await store.claimSegment(segmentKey(s))))
        throw neutronError(
          "conflict",
          "TunnelIdInUse",
          `Unable to create the network. The tunnel ID ${segId} is in use.`,
        );
      return s;
    }
    case "vlan": {
      if (physnet !== null && !config.physnets.includes(physnet))
        throw invalidInput(`physical_network '${physnet}' unknown for VLAN provider network`);
      if (segId === null) return claimFirst(store, vlanCandidates(config, physnet));
      if (physnet === null) throw invalidInput("segmentation_id requires physical_network for VLAN provider network");
      if (segId < 1 || segId > 4094) throw invalidInput("segmentation_id out of range (1 through 4094)");
      const s: Segment = { network_type: "vlan", physical_network: physnet, segmentation_id: segId };
      if (!(await store.claimSegment(segmentKey(s))))
        throw neutronError(
          "conflict",
          "VlanIdInUse",
          `Unable to create the network. The VLAN ${segId} on physical network ${physnet} is in use.`,
        );
      return s;
    }
    case "flat": {
      if (physnet === null) throw invalidInput("physical_network required for flat provider network");
      if (!config.physnets.includes(physnet))
        throw invalidInput(`physical_network '${physnet}' unknown for flat provider network`);
      if (segId !== null) throw invalidInput("segmentation_id prohibited for flat provider network");
      const s: Segment = { network_type: "flat", physical_network: physnet, segmentation_id: null };
      if (!(await store.claimSegment(segmentKey(s))))
        throw neutronError(
          "conflict",
          "FlatNetworkInUse",
          `Unable to create the flat network. Physical network ${physnet} is in use.`,
        );
      return s;
    }
    default:
      throw invalidInput(`network_type value '${type}' not supported`);
  }
}

/** The MTU of a network on `segment`: the overlay MTU for tunnels, the physical MTU otherwise. */
export const segmentMtu = (config: NetworkApiConfig, s: Segment): number =>
  s.network_type === "geneve" || s.network_type === "vxlan" ? config.overlayMtu : config.physicalMtu;
