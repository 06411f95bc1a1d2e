/**
 * The port Neutron's records live behind: one table per resource kind, IP allocations with a
 * uniqueness guarantee, segment claims and quota overrides. The memory store is the fake; an SQL
 * store must pass the same contract suite (`runNeutronStoreContract`).
 */
import type { QuotaResource } from "../config.js";
import type { NeutronView, ResourceKind } from "../domain/driver.js";
import type { FloatingIp, Network, Port, Router, SecurityGroup, SecurityGroupRule, Subnet } from "../domain/model.js";

/** The record each kind stores (a security group is stored without its rules). */
export interface StoredRecords {
  network: Network;
  subnet: Subnet;
  port: Port;
  router: Router;
  floatingip: FloatingIp;
  security_group: SecurityGroup;
  security_group_rule: SecurityGroupRule;
}

/** Field equality filter: a record matches when each given field equals the value. */
export type FieldFilter = Readonly<Record<string, string | number | boolean | null>>;

/** One address of a subnet held by a port (Neutron's ipallocations table). */
export interface IpAllocation {
  readonly subnet_id: string;
  readonly ip_address: string;
  readonly port_id: string;
}

export interface NeutronStore extends NeutronView {
  /** The record, or undefined. Returns a copy the caller may keep. */
  get<K extends ResourceKind>(kind: K, id: string): Promise<StoredRecords[K] | undefined>;
  /** Records of `kind` matching every field of `filter`, in creation order. */
  list<K extends ResourceKind>(kind: K, filter?: FieldFilter): Promise<StoredRecords[K][]>;
  /** Adds a record; throws `conflict` when the id exists. */
  insert<K extends ResourceKind>(kind: K, record: StoredRecords[K]): Promise<void>;
  /**
   * Replaces a record with `change(current)`; throws `not_found` when missing; nothing is written
   * when `change` throws. Returns the new record.
   */
  update<K extends ResourceKind>(
    kind: K,
    id: string,
    change: (current: StoredRecords[K]) => StoredRecords[K],
  ): Promise<StoredRecords[K]>;
  /** Deletes a record; returns it, or undefined when it did not exist (idempotent). */
  remove<K extends ResourceKind>(kind: K, id: string): Promise<StoredRecords[K] | undefined>;

  /** Records `allocation`; false (and nothing written) when the subnet's address is already held. */
  allocateIp(allocation: IpAllocation): Promise<boolean>;
  /** Releases one address (idempotent). */
  releaseIp(subnetId: string, ipAddress: string): Promise<void>;
  /** The allocations of a subnet, or of a port. */
  listAllocations(filter: { subnet_id?: string; port_id?: string }): Promise<IpAllocation[]>;

  /** Claims a segment key (`vlan:physnet1:100`, `geneve:5`, `flat:physnet1`); false when already held. */
  claimSegment(key: string): Promise<boolean>;
  /** Releases a segment key (idempotent). */
  releaseSegment(key: string): Promise<void>;

  /** A project's quota overrides (empty when none). */
  getQuotas(projectId: string): Promise<Partial<Record<QuotaResource, number>>>;
  /** Sets overrides for a project (merged with existing ones). */
  setQuotas(projectId: string, limits: Partial<Record<QuotaResource, number>>): Promise<void>;
  /** Drops a project's overrides (idempotent). */
  deleteQuotas(projectId: string): Promise<void>;
  /** The projects that have overrides. */
  listQuotaProjects(): Promise<string[]>;
}
