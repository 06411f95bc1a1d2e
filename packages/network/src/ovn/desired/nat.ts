/**
 * A router's SNAT and floating IPs → NAT rows (ovn_client.py `update_nat_rules`,
 * `_create_or_update_floatingip`).
 *
 * Floating IPs are centralized (Neutron's default, [ovn] enable_distributed_floating_ip =
 * False): `logical_port` is still written, as Neutron does, but without `external_mac` OVN
 * does the NAT on the gateway chassis; `gateway_port` is not set either.
 */
import type { FloatingIp, Port, Router, Subnet } from "../../domain/model.js";
import { EXT_ID, ipVersionOf, ovnName } from "./naming.js";

/** NAT columns the driver sets. */
export interface DesiredNat {
  type: "snat" | "dnat_and_snat";
  logical_ip: string;
  external_ip: string;
  /** the VM's port for floating IPs; null for SNAT */
  logical_port: string | null;
  /** set only for distributed floating IPs, so always null here */
  external_mac: string | null;
  options: Record<string, string>;
  external_ids: Record<string, string>;
}

export interface NatSettings {
  /** [ovn] stateless_nat_enabled → floating IP options:stateless; default false */
  statelessNat?: boolean;
}

/**
 * The NAT rows of a router:
 * - when its gateway has enable_snat: one `snat` per IPv4 gateway IP and IPv4 attached subnet
 *   (`attachedSubnets`: the subnets of the router's interface ports), logical_ip = the subnet's
 *   CIDR; none without a gateway;
 * - one `dnat_and_snat` per floating IP of this router that has a fixed IP. `floatingPortsByFipId`
 *   maps a floating IP id to its own `network:floatingip` port, whose MAC Neutron records as
 *   neutron:fip_external_mac (the key is left out when the port is not given).
 * Pure; the order is SNAT (gateway IP-major) then floating IPs in the given order.
 */
export function desiredNats(
  router: Router,
  attachedSubnets: readonly Subnet[],
  gatewayIps: readonly string[],
  floatingIps: readonly FloatingIp[],
  floatingPortsByFipId: ReadonlyMap<string, Port> = new Map(),
  settings: NatSettings = {},
): DesiredNat[] {
  const nats: DesiredNat[] = [];
  if (router.external_gateway_info?.enable_snat) {
    const cidrs = [...new Set(attachedSubnets.filter((s) => s.ip_version === 4).map((s) => s.cidr))];
    for (const external_ip of gatewayIps.filter((ip) => ipVersionOf(ip) === 4)) {
      for (const logical_ip of cidrs) {
        nats.push({
          type: "snat",
          logical_ip,
          external_ip,
          logical_port: null,
          external_mac: null,
          options: {},
          external_ids: {},
        });
      }
    }
  }
  for (const fip of floatingIps) {
    if (fip.router_id !== router.id || fip.fixed_ip_address === null || fip.port_id === null) continue;
    const external_ids: Record<string, string> = {
      [EXT_ID.fipId]: fip.id,
      [EXT_ID.revision]: String(fip.revision_number),
      [EXT_ID.fipPortId]: fip.port_id,
      [EXT_ID.routerName]: ovnName(router.id),
      [EXT_ID.fipNetworkId]: fip.floating_network_id,
    };
    const floatingPort = floatingPortsByFipId.get(fip.id);
    if (floatingPort) external_ids[EXT_ID.fipExternalMac] = floatingPort.mac_address;
    nats.push({
      type: "dnat_and_snat",
      logical_ip: fip.fixed_ip_address,
      external_ip: fip.floating_ip_address,
      logical_port: fip.port_id,
      external_mac: null,
      options: { stateless: settings.statelessNat ? "true" : "false" },
      external_ids,
    });
  }
  return nats;
}
