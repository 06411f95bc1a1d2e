/**
 * Switching: networks, subnets (DHCP) and ports, written inside one OVSDB transaction each. Every
 * function takes what it needs from Neutron's DB as arguments (read before the transaction, since
 * a transaction function may run again) and makes OVN_Northbound match it.
 */
import type { Row, TxnBuilder } from "@stratus/ovsdb";
import type { Network, Port, Subnet } from "../domain/model.js";
import { ensurePortGroupMembership } from "./ensure-sg.js";
import { EXT, localnetName, lsName } from "./names.js";
import { upsert } from "./reconcile.js";
import { dhcpOptionsRow, localnetRow, switchPort, switchRow } from "./rows.js";

/** Makes the network's Logical_Switch (and localnet port) match; returns the switch's uuid or ref. */
export function ensureNetwork(tx: TxnBuilder, net: Network) {
  const existing = tx.lookup("Logical_Switch", "name", lsName(net.id))[0];
  const lnName = localnetName(net.id);
  const ln = localnetRow(net);
  const lnRow = tx.lookup("Logical_Switch_Port", "name", lnName)[0];
  if (!existing) {
    const ports = ln ? [upsert(tx, "Logical_Switch_Port", lnRow, ln).ref] : [];
    return tx.insert("Logical_Switch", { ...switchRow(net), ports });
  }
  upsert(tx, "Logical_Switch", existing, switchRow(net));
  const ports = existing.ports as readonly string[];
  if (ln) {
    const { ref } = upsert(tx, "Logical_Switch_Port", lnRow, ln);
    if (!lnRow || !ports.includes(lnRow._uuid))
      tx.mutate("Logical_Switch", existing._uuid, [["ports", "insert", [ref]]]);
  } else if (lnRow && ports.includes(lnRow._uuid)) {
    tx.mutate("Logical_Switch", existing._uuid, [["ports", "delete", [lnRow._uuid]]]);
  }
  return existing._uuid;
}

/** Deletes the network's switch (its ports go with it) and the DHCP options of its subnets. */
export function deleteNetwork(tx: TxnBuilder, net: Network): void {
  const ls = tx.lookup("Logical_Switch", "name", lsName(net.id))[0];
  if (ls) tx.delete("Logical_Switch", ls._uuid);
  for (const subnetId of net.subnets) deleteSubnetDhcp(tx, subnetId);
}

/** The DHCP_Options rows Neutron wrote for a subnet (normally one). */
export function dhcpRowsOf(tx: TxnBuilder, subnetId: string): Row[] {
  return tx.lookup("DHCP_Options", "subnet_id_key", subnetId);
}

/** A stable server MAC per subnet, in Neutron's fa:16:3e range. */
export function serverMacFor(subnetId: string): string {
  const hex = subnetId.replaceAll("-", "");
  return `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}

/** Makes the subnet's DHCP_Options match (or removes them when DHCP is off / SLAAC). */
export function ensureSubnetDhcp(tx: TxnBuilder, subnet: Subnet, net: Network): void {
  const rows = dhcpRowsOf(tx, subnet.id);
  const desired = dhcpOptionsRow(subnet, net, serverMacFor(subnet.id));
  if (!desired) {
    for (const r of rows) tx.delete("DHCP_Options", r._uuid);
    return;
  }
  upsert(tx, "DHCP_Options", rows[0], desired);
  for (const extra of rows.slice(1)) tx.delete("DHCP_Options", extra._uuid);
}

export function deleteSubnetDhcp(tx: TxnBuilder, subnetId: string): void {
  for (const r of dhcpRowsOf(tx, subnetId)) tx.delete("DHCP_Options", r._uuid);
}

/**
 * Makes the port's Logical_Switch_Port match, in its network's switch, with DHCP option references
 * and port group membership. Creates the switch first if it is missing.
 */
export function ensurePort(tx: TxnBuilder, port: Port, net: Network, subnets: ReadonlyMap<string, Subnet>): void {
  const desired = switchPort(port, net, subnets);
  if (!desired) {
    // a port OVN does not model (a floating IP's): make sure none is left behind
    deletePort(tx, port);
    return;
  }
  const lsRow = tx.lookup("Logical_Switch", "name", lsName(net.id))[0];
  const lsRef = lsRow ? lsRow._uuid : ensureNetwork(tx, net);
  const dhcp = (subnetId: string | null) => (subnetId === null ? null : (dhcpRowsOf(tx, subnetId)[0]?._uuid ?? null));
  const row = {
    ...desired.row,
    dhcpv4_options: dhcp(desired.dhcpv4Subnet),
    dhcpv6_options: dhcp(desired.dhcpv6Subnet),
  };
  const existing = tx.lookup("Logical_Switch_Port", "name", port.id)[0];
  const { ref } = upsert(tx, "Logical_Switch_Port", existing, row);
  const inSwitch =
    lsRow &&
    existing &&
    tx.lookup("Logical_Switch", "ports_member", existing._uuid).some((l) => l._uuid === lsRow._uuid);
  if (!inSwitch) tx.mutate("Logical_Switch", lsRef, [["ports", "insert", [ref]]]);
  ensurePortGroupMembership(tx, port, desired.portGroups, ref, existing?._uuid);
}

/** Removes the port's Logical_Switch_Port from its switch (OVN then deletes it). */
export function deletePort(tx: TxnBuilder, port: Port): void {
  const lsp = tx.lookup("Logical_Switch_Port", "name", port.id)[0];
  if (!lsp) return;
  const ls = tx.lookup("Logical_Switch", "name", lsName(port.network_id))[0];
  if (ls) tx.mutate("Logical_Switch", ls._uuid, [["ports", "delete", [lsp._uuid]]]);
  // a port left in another switch (never in Neutron, but after drift) is removed from there too
  for (const other of tx.lookup("Logical_Switch", "ports_member", lsp._uuid)) {
    if (other._uuid !== ls?._uuid) tx.mutate("Logical_Switch", other._uuid, [["ports", "delete", [lsp._uuid]]]);
  }
}
