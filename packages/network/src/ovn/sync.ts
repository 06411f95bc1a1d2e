/**
 * Neutron ⇄ OVN_Northbound drift: compares what Neutron's DB says OVN should hold with what it
 * holds, object by object, and reports (mode "log") or repairs (mode "repair") three kinds of
 * drift: missing rows, stale rows (a column differs, a port is outside its groups, …) and extra
 * rows (Neutron-named rows whose Neutron object is gone). The comparison is a dry run of the same
 * functions the driver writes with, so sync and the driver can never disagree on the desired rows.
 */
import { schemaCodec, TxnBuilder } from "@stratus/ovsdb";
import type { NeutronView } from "../domain/driver.js";
import type { OvnMechanismDriver } from "./driver.js";
import { ensureNetwork, ensurePort, ensureSubnetDhcp } from "./ensure-l2.js";
import { ensureRouter } from "./ensure-l3.js";
import { ensureDropGroup, ensureSecurityGroup } from "./ensure-sg.js";
import { EXT, localnetName, lrName, lsName, PG_DROP, pgName } from "./names.js";

export type SyncMode = "log" | "repair";

export interface SyncFinding {
  kind: "missing" | "stale" | "extra";
  /** e.g. `network 5f…`, `Logical_Switch neutron-5f…` */
  what: string;
}

export interface SyncReport {
  mode: SyncMode;
  findings: SyncFinding[];
  /** transactions written (repair mode) */
  repaired: number;
}

type Step = { what: string; exists: boolean; build: (tx: TxnBuilder) => void };

/** Compares Neutron's DB with OVN_Northbound; in repair mode, rewrites what differs. */
export async function syncOvn(driver: OvnMechanismDriver, view: NeutronView, mode: SyncMode): Promise<SyncReport> {
  const replica = driver.client.replica;
  const has = (table: string, name: string) => replica.table(table).lookupOne("name", name) !== undefined;
  const steps: Step[] = [
    { what: `port group ${PG_DROP}`, exists: has("Port_Group", PG_DROP), build: (tx) => void ensureDropGroup(tx) },
  ];

  const networks = await view.listNetworks();
  const subnets = await view.listSubnets();
  const ports = await view.listPorts();
  const groups = await view.listSecurityGroups();
  const routers = await view.listRouters();
  for (const sg of groups) {
    const rules = await view.listSecurityGroupRules({ security_group_id: sg.id });
    steps.push({
      what: `security group ${sg.id}`,
      exists: has("Port_Group", pgName(sg.id)),
      build: (tx) => void ensureSecurityGroup(tx, sg, rules),
    });
  }
  for (const net of networks) {
    const own = new Map(subnets.filter((s) => s.network_id === net.id).map((s) => [s.id, s]));
    steps.push({
      what: `network ${net.id}`,
      exists: has("Logical_Switch", lsName(net.id)),
      build: (tx) => void ensureNetwork(tx, net),
    });
    for (const s of own.values()) {
      const dhcp = replica.table("DHCP_Options").lookup("subnet_id_key", s.id).length > 0;
      steps.push({
        what: `subnet ${s.id}`,
        exists: dhcp || !s.enable_dhcp,
        build: (tx) => ensureSubnetDhcp(tx, s, net),
      });
    }
    for (const p of ports.filter((x) => x.network_id === net.id)) {
      steps.push({
        what: `port ${p.id}`,
        exists: has("Logical_Switch_Port", p.id),
        build: (tx) => ensurePort(tx, p, net, own),
      });
    }
  }
  for (const r of routers) {
    const state = await driver.routerState(r.id, view);
    if (state)
      steps.push({
        what: `router ${r.id}`,
        exists: has("Logical_Router", lrName(r.id)),
        build: (tx) => ensureRouter(tx, state, driver.l3Options),
      });
  }

  const findings: SyncFinding[] = [];
  let repaired = 0;
  const codec = () => schemaCodec(driver.client.databaseSchema);
  for (const step of steps) {
    const dry = new TxnBuilder(replica, codec());
    step.build(dry);
    if (dry.empty) continue;
    findings.push({ kind: step.exists ? "stale" : "missing", what: step.what });
    if (mode === "repair") {
      await driver.write(step.build);
      repaired++;
    }
  }

  // Extra rows: Neutron-named rows whose Neutron object is gone.
  const netIds = new Set(networks.map((n) => n.id));
  const portIds = new Set(ports.map((p) => p.id));
  const subnetIds = new Set(subnets.map((s) => s.id));
  const routerIds = new Set(routers.map((r) => r.id));
  const sgIds = new Set(groups.map((g) => g.id));
  const extra: {
    what: string;
    table: string;
    uuid: string;
    parent?: { table: string; uuid: string; column: string };
  }[] = [];
  for (const ls of replica.table("Logical_Switch").values()) {
    const name = String(ls.name);
    if (!name.startsWith("neutron-")) continue;
    const netId = name.slice("neutron-".length);
    if (!netIds.has(netId)) {
      extra.push({ what: `Logical_Switch ${name}`, table: "Logical_Switch", uuid: ls._uuid });
      continue;
    }
    for (const uuid of ls.ports as readonly string[]) {
      const lsp = replica.table("Logical_Switch_Port").get(uuid);
      if (!lsp || portIds.has(String(lsp.name)) || lsp.name === localnetName(netId)) continue;
      extra.push({
        what: `Logical_Switch_Port ${String(lsp.name)}`,
        table: "Logical_Switch_Port",
        uuid,
        parent: { table: "Logical_Switch", uuid: ls._uuid, column: "ports" },
      });
    }
  }
  for (const lr of replica.table("Logical_Router").values()) {
    const name = String(lr.name);
    if (name.startsWith("neutron-") && !routerIds.has(name.slice("neutron-".length))) {
      extra.push({ what: `Logical_Router ${name}`, table: "Logical_Router", uuid: lr._uuid });
    }
  }
  for (const pg of replica.table("Port_Group").values()) {
    const sgId = (pg.external_ids as Record<string, string>)[EXT.securityGroupId];
    if (sgId !== undefined && !sgIds.has(sgId))
      extra.push({ what: `Port_Group ${String(pg.name)}`, table: "Port_Group", uuid: pg._uuid });
  }
  for (const d of replica.table("DHCP_Options").values()) {
    const subnetId = (d.external_ids as Record<string, string>)[EXT.dhcpSubnetId];
    if (subnetId !== undefined && !subnetIds.has(subnetId))
      extra.push({ what: `DHCP_Options of subnet ${subnetId}`, table: "DHCP_Options", uuid: d._uuid });
  }
  for (const x of extra) {
    findings.push({ kind: "extra", what: x.what });
    if (mode !== "repair") continue;
    await driver.write((tx) => {
      if (x.parent) tx.mutate(x.parent.table, x.parent.uuid, [[x.parent.column, "delete", [x.uuid]]]);
      else tx.delete(x.table, x.uuid);
    });
    repaired++;
  }
  return { mode, findings, repaired };
}
