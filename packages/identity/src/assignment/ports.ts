/**
 * What the assignment area needs from users and groups (implemented in identity-users).
 */

/** Group membership, for effective roles and the effective role assignment list. */
export interface GroupMembershipLookup {
  /** Ids of the groups `userId` belongs to ([] for an unknown user). Idempotent read. */
  groupIdsOfUser(userId: string): Promise<string[]>;
  /** Ids of the users in `groupId` ([] for an unknown group). Idempotent read. */
  userIdsInGroup(groupId: string): Promise<string[]>;
}

/** A user or group as grants and `include_names` need it. */
export interface ActorRecord {
  /** The id. */
  readonly id: string;
  /** The name. */
  readonly name: string;
  /** The owning domain. */
  readonly domain_id: string;
}

/** Users and groups referenced by grants. */
export interface IdentityLookup {
  /** The user, or null when there is none (the caller answers 404 `Could not find user: <id>.`). */
  getUser(id: string): Promise<ActorRecord | null>;
  /** The group, or null when there is none (404 `Could not find group: <id>.`). */
  getGroup(id: string): Promise<ActorRecord | null>;
}
