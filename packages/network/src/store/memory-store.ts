/**
 * The in-memory NeutronStore: maps keyed by id. Records are deep-frozen copies made on the way
 * in, and handed out as they are: callers never share mutable state, and reading (a port create
 * lists every port of its network) costs no copying. `update` gives its callback a mutable copy.
 */
import { conflict, notFound } from "@stratus/core/errors";
import type { QuotaResource } from "../config.js";
import type { ResourceKind } from "../domain/driver.js";
import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from "../domain/model.js";
import type { FieldFilter, IpAllocation, NeutronStore, StoredRecords } from "./store.js";

const copy = <T>(value: T): T => structuredClone(value);

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** A frozen private copy of a record on its way into the store. */
const frozenCopy = <T>(value: T): T => deepFreeze(copy(value));

const matches = (record: object, filter: FieldFilter | undefined): boolean =>
  filter === undefined ||
  Object.entries(filter).every(([k, v]) => v === undefined || (record as Record<string, unknown>)[k] === v);

export class MemoryNeutronStore implements NeutronStore {
  private readonly tables = new Map<ResourceKind, Map<string, unknown>>();
  private readonly allocations = new Map<string, IpAllocation>();
  private readonly segments = new Set<string>();
  private readonly quotas = new Map<string, Partial<Record<QuotaResource, number>>>();

  private table<K extends ResourceKind>(kind: K): Map<string, StoredRecords[K]> {
    let t = this.tables.get(kind);
    if (t === undefined) {
      t = new Map();
      this.tables.set(kind, t);
    }
    return t as Map<string, StoredRecords[K]>;
  }

  async get<K extends ResourceKind>(kind: K, id: string): Promise<StoredRecords[K] | undefined> {
    return this.table(kind).get(id);
  }

  async list<K extends ResourceKind>(kind: K, filter?: FieldFilter): Promise<StoredRecords[K][]> {
    return [...this.table(kind).values()].filter((r) => matches(r, filter));
  }

  async insert<K extends ResourceKind>(kind: K, record: StoredRecords[K]): Promise<void> {
    const t = this.table(kind);
    if (t.has(record.id)) throw conflict(`${kind} ${record.id} already exists.`);
    t.set(record.id, frozenCopy(record));
  }

  async update<K extends ResourceKind>(
    kind: K,
    id: string,
    change: (current: StoredRecords[K]) => StoredRecords[K],
  ): Promise<StoredRecords[K]> {
    const t = this.table(kind);
    const current = t.get(id);
    if (current === undefined) throw notFound(`${kind} ${id} could not be found.`);
    const next = frozenCopy(change(copy(current)));
    t.set(id, next);
    return next;
  }

  async remove<K extends ResourceKind>(kind: K, id: string): Promise<StoredRecords[K] | undefined> {
    const t = this.table(kind);
    const r = t.get(id);
    t.delete(id);
    return r;
  }

  async allocateIp(a: IpAllocation): Promise<boolean> {
    const key = `${a.subnet_id}|${a.ip_address}`;
    if (this.allocations.has(key)) return false;
    this.allocations.set(key, { ...a });
    return true;
  }

  async releaseIp(subnetId: string, ipAddress: string): Promise<void> {
    this.allocations.delete(`${subnetId}|${ipAddress}`);
  }

  async listAllocations(filter: { subnet_id?: string; port_id?: string }): Promise<IpAllocation[]> {
    return [...this.allocations.values()].filter((a) => matches(a, filter)).map((a) => ({ ...a }));
  }

  async claimSegment(key: string): Promise<boolean> {
    if (this.segments.has(key)) return false;
    this.segments.add(key);
    return true;
  }

  async releaseSegment(key: string): Promise<void> {
    this.segments.delete(key);
  }

  async getQuotas(projectId: string): Promise<Partial<Record<QuotaResource, number>>> {
    return { ...this.quotas.get(projectId) };
  }

  async setQuotas(projectId: string, limits: Partial<Record<QuotaResource, number>>): Promise<void> {
    this.quotas.set(projectId, { ...this.quotas.get(projectId), ...limits });
  }

  async deleteQuotas(projectId: string): Promise<void> {
    this.quotas.delete(projectId);
  }

  async listQuotaProjects(): Promise<string[]> {
    return [...this.quotas.keys()];
  }

  // NeutronView
  getNetwork = (id: string): Promise<Network | undefined> => this.get("network", id);
  getSubnet = (id: string): Promise<Subnet | undefined> => this.get("subnet", id);
  getPort = (id: string): Promise<Port | undefined> => this.get("port", id);
  getRouter = (id: string): Promise<Router | undefined> => this.get("router", id);
  getFloatingIp = (id: string): Promise<FloatingIp | undefined> => this.get("floatingip", id);
  async getSecurityGroup(id: string): Promise<SecurityGroup | undefined> {
    const sg = await this.get("security_group", id);
    if (sg === undefined) return undefined;
    return { ...sg, security_group_rules: await this.list("security_group_rule", { security_group_id: id }) };
  }
  listNetworks = (): Promise<Network[]> => this.list("network");
  listSubnets = (filter?: { network_id?: string }): Promise<Subnet[]> => this.list("subnet", filter);
  listPorts = (filter?: { network_id?: string; device_id?: string; device_owner?: string }): Promise<Port[]> =>
    this.list("port", filter);
  listRouters = (): Promise<Router[]> => this.list("router");
  listFloatingIps = (filter?: { router_id?: string; port_id?: string }): Promise<FloatingIp[]> =>
    this.list("floatingip", filter);
  async listSecurityGroups(): Promise<SecurityGroup[]> {
    const rules = await this.list("security_group_rule");
    return (await this.list("security_group")).map((sg) => ({
      ...sg,
      security_group_rules: rules.filter((r) => r.security_group_id === sg.id),
    }));
  }
  listSecurityGroupRules = (filter?: { security_group_id?: string }): Promise<SecurityGroupRule[]> =>
    this.list("security_group_rule", filter);
}
