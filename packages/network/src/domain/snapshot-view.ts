/**
 * A NeutronView over lists read once (e.g. from a Neutron API as admin): lets the OVN sync run
 * against any Neutron's state, not only an in-process store.
 */
import type { NeutronView } from "./driver.js";
import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from "./model.js";

export interface NeutronSnapshot {
  networks: Network[];
  subnets: Subnet[];
  ports: Port[];
  routers: Router[];
  floatingips: FloatingIp[];
  security_groups: SecurityGroup[];
  security_group_rules: SecurityGroupRule[];
}

const where = <T>(rows: readonly T[], filter: Readonly<Record<string, unknown>> | undefined): T[] =>
  rows.filter((r) =>
    Object.entries(filter ?? {}).every(([k, v]) => v === undefined || (r as Record<string, unknown>)[k] === v),
  );

export class SnapshotView implements NeutronView {
  constructor(private readonly s: NeutronSnapshot) {}

  getNetwork = async (id: string) => this.s.networks.find((x) => x.id === id);
  getSubnet = async (id: string) => this.s.subnets.find((x) => x.id === id);
  getPort = async (id: string) => this.s.ports.find((x) => x.id === id);
  getRouter = async (id: string) => this.s.routers.find((x) => x.id === id);
  getFloatingIp = async (id: string) => this.s.floatingips.find((x) => x.id === id);
  getSecurityGroup = async (id: string) => this.s.security_groups.find((x) => x.id === id);
  listNetworks = async () => [...this.s.networks];
  listSubnets = async (f?: { network_id?: string }) => where(this.s.subnets, f);
  listPorts = async (f?: { network_id?: string; device_id?: string; device_owner?: string }) => where(this.s.ports, f);
  listRouters = async () => [...this.s.routers];
  listFloatingIps = async (f?: { router_id?: string; port_id?: string }) => where(this.s.floatingips, f);
  listSecurityGroups = async () => [...this.s.security_groups];
  listSecurityGroupRules = async (f?: { security_group_id?: string }) => where(this.s.security_group_rules, f);
}
