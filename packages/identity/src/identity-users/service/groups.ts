/** Groups and memberships as Keystone's identity manager handles them. */
import { newHexId } from "@stratus/core";
import { notFound } from "@stratus/core/errors";
import type { Group, GroupFilter } from "../domain/group.js";
import type { User, UserFilter } from "../domain/user.js";
import type { IdentityEvents } from "../events.js";
import type { DomainLookup, GroupMembershipLookup, GroupRepository, IdentityLookup, UserRepository } from "../ports.js";
import { duplicateEntry, groupNotFound, isUniqueViolation, userNotFound } from "./keystone-errors.js";

/** A new group. */
export interface GroupCreate {
  /** Trimmed; unique in the domain. */
  readonly name: string;
  /** The domain; must exist. */
  readonly domainId: string;
  /** Default "" as Keystone's. */
  readonly description?: string | null;
  /** Any other attributes. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Changes to a group. */
export interface GroupUpdate {
  /** A new name (trimmed). */
  readonly name?: string;
  /** A new description (null clears it). */
  readonly description?: string | null;
  /** Extra attributes merged over the current ones. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Dependencies of the group service. */
export interface GroupServiceDeps {
  /** Where groups and memberships live. */
  readonly groups: GroupRepository;
  /** Where users live (membership calls check the user exists). */
  readonly users: UserRepository;
  /** Validates domain ids. */
  readonly domains: DomainLookup;
  /** Revocation events. */
  readonly events: IdentityEvents;
}

/** Groups, memberships, and the lookups other parts of identity use. */
export class GroupService implements GroupMembershipLookup, IdentityLookup {
  constructor(private readonly deps: GroupServiceDeps) {}

  /** Creates a group; `not_found` for an unknown domain, `conflict` for a taken name. */
  async create(input: GroupCreate): Promise<Group> {
    await this.deps.domains.getDomain(input.domainId);
    const group: Group = {
      id: newHexId(),
      domainId: input.domainId,
      name: input.name.trim(),
      description: input.description === undefined ? "" : input.description,
      extra: { ...(input.extra ?? {}) },
    };
    try {
      await this.deps.groups.insert(group);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEntry("group", "name", group.name, group.domainId);
      throw err;
    }
    return group;
  }

  /** The group; `not_found` "Could not find group: <id>.". */
  async getGroup(id: string): Promise<Group> {
    const group = await this.deps.groups.get(id);
    if (group === undefined) throw groupNotFound(id);
    return group;
  }

  /** The user; `not_found` "Could not find user: <id>.". */
  async getUser(id: string): Promise<User> {
    const user = await this.deps.users.get(id);
    if (user === undefined) throw userNotFound(id);
    return user;
  }

  /** Groups matching the filter. */
  list(filter: GroupFilter = {}): Promise<Group[]> {
    return this.deps.groups.list(filter);
  }

  /** The user's groups (Keystone checks the user exists: `not_found`). */
  async listForUser(userId: string, filter: Omit<GroupFilter, "userId"> = {}): Promise<Group[]> {
    await this.getUser(userId);
    return this.deps.groups.list({ ...filter, userId });
  }

  /** Applies the changes; `not_found`, `conflict` for a taken name. */
  async update(id: string, patch: GroupUpdate): Promise<Group> {
    const before = await this.getGroup(id);
    const next: Group = {
      ...before,
      ...(patch.name === undefined ? {} : { name: patch.name.trim() }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      extra: { ...before.extra, ...(patch.extra ?? {}) },
    };
    try {
      await this.deps.groups.update(next);
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEntry("group", "name", next.name);
      throw err;
    }
    return next;
  }

  /** Deletes the group and its memberships; emits `group_deleted` with the former members. */
  async delete(id: string): Promise<void> {
    await this.getGroup(id);
    const memberIds = await this.deps.groups.memberIds(id);
    if (!(await this.deps.groups.delete(id))) throw groupNotFound(id);
    await this.deps.events.emit({ type: "group_deleted", groupId: id, memberIds });
  }

  /** Adds the user to the group; idempotent. `not_found` for an unknown group or user. */
  async addUser(groupId: string, userId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.getUser(userId);
    await this.deps.groups.addMember(groupId, userId);
  }

  /** `not_found` ("User '<u>' not found in group '<g>'") unless the user is a member. */
  async checkUser(groupId: string, userId: string): Promise<void> {
    await this.getGroup(groupId);
    await this.getUser(userId);
    if (!(await this.deps.groups.isMember(groupId, userId))) throw notInGroup(userId, groupId);
  }

  /** Removes the membership and emits `user_removed_from_group`; `not_found` as checkUser. */
  async removeUser(groupId: string, userId: string): Promise<void> {
    if (!(await this.deps.groups.removeMember(groupId, userId))) {
      await this.getGroup(groupId);
      await this.getUser(userId);
      throw notInGroup(userId, groupId);
    }
    await this.deps.events.emit({ type: "user_removed_from_group", userId, groupId });
  }

  /** The group's members matching the filter; `not_found` for an unknown group. */
  async listUsers(groupId: string, filter: Omit<UserFilter, "groupId"> = {}): Promise<User[]> {
    await this.getGroup(groupId);
    return this.deps.users.list({ ...filter, groupId });
  }

  /** The ids of the user's groups; [] for an unknown user. */
  groupIdsOfUser(userId: string): Promise<string[]> {
    return this.deps.groups.groupIdsOfUser(userId);
  }
}

const notInGroup = (userId: string, groupId: string) => notFound(`User '${userId}' not found in group '${groupId}'`);
