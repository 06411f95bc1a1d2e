/**
 * A Neutron network → its Logical_Switch and, for flat/VLAN provider networks, the localnet port
 * that bridges it to the physical network (ovn_client.py `_gen_network_parameters`,
 * `create_provnet_port`).
 */
import type { Network } from "../../domain/model.js";
import { EXT_ID, ovnName, provnetPortName } from "./naming.js";

/** Logical_Switch columns the driver sets. */
export interface DesiredLogicalSwitch {
  name: string;
  external_ids: Record<string, string>;
  other_config: Record<string, string>;
}

/** Logical_Switch_Port columns of a localnet port. */
export interface DesiredLocalnetPort {
  name: string;
  type: "localnet";
  addresses: string[];
  options: Record<string, string>;
  /** the VLAN id for vlan networks; null (untagged) for flat ones */
  tag_request: number | null;
  external_ids: Record<string, string>;
}

/**
 * Deployment settings that shape the switch; each defaults to Neutron's own default
 * ([OVS] igmp_*, [ovn] fdb_age_threshold, broadcast_arps_to_all_routers, localnet_learn_fdb).
 */
export interface SwitchOptions {
  /** [OVS] igmp_snooping_enable → other_config:mcast_snoop; default false */
  igmpSnooping?: boolean;
  /** [OVS] igmp_flood_unregistered → other_config:mcast_flood_unregistered; default false */
  igmpFloodUnregistered?: boolean;
  /** [OVS] igmp_flood → localnet options:mcast_flood; default false */
  igmpFlood?: boolean;
  /** [OVS] igmp_flood_reports → localnet options:mcast_flood_reports; default true */
  igmpFloodReports?: boolean;
  /** [ovn] fdb_age_threshold, seconds, set on provider networks; default 300 */
  fdbAgeThreshold?: number;
  /** [ovn] broadcast_arps_to_all_routers, set on external networks; default true */
  broadcastArpsToAllRouters?: boolean;
  /** [ovn] localnet_learn_fdb → localnet options:localnet_learn_fdb; default false */
  localnetLearnFdb?: boolean;
}

const flag = (value: boolean): string => (value ? "true" : "false");

/**
 * The Logical_Switch of a network: `neutron-<id>`, with the network's name, MTU, revision, AZ
 * hints and provider type in external_ids. VLAN transparency is not modelled, so
 * `vlan-passthru` is always "false". Pure.
 */
export function desiredSwitch(network: Network, options: SwitchOptions = {}): DesiredLogicalSwitch {
  const physnet = network["provider:physical_network"];
  const external_ids: Record<string, string> = {
    [EXT_ID.networkName]: network.name,
    [EXT_ID.mtu]: String(network.mtu),
    [EXT_ID.revision]: String(network.revision_number),
    [EXT_ID.azHints]: network.availability_zone_hints.join(","),
    [EXT_ID.networkType]: network["provider:network_type"],
  };
  if (physnet) external_ids[EXT_ID.physicalNetwork] = physnet;
  const other_config: Record<string, string> = {
    mcast_snoop: flag(options.igmpSnooping ?? false),
    mcast_flood_unregistered: flag(options.igmpFloodUnregistered ?? false),
    "vlan-passthru": "false",
  };
  if (physnet) other_config.fdb_age_threshold = String(options.fdbAgeThreshold ?? 300);
  if (network["router:external"]) {
    other_config["broadcast-arps-to-all-routers"] = flag(options.broadcastArpsToAllRouters ?? true);
  }
  return { name: ovnName(network.id), external_ids, other_config };
}

/**
 * The localnet port of a network with a physical network (flat or vlan), or null for overlay
 * networks. Named `provnet-<segmentId>`; Stratus has no segment objects, so `segmentId`
 * defaults to the network id. Pure.
 */
export function desiredLocalnetPort(
  network: Network,
  options: SwitchOptions = {},
  segmentId: string = network.id,
): DesiredLocalnetPort | null {
  const physnet = network["provider:physical_network"];
  if (!physnet) return null;
  const vlan = network["provider:network_type"] === "vlan";
  return {
    name: provnetPortName(segmentId),
    type: "localnet",
    addresses: ["unknown"],
    options: {
      network_name: physnet,
      mcast_flood_reports: flag(options.igmpFloodReports ?? true),
      mcast_flood: flag(options.igmpFlood ?? false),
      localnet_learn_fdb: flag(options.localnetLearnFdb ?? false),
    },
    tag_request: vlan ? network["provider:segmentation_id"] : null,
    external_ids: { [EXT_ID.physicalNetwork]: physnet },
  };
}
