/**
 * The port attributes that are not addresses: binding (vif_type from the host), allowed address
 * pairs, port security and security groups, as Neutron checks them. Pure.
 */
import { invalidInput, neutronError } from "../domain/faults.js";
import { canonicalIp, formatCidr, parseCidr } from "../domain/ip.js";
import { canonicalMac } from "../domain/mac.js";
import type { AddressPair, Port } from "../domain/model.js";

export const VNIC_TYPES = [
  "normal",
  "direct",
  "macvtap",
  "baremetal",
  "direct-physical",
  "virtio-forwarder",
  "smart-nic",
  "vdpa",
  "remote-managed",
] as const;

/** vif_type/vif_details for a host: "ovs" with OVN's details when bound, "unbound" otherwise. */
export function bindingFor(hostId: string): Pick<Port, "binding:vif_type" | "binding:vif_details"> {
  if (hostId === "") return { "binding:vif_type": "unbound", "binding:vif_details": {} };
  return {
    "binding:vif_type": "ovs",
    "binding:vif_details": { port_filter: true, connectivity: "l2", bridge_name: "br-int", datapath_type: "system" },
  };
}

/** Canonical pairs (mac defaults to the port's); 400 for bad values or duplicates. */
export function addressPairs(
  pairs: readonly { ip_address: string; mac_address?: string | undefined }[],
  portMac: string,
): AddressPair[] {
  const out: AddressPair[] = [];
  for (const p of pairs) {
    const ip = p.ip_address.includes("/")
      ? (() => {
          const c = parseCidr(p.ip_address);
          return c === null
            ? null
            : c.prefix === (c.version === 4 ? 32 : 128)
              ? canonicalIp(p.ip_address.split("/")[0] ?? "")
              : formatCidr(c);
        })()
      : canonicalIp(p.ip_address);
    if (ip === null) throw invalidInput(`'${p.ip_address}' is not a valid IP address`);
    const mac = p.mac_address === undefined ? portMac : canonicalMac(p.mac_address);
    if (mac === null) throw invalidInput(`'${p.mac_address}' is not a valid MAC address`);
    if (out.some((o) => o.ip_address === ip && o.mac_address === mac))
      throw neutronError(
        "bad_request",
        "DuplicateAddressPairInRequest",
        `Request contains duplicate address pair: mac_address ${mac} ip_address ${ip}.`,
      );
    out.push({ ip_address: ip, mac_address: mac });
  }
  return out;
}

/**
 * Neutron's port-security rules: security groups need port security and an address (400
 * PortSecurityAndIPRequiredForSecurityGroups); address pairs need port security (409
 * AddressPairAndPortSecurityRequired).
 */
export function checkPortSecurity(
  port: Pick<Port, "port_security_enabled" | "security_groups" | "allowed_address_pairs" | "fixed_ips">,
): void {
  if (port.security_groups.length > 0 && (!port.port_security_enabled || port.fixed_ips.length === 0))
    throw neutronError(
      "bad_request",
      "PortSecurityAndIPRequiredForSecurityGroups",
      "Port security must be enabled and port must have an IP address in order to use security groups.",
    );
  if (port.allowed_address_pairs.length > 0 && !port.port_security_enabled)
    throw neutronError(
      "conflict",
      "AddressPairAndPortSecurityRequired",
      "Port Security must be enabled in order to have allowed address pairs on a port.",
    );
}

/** Whether Neutron itself owns a port of this device_owner (no default security group for those). */
export const isNetworkOwned = (deviceOwner: string): boolean => deviceOwner.startsWith("network:");
