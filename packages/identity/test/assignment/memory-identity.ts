/** A tiny in-memory users-and-groups store implementing the ports the assignment area needs. */
import type { ActorRecord, GroupMembershipLookup, IdentityLookup } from "../../src/assignment/ports.js";

/** Users, groups and memberships in maps; for tests only. */
export class MemoryIdentity implements GroupMembershipLookup, IdentityLookup {
  private readonly users = new Map<string, ActorRecord>();
  private readonly groups = new Map<string, ActorRecord>();
  private readonly members = new Map<string, Set<string>>();

  /** Adds a user (domain `default` unless given). */
  addUser(id: string, name: string, domainId = "default"): void {
    this.users.set(id, { id, name, domain_id: domainId });
  }

  /** Adds a group. */
  addGroup(id: string, name: string, domainId = "default"): void {
    this.groups.set(id, { id, name, domain_id: domainId });
  }

  /** Puts a user in a group. */
  addMember(groupId: string, userId: string): void {
    const set = this.members.get(groupId) ?? new Set<string>();
    set.add(userId);
    this.members.set(groupId, set);
  }

  async getUser(id: string): Promise<ActorRecord | null> {
    return this.users.get(id) ?? null;
  }

  async getGroup(id: string): Promise<ActorRecord | null> {
    return this.groups.get(id) ?? null;
  }

  async groupIdsOfUser(userId: string): Promise<string[]> {
    return [...this.members].filter(([, users]) => users.has(userId)).map(([g]) => g);
  }

  async userIdsInGroup(groupId: string): Promise<string[]> {
    return [...(this.members.get(groupId) ?? [])];
  }
}
