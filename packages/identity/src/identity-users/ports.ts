/**
 * What users, groups and credentials need: their repositories (SQL adapters in adapters/sql) and
 * the few facts other parts of identity own (domains, roles, encryption keys). Also the lookups
 * this area offers to the others (`IdentityLookup`, `GroupMembershipLookup`).
 */
import type { AccessRule, ApplicationCredential } from "./domain/app-cred.js";
import type { CredentialFilter, StoredCredential } from "./domain/credential.js";
import type { Group, GroupFilter } from "./domain/group.js";
import type { User, UserFilter } from "./domain/user.js";

/** Users (and their password history). Unique (domain_id, name) violations throw `conflict` (kind unique). */
export interface UserRepository {
  /** Stores a new user; `conflict` when the name is taken in the domain. */
  insert(user: User): Promise<void>;
  /** The user, or undefined. */
  get(id: string): Promise<User | undefined>;
  /** The user of that name in that domain, or undefined. */
  getByName(domainId: string, name: string): Promise<User | undefined>;
  /** Users matching the filter, ordered by id. */
  list(filter: UserFilter): Promise<User[]>;
  /**
   * Replaces the user's mutable fields if its generation is still `user.generation - 1`;
   * `conflict` when another writer won (re-read and retry) or the new name is taken.
   */
  update(user: User): Promise<void>;
  /** Adds one failed authentication at `at`, atomically. Idempotent only in effect on lockout. */
  recordFailedAuth(id: string, at: Date): Promise<void>;
  /** Clears the failed-authentication counter. Idempotent. */
  resetFailedAuth(id: string): Promise<void>;
  /** Deletes the user with its memberships and password history; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** The hashes of the user's last `count` passwords, newest first. */
  passwordHistory(id: string, count: number): Promise<string[]>;
  /** Records a password hash in the history and keeps only the newest `keep` entries. */
  addPasswordHistory(id: string, hash: string, at: Date, keep: number): Promise<void>;
}

/** Groups and memberships. */
export interface GroupRepository {
  /** Stores a new group; `conflict` when the name is taken in the domain. */
  insert(group: Group): Promise<void>;
  /** The group, or undefined. */
  get(id: string): Promise<Group | undefined>;
  /** Groups matching the filter, ordered by id. */
  list(filter: GroupFilter): Promise<Group[]>;
  /** Replaces name, description and extra; `conflict` when the name is taken. */
  update(group: Group): Promise<void>;
  /** Deletes the group and its memberships; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Adds the membership; idempotent. */
  addMember(groupId: string, userId: string): Promise<void>;
  /** Removes the membership; false when there was none. */
  removeMember(groupId: string, userId: string): Promise<boolean>;
  /** Whether the user is a member of the group. */
  isMember(groupId: string, userId: string): Promise<boolean>;
  /** The ids of the groups the user belongs to. */
  groupIdsOfUser(userId: string): Promise<string[]>;
  /** The ids of the group's members. */
  memberIds(groupId: string): Promise<string[]>;
}

/** Application credentials. Unique (user_id, name) violations throw `conflict` (kind unique). */
export interface ApplicationCredentialRepository {
  /** Stores a new application credential. */
  insert(appCred: ApplicationCredential): Promise<void>;
  /** The credential, or undefined. */
  get(id: string): Promise<ApplicationCredential | undefined>;
  /** The user's credentials, optionally only the one named `name`, ordered by id. */
  listForUser(userId: string, filter?: { readonly name?: string }): Promise<ApplicationCredential[]>;
  /** How many credentials the user has. */
  countForUser(userId: string): Promise<number>;
  /** Deletes one; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deletes all of a user's (optionally only on one project); returns the deleted ids. */
  deleteForUser(userId: string, projectId?: string): Promise<string[]>;
}

/** Credentials, blobs encrypted. */
export interface CredentialRepository {
  /** Stores a new credential; `conflict` when the id exists. */
  insert(credential: StoredCredential): Promise<void>;
  /** The credential, or undefined. */
  get(id: string): Promise<StoredCredential | undefined>;
  /** Credentials matching the filter, ordered by id. */
  list(filter: CredentialFilter): Promise<StoredCredential[]>;
  /** Replaces the encrypted blob and its key hash; false when there is no such credential. */
  updateBlob(id: string, encryptedBlob: string, keyHash: string): Promise<boolean>;
  /** Deletes one; false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Deletes all of a user's credentials; returns how many. */
  deleteForUser(userId: string): Promise<number>;
}

/** A domain as this area needs it. */
export interface DomainRef {
  /** The domain id. */
  readonly id: string;
  /** The domain name. */
  readonly name: string;
  /** Users of a disabled domain cannot authenticate. */
  readonly enabled: boolean;
}

/** Finds domains (implemented by the resource area). */
export interface DomainLookup {
  /** The domain; throws `not_found` "Could not find domain: <id>." when there is none. */
  getDomain(id: string): Promise<DomainRef>;
}

/** A role reference as Keystone returns it inside application credentials. */
export interface RoleRef {
  /** The role id. */
  readonly id: string;
  /** The role name. */
  readonly name: string;
  /** The domain of a domain-specific role, or null. */
  readonly domain_id: string | null;
  /** Any other attributes of the role (description, options) as the role API returns them. */
  readonly [key: string]: unknown;
}

/** The roles a user holds on a project (implemented by the assignment area). */
export interface ProjectRoleLookup {
  /** The user's effective roles on the project (implied and group roles included); [] when none. */
  effectiveRolesOnProject(userId: string, projectId: string): Promise<RoleRef[]>;
  /** The role; throws `not_found` "Could not find role: <id>." when there is none. */
  getRole(roleId: string): Promise<RoleRef>;
}

/** Encrypts credential blobs at rest (Keystone's credential provider). */
export interface CredentialCipher {
  /** Encrypts `plain`; returns the ciphertext and the hash of the primary key used. */
  encrypt(plain: string): { readonly ciphertext: string; readonly keyHash: string };
  /** Decrypts with any known key; throws `internal` when no key can (Keystone's CredentialEncryptionError). */
  decrypt(ciphertext: string): string;
}

/** The groups of a user, for computing effective role assignments. */
export interface GroupMembershipLookup {
  /** The ids of the user's groups; [] for a user without groups or unknown user. */
  groupIdsOfUser(userId: string): Promise<string[]>;
}

/** Users and groups by id, for the other parts of identity. */
export interface IdentityLookup {
  /** The user; throws `not_found` "Could not find user: <id>.". */
  getUser(id: string): Promise<User>;
  /** The group; throws `not_found` "Could not find group: <id>.". */
  getGroup(id: string): Promise<Group>;
}

export type { AccessRule };
