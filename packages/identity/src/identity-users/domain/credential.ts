/** Keystone credentials (`/v3/credentials`): EC2 keys, TOTP seeds, certificates, stored encrypted. */
import { createHash } from "node:crypto";

/** A credential with its blob in clear (it is encrypted only at rest). */
export interface Credential {
  /** sha256(access) in hex for "ec2", otherwise 32 hex digits. */
  readonly id: string;
  /** The owner. */
  readonly userId: string;
  /** The project (required for "ec2"), or null. */
  readonly projectId: string | null;
  /** "ec2", "totp", "cert" or anything a client chose. */
  readonly type: string;
  /** The blob as the client sent it (JSON text for "ec2"). */
  readonly blob: string;
  /** Attributes a client sent beyond Keystone's own. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** A credential as stored: the blob encrypted, with the hash of the key that encrypted it. */
export interface StoredCredential extends Omit<Credential, "blob"> {
  /** The encrypted blob (a Fernet token with the Fernet cipher). */
  readonly encryptedBlob: string;
  /** Identifies the key that encrypted it (sha1 of the primary key, as Keystone's). */
  readonly keyHash: string;
}

/** What a list of credentials may be narrowed by. */
export interface CredentialFilter {
  /** Only this user's credentials. */
  readonly userId?: string;
  /** Only credentials of this type. */
  readonly type?: string;
}

/** Keystone's id of an EC2 credential: hex sha256 of its access key (keystone.common.utils.hash_access_key). */
export const ec2CredentialId = (access: string): string => createHash("sha256").update(access, "utf8").digest("hex");
