/**
 * Routing: a Logical_Router per router with its ports (interfaces and the gateway, which gets a
 * Gateway_Chassis so NAT has a place to happen), static routes (the default route through the
 * external subnet's gateway, and extra routes) and NAT (SNAT per attached subnet, DNAT-and-SNAT
 * per floating IP). The router's child rows are rebuilt from Neutron's DB each time.
 */
import type { TxnBuilder } from "@stratus/ovsdb";
import type { FloatingIp, Network, Port, Router, Subnet } from "../domain/model.js";
import { DEVICE_OWNER } from "../domain/model.js";
import { desiredNats, desiredStaticRoutes } from "./desired/index.js";
import { childRows } from "./ensure-sg.js";
import { lrName, lrpName } from "./names.js";
import { type Columns, reconcileChildren, upsert } from "./reconcile.js";
import { routerPortRow, routerRow } from "./rows.js";

/** What a router's OVN rows are built from, read from Neutron's DB before the transaction. */
export interface RouterState {
  router: Router;
  /** the router's interface and gateway ports */
  ports: readonly Port[];
  /** every subnet those ports have addresses on */
  subnets: ReadonlyMap<string, Subnet>;
  /** the networks of those ports */
  networks: ReadonlyMap<string, Network>;
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
  const gwChassis = gw ? gatewayChassis(tx, gw, options.gatewayChassis) : [];
  const ports = reconcileChildren(
    tx,
    "Logical_Router_Port",
    childRows(tx, lr, "ports", "Logical_Router_Port"),
    s.ports.flatMap((p) => {
      const network = s.networks.get(p.network_id);
      if (!network) return [];
      return [
        { ...routerPortRow(p, s.subnets, s.router.id, network, p === gw), gateway_chassis: p === gw ? gwChassis : [] },
      ];
    }),
    (c) => String(c.name),
  );
  const gwSubnets = gw ? subnetsOf(s, gw) : [];
  const routes = reconcileChildren(
    tx,
    "Logical_Router_Static_Route",
    childRows(tx, lr, "static_routes", "Logical_Router_Static_Route"),
    desiredStaticRoutes(s.router, gwSubnets).map((r) => ({ ...r }) as Columns),
    (c) => `${String(c.ip_prefix)}>${String(c.nexthop)}`,
  );
  const attached = s.ports
    .filter((p) => p.device_owner === DEVICE_OWNER.routerInterface)
    .flatMap((p) => subnetsOf(s, p));
  const gatewayIps = gw ? gw.fixed_ips.map((f) => f.ip_address) : [];
  const nats = gw ? desiredNats(s.router, attached, gatewayIps, s.floatingIps) : [];
  const nat = reconcileChildren(
    tx,
    "NAT",
    childRows(tx, lr, "nat", "NAT"),
    nats.map((n) => ({ ...n }) as Columns),
    (c) => `${String(c.type)}|${String(c.logical_ip)}|${String(c.external_ip)}`,
  );
  upsert(tx, "Logical_Router", lr, {
    ...routerRow(s.router),
    ports: ports.refs,
    static_routes: routes.refs,
    nat: nat.refs,
  });
}

function subnetsOf(s: RouterState, p: Port): Subnet[] {
  return p.fixed_ips.flatMap((f) => {
    const subnet = s.subnets.get(f.subnet_id);
    return subnet ? [subnet] : [];
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
