/**
 * Routing: a Logical_Router per router with its ports (interfaces and the gateway, which gets a
 * Gateway_Chassis so NAT has a place to happen), static routes (the default route through the
 * external subnet's gateway, and extra routes) and NAT (SNAT per attached subnet, DNAT-and-SNAT
 * per floating IP). The router's child rows are rebuilt from Neutron's DB each time.
 */
import type { TxnBuilder } from "@stratus/ovsdb";
import type { FloatingIp, Port, Router, Subnet } from "../domain/model.js";
import { DEVICE_OWNER } from "../domain/model.js";
import { childRows } from "./ensure-sg.js";
import { EXT, lrName, lrpName } from "./names.js";
import { type Columns, reconcileChildren, upsert } from "./reconcile.js";
import { routerPortRow, routerRow } from "./rows.js";

/** What a router's OVN rows are built from, read from Neutron's DB before the transaction. */
export interface RouterState {
  router: Router;
  /** the router's interface and gateway ports */
  ports: readonly Port[];
  /** every subnet those ports have addresses on */
  subnets: ReadonlyMap<string, Subnet>;
  /** floating IPs associated through this router */
  floatingIps: readonly FloatingIp[];
}

export interface L3Options {
  /** chassis name the gateway ports are scheduled to (Gateway_Chassis.chassis_name) */
  gatewayChassis: string;
}

export function ensureRouter(tx: TxnBuilder, s: RouterState, options: L3Options): void {
  const lr = tx.lookup("Logical_Router", "name", lrName(s.router.id))[0];
  const gw = s.ports.find((p) => p.device_owner === DEVICE_OWNER.routerGateway);
  const gwChassis = gw ? gatewayChassis(tx, gw, options.gatewayChassis) : undefined;
  const ports = reconcileChildren(
    tx,
    "Logical_Router_Port",
    childRows(tx, lr, "ports", "Logical_Router_Port"),
    s.ports.map((p) => ({
      ...routerPortRow(p, s.subnets, s.router.id),
      gateway_chassis: p === gw ? gwChassis : [],
    })),
    (c) => String(c.name),
  );
  const routes = reconcileChildren(
    tx,
    "Logical_Router_Static_Route",
    childRows(tx, lr, "static_routes", "Logical_Router_Static_Route"),
    staticRoutes(s, gw),
    (c) => `${String(c.ip_prefix)}>${String(c.nexthop)}`,
  );
  const nat = reconcileChildren(
    tx,
    "NAT",
    childRows(tx, lr, "nat", "NAT"),
    natRows(s, gw),
    (c) => `${String(c.type)}|${String(c.logical_ip)}|${String(c.external_ip)}`,
  );
  upsert(tx, "Logical_Router", lr, {
    ...routerRow(s.router, gw?.id),
    ports: ports.refs,
    static_routes: routes.refs,
    nat: nat.refs,
  });
}

export function deleteRouter(tx: TxnBuilder, routerId: string): void {
  const lr = tx.lookup("Logical_Router", "name", lrName(routerId))[0];
  if (lr) tx.delete("Logical_Router", lr._uuid);
}

/** The gateway port's Gateway_Chassis rows (one, on the configured chassis), as refs for the port. */
function gatewayChassis(tx: TxnBuilder, gw: Port, chassis: string) {
  const lrp = tx.lookup("Logical_Router_Port", "name", lrpName(gw.id))[0];
  const name = `${lrpName(gw.id)}_${chassis}`;
  const existing = childRows(tx, lrp, "gateway_chassis", "Gateway_Chassis");
  return reconcileChildren(tx, "Gateway_Chassis", existing, [{ name, chassis_name: chassis, priority: 1 }], (c) =>
    String(c.name),
  ).refs;
}

function v4(subnets: ReadonlyMap<string, Subnet>, p: Port): { ip: string; subnet: Subnet }[] {
  return p.fixed_ips.flatMap((f) => {
    const subnet = subnets.get(f.subnet_id);
    return subnet?.ip_version === 4 ? [{ ip: f.ip_address, subnet }] : [];
  });
}

function staticRoutes(s: RouterState, gw: Port | undefined): Columns[] {
  const out: Columns[] = [];
  if (gw) {
    for (const { subnet } of v4(s.subnets, gw)) {
      if (!subnet.gateway_ip) continue;
      out.push({
        ip_prefix: "0.0.0.0/0",
        nexthop: subnet.gateway_ip,
        external_ids: { [EXT.isExtGw]: "true", [EXT.subnetId]: subnet.id },
      });
    }
  }
  for (const r of s.router.routes) out.push({ ip_prefix: r.destination, nexthop: r.nexthop, external_ids: {} });
  return out;
}

function natRows(s: RouterState, gw: Port | undefined): Columns[] {
  const out: Columns[] = [];
  if (!gw) return out;
  const gwIp = v4(s.subnets, gw)[0]?.ip;
  if (!gwIp) return out;
  const routerName = lrName(s.router.id);
  if (s.router.external_gateway_info?.enable_snat !== false) {
    for (const p of s.ports) {
      if (p.device_owner !== DEVICE_OWNER.routerInterface) continue;
      for (const { subnet } of v4(s.subnets, p)) {
        out.push({
          type: "snat",
          logical_ip: subnet.cidr,
          external_ip: gwIp,
          external_ids: { [EXT.routerName]: routerName },
        });
      }
    }
  }
  for (const fip of s.floatingIps) {
    if (!fip.port_id || !fip.fixed_ip_address) continue;
    out.push({
      type: "dnat_and_snat",
      logical_ip: fip.fixed_ip_address,
      external_ip: fip.floating_ip_address,
      external_ids: {
        [EXT.fipId]: fip.id,
        [EXT.fipPortId]: fip.port_id,
        [EXT.fipNetworkId]: fip.floating_network_id,
        [EXT.revision]: String(fip.revision_number),
        [EXT.routerName]: routerName,
      },
    });
  }
  return out;
}
