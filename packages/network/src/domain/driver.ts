import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from "./model.js";

/**
 * A read-only view of Neutron's database, the source of truth a mechanism driver programs its
 * backend from. Every method reads committed state.
 */
export interface NeutronView {
  getNetwork(id: string): Promise<Network | undefined>;
  getSubnet(id: string): Promise<Subnet | undefined>;
  getPort(id: string): Promise<Port | undefined>;
  getRouter(id: string): Promise<Router | undefined>;
  getFloatingIp(id: string): Promise<FloatingIp | undefined>;
  getSecurityGroup(id: string): Promise<SecurityGroup | undefined>;
  listNetworks(): Promise<Network[]>;
  /** all subnets, or those of one network */
  listSubnets(filter?: { network_id?: string }): Promise<Subnet[]>;
  /** all ports, or those matching every given field */
  listPorts(filter?: { network_id?: string; device_id?: string; device_owner?: string }): Promise<Port[]>;
  listRouters(): Promise<Router[]>;
  listFloatingIps(filter?: { router_id?: string; port_id?: string }): Promise<FloatingIp[]>;
  listSecurityGroups(): Promise<SecurityGroup[]>;
  listSecurityGroupRules(filter?: { security_group_id?: string }): Promise<SecurityGroupRule[]>;
}

export type ResourceKind =
  | "network"
  | "subnet"
  | "port"
  | "router"
  | "floatingip"
  | "security_group"
  | "security_group_rule";

/** What changed, after it was committed to Neutron's database. */
export type ResourceChange =
  | { kind: "network"; op: "create" | "update" | "delete"; current: Network; previous?: Network }
  | { kind: "subnet"; op: "create" | "update" | "delete"; current: Subnet; previous?: Subnet }
  | { kind: "port"; op: "create" | "update" | "delete"; current: Port; previous?: Port }
  | { kind: "router"; op: "create" | "update" | "delete"; current: Router; previous?: Router }
  | { kind: "floatingip"; op: "create" | "update" | "delete"; current: FloatingIp; previous?: FloatingIp }
  | { kind: "security_group"; op: "create" | "update" | "delete"; current: SecurityGroup; previous?: SecurityGroup }
  | { kind: "security_group_rule"; op: "create" | "delete"; current: SecurityGroupRule };

/**
 * A mechanism driver (Neutron's ML2 term): programs a backend (OVN, or nothing) from committed
 * Neutron state. The in-memory default is a no-op driver; the OVN driver writes OVN_Northbound.
 */
export interface MechanismDriver {
  readonly name: string;
  /**
   * Refuses what the backend cannot do before anything is written (e.g. a network type it has
   * no mapping for). Throws a core error (bad_request/conflict); no side effects.
   */
  validate?(change: ResourceChange, view: NeutronView): Promise<void>;
  /**
   * Applies one committed change. Idempotent: applying the same change twice leaves the backend
   * as once. For a delete, `current` is the last state before the delete. Throws when the backend
   * is unreachable; the caller decides whether to undo the database change.
   */
  apply(change: ResourceChange, view: NeutronView): Promise<void>;
}

/** The driver used when no backend is configured: accepts everything, writes nothing. */
export const NOOP_DRIVER: MechanismDriver = {
  name: "noop",
  async apply(): Promise<void> {},
};
