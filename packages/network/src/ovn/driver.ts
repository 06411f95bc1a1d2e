/**
 * The OVN mechanism driver: programs OVN_Northbound from Neutron's committed state through
 * @stratus/ovsdb. Each change is applied as one conditional transaction that rebuilds the rows
 * the changed object owns from Neutron's DB (so a replayed or reordered change writes nothing
 * stale, and rows carry `neutron:revision_number`).
 */
import { backendUnavailable, badRequest } from "@stratus/core/errors";
import { assertSchema, OvsdbClient as Client, type OvsdbClient, parseSchema, type TxnBuilder } from "@stratus/ovsdb";
import { OVN_NORTHBOUND_SCHEMA } from "@stratus/ovsdb/ovn";
import type { MechanismDriver, NeutronView, ResourceChange } from "../domain/driver.js";
import { DEVICE_OWNER, type Network, type Port, type Subnet } from "../domain/model.js";
import {
  deleteNetwork,
  deletePort,
  deleteSubnetDhcp,
  ensureNetwork,
  ensurePort,
  ensureSubnetDhcp,
} from "./ensure-l2.js";
import { deleteRouter, ensureRouter, type L3Options, type RouterState } from "./ensure-l3.js";
import { deleteSecurityGroup, ensureDropGroup, ensureSecurityGroup } from "./ensure-sg.js";
import { EXT, pgName } from "./names.js";

/** The NB tables the driver reads and writes (its replica holds just these). */
export const OVN_DRIVER_TABLES = [
  "Logical_Switch",
  "Logical_Switch_Port",
  "DHCP_Options",
  "Logical_Router",
  "Logical_Router_Port",
  "Logical_Router_Static_Route",
  "NAT",
  "Gateway_Chassis",
  "Port_Group",
  "ACL",
] as const;

export interface OvnDriverOptions extends Partial<L3Options> {
  /** OVN_Northbound remotes, e.g. `tcp:127.0.0.1:6641` or a cluster's comma-separated list. */
  nbConnection: string;
  log?: (line: string) => void;
  /** How long a request waits for OVN when it is unreachable (default 10 s). */
  requestTimeoutMs?: number;
}

/** Connects the replica and defines the lookups the driver uses. */
export async function connectNorthbound(options: OvnDriverOptions): Promise<OvsdbClient> {
  const client = await Client.connect({
    database: "OVN_Northbound",
    endpoints: options.nbConnection,
    schema: OVN_NORTHBOUND_SCHEMA,
    parseSchema,
    checkSchema: assertSchema,
    tables: Object.fromEntries(OVN_DRIVER_TABLES.map((t) => [t, true as const])),
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    ...(options.log && { log: options.log }),
  });
  const r = client.replica;
  r.table("DHCP_Options").defineIndex("subnet_id_key", {
    keys: (row) => {
      const id = (row.external_ids as Record<string, string>)[EXT.dhcpSubnetId];
      return id === undefined ? [] : [id];
    },
    where: (v) => ["external_ids", "includes", ["map", [[EXT.dhcpSubnetId, String(v)]]]],
  });
  for (const table of ["Logical_Switch", "Port_Group"]) {
    r.table(table).defineIndex("ports_member", {
      keys: (row) => row.ports as readonly string[],
      where: (v) => ["ports", "includes", ["set", [["uuid", String(v)]]]],
    });
  }
  return client;
}

export class OvnMechanismDriver implements MechanismDriver {
  readonly name = "ovn";
  private readonly l3: L3Options;

  /** The gateway scheduling options (for sync, which rebuilds routers the same way). */
  get l3Options(): L3Options {
    return this.l3;
  }

  constructor(
    readonly client: OvsdbClient,
    options: Partial<L3Options> = {},
  ) {
    this.l3 = { gatewayChassis: options.gatewayChassis ?? "stratus-gateway" };
  }

  /** Connects to OVN_Northbound and makes sure the drop group exists. */
  static async connect(options: OvnDriverOptions): Promise<OvnMechanismDriver> {
    const client = await connectNorthbound(options);
    const driver = new OvnMechanismDriver(client, options);
    await driver.write((tx) => void ensureDropGroup(tx));
    return driver;
  }

  async validate(change: ResourceChange): Promise<void> {
    if (change.kind === "network" && change.op !== "delete") {
      const type = change.current["provider:network_type"];
      if (type !== "geneve" && type !== "vlan" && type !== "flat") {
        throw badRequest(`Network type ${type} is not supported by the OVN mechanism driver (geneve, vlan, flat).`);
      }
    }
  }

  async apply(change: ResourceChange, view: NeutronView): Promise<void> {
    switch (change.kind) {
      case "network":
        return change.op === "delete"
          ? this.write((tx) => deleteNetwork(tx, change.current))
          : this.write((tx) => void ensureNetwork(tx, change.current));
      case "subnet":
        return this.subnetChanged(change.current, change.op === "delete", view);
      case "port":
        return this.portChanged(change.current, change.op === "delete", view, change.previous);
      case "router":
        return this.syncRouter(change.current.id, view);
      case "floatingip": {
        const routers = new Set([change.current.router_id, change.previous?.router_id].filter((x): x is string => !!x));
        for (const id of routers) await this.syncRouter(id, view);
        return;
      }
      case "security_group":
        return change.op === "delete"
          ? this.write((tx) => deleteSecurityGroup(tx, change.current.id))
          : this.syncSecurityGroup(change.current.id, view);
      case "security_group_rule":
        return this.syncSecurityGroup(change.current.security_group_id, view);
    }
  }

  /** Rebuilds one network's switch, DHCP options and ports from Neutron's DB. */
  async syncNetwork(networkId: string, view: NeutronView): Promise<void> {
    const net = await view.getNetwork(networkId);
    if (!net) return;
    const subnets = await view.listSubnets({ network_id: net.id });
    const ports = await view.listPorts({ network_id: net.id });
    const byId = new Map(subnets.map((s) => [s.id, s]));
    await this.write((tx) => {
      ensureNetwork(tx, net);
      for (const s of subnets) ensureSubnetDhcp(tx, s, net);
    });
    await this.write((tx) => {
      for (const p of ports) ensurePort(tx, p, net, byId);
    });
  }

  /** Rebuilds one router's rows from Neutron's DB (deleting them when the router is gone). */
  async syncRouter(routerId: string, view: NeutronView): Promise<void> {
    const state = await this.routerState(routerId, view);
    await this.write((tx) => (state ? ensureRouter(tx, state, this.l3) : deleteRouter(tx, routerId)));
  }

  /** Rebuilds one security group's port group and ACLs (deleting them when the group is gone). */
  async syncSecurityGroup(sgId: string, view: NeutronView): Promise<void> {
    const sg = await view.getSecurityGroup(sgId);
    const rules = sg ? await view.listSecurityGroupRules({ security_group_id: sgId }) : [];
    await this.write((tx) => (sg ? void ensureSecurityGroup(tx, sg, rules) : deleteSecurityGroup(tx, sgId)));
  }

  /** Everything a router's rows are built from; undefined when the router is gone. */
  async routerState(routerId: string, view: NeutronView): Promise<RouterState | undefined> {
    const router = await view.getRouter(routerId);
    if (!router) return undefined;
    const ports = (await view.listPorts({ device_id: routerId })).filter(isRouterPort);
    const subnets = new Map<string, Subnet>();
    for (const p of ports) {
      for (const f of p.fixed_ips) {
        if (subnets.has(f.subnet_id)) continue;
        const s = await view.getSubnet(f.subnet_id);
        if (s) subnets.set(s.id, s);
      }
    }
    const floatingIps = await view.listFloatingIps({ router_id: routerId });
    const networks = new Map<string, Network>();
    for (const p of ports) {
      if (networks.has(p.network_id)) continue;
      const n = await view.getNetwork(p.network_id);
      if (n) networks.set(n.id, n);
    }
    return { router, ports, subnets, networks, floatingIps };
  }

  /** Closes the OVSDB connection. */
  close(): void {
    this.client.close();
  }

  private async subnetChanged(subnet: Subnet, deleted: boolean, view: NeutronView): Promise<void> {
    const net = await view.getNetwork(subnet.network_id);
    const ports = net ? await view.listPorts({ network_id: net.id }) : [];
    const subnets = new Map((await view.listSubnets({ network_id: subnet.network_id })).map((s) => [s.id, s]));
    await this.write((tx) => {
      if (deleted || !net) deleteSubnetDhcp(tx, subnet.id);
      else ensureSubnetDhcp(tx, subnet, net);
    });
    if (!net) return;
    const affected = ports.filter((p) => p.fixed_ips.some((f) => f.subnet_id === subnet.id));
    if (affected.length > 0)
      await this.write((tx) => {
        for (const p of affected) ensurePort(tx, p, net, subnets);
      });
    for (const routerId of new Set(affected.filter(isRouterPort).map((p) => p.device_id)))
      await this.syncRouter(routerId, view);
  }

  private async portChanged(port: Port, deleted: boolean, view: NeutronView, previous?: Port): Promise<void> {
    if (deleted) await this.write((tx) => deletePort(tx, port));
    else {
      const net = await view.getNetwork(port.network_id);
      if (!net) return;
      const subnets = new Map((await view.listSubnets({ network_id: net.id })).map((s) => [s.id, s]));
      for (const sgId of port.security_groups) {
        // a port may name a group whose port group was never written (e.g. after drift)
        await this.syncSecurityGroupIfMissing(sgId, view);
      }
      await this.write((tx) => ensurePort(tx, port, net, subnets));
    }
    const routers = new Set([port, previous].filter((p): p is Port => !!p && isRouterPort(p)).map((p) => p.device_id));
    for (const id of routers) if (id) await this.syncRouter(id, view);
    // floating IPs on this port are translated by its router
    if (!deleted)
      for (const fip of await view.listFloatingIps({ port_id: port.id }))
        if (fip.router_id) await this.syncRouter(fip.router_id, view);
  }

  private async syncSecurityGroupIfMissing(sgId: string, view: NeutronView): Promise<void> {
    const pg = this.client.replica.table("Port_Group").lookupOne("name", pgName(sgId));
    if (!pg || (pg.acls as readonly string[]).length === 0) await this.syncSecurityGroup(sgId, view);
  }

  /** One conditional transaction; OVN being unreachable becomes a 503-class error. */
  async write(fn: (tx: TxnBuilder) => void): Promise<void> {
    try {
      await this.client.transaction(fn, { comment: "stratus network" });
    } catch (err) {
      const e = err as Error;
      if (e.name === "ConnectionClosedError") throw backendUnavailable(`OVN Northbound is unreachable: ${e.message}`);
      throw err;
    }
  }
}

function isRouterPort(p: Port): boolean {
  return p.device_owner === DEVICE_OWNER.routerInterface || p.device_owner === DEVICE_OWNER.routerGateway;
}
