/** The tables of the users area as Kysely sees them (names prefixed `iu_` inside identity's database). */
import type { Generated } from "kysely";

/** iu_user: one row per local user, password state included (rows stay small: 100k users). */
export interface UserTable {
  id: string;
  domain_id: string;
  name: string;
  enabled: boolean;
  default_project_id: string | null;
  extra: Record<string, unknown> | null;
  options: Record<string, unknown> | null;
  password_hash: string | null;
  password_created_at: Date | null;
  password_expires_at: Date | null;
  password_self_service: boolean;
  failed_auth_count: Generated<number>;
  failed_auth_at: Date | null;
  created_at: Date;
  generation: Generated<number>;
}

/** iu_password_history: previous password hashes, kept only when unique_last_password_count > 0. */
export interface PasswordHistoryTable {
  id: string;
  user_id: string;
  password_hash: string;
  created_at: Date;
}

/** iu_group. */
export interface GroupTable {
  id: string;
  domain_id: string;
  name: string;
  description: string | null;
  extra: Record<string, unknown> | null;
}

/** iu_membership: (user, group) pairs. */
export interface MembershipTable {
  user_id: string;
  group_id: string;
}

/** iu_application_credential: roles and access rules inline as JSON (read together, never queried). */
export interface ApplicationCredentialTable {
  id: string;
  name: string;
  description: string | null;
  user_id: string;
  project_id: string | null;
  system: string | null;
  secret_hash: string;
  expires_at: Date | null;
  unrestricted: boolean;
  role_ids: string[];
  access_rules: unknown[] | null;
}

/** iu_credential: blobs encrypted at rest. */
export interface CredentialTable {
  id: string;
  user_id: string;
  project_id: string | null;
  type: string;
  encrypted_blob: string;
  key_hash: string;
  extra: Record<string, unknown> | null;
}

/** The users area's schema. */
export interface IdentityUsersSchema {
  iu_user: UserTable;
  iu_password_history: PasswordHistoryTable;
  iu_group: GroupTable;
  iu_membership: MembershipTable;
  iu_application_credential: ApplicationCredentialTable;
  iu_credential: CredentialTable;
}
