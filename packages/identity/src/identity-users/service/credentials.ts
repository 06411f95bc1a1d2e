/**
 * `/v3/credentials` (keystone/credential/core.py and api/credentials.py): blobs encrypted at rest
 * through a `CredentialCipher`; an EC2 credential's id is sha256 of its access key.
 */
import { newHexId } from "@stratus/core";
import { badRequest, forbidden } from "@stratus/core/errors";
import {
  type Credential,
  type CredentialFilter,
  ec2CredentialId,
  type StoredCredential,
} from "../domain/credential.js";
import type { IdentityEvents } from "../events.js";
import type { IdentityUsersOptions } from "../options.js";
import type { CredentialCipher, CredentialRepository } from "../ports.js";
import { credentialNotFound, duplicateEntry, isUniqueViolation } from "./keystone-errors.js";

/** A new credential (the validated wire body). */
export interface CredentialCreate {
  /** The owner. */
  readonly userId: string;
  /** The project (required for "ec2" by the wire schema). */
  readonly projectId?: string | null;
  /** The credential type. */
  readonly type: string;
  /** The blob; JSON with an `access` key for "ec2". */
  readonly blob: string;
  /** Attributes beyond Keystone's own. */
  readonly extra?: Readonly<Record<string, unknown>>;
  /** Recorded in an EC2 blob when the caller authenticated with an application credential. */
  readonly appCredId?: string;
}

const validationError = (attribute: string) =>
  badRequest(
    `Expecting to find ${attribute} in credential. The server could not comply with the request since it is ` +
      "either malformed or otherwise incorrect. The client is assumed to be in error.",
  );

/** Parses an EC2 blob as Keystone does; `bad_request` when it is not a JSON object with `access`. */
export function parseEc2Blob(blob: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(blob);
  } catch {
    throw badRequest("Invalid blob in credential");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed) || Object.keys(parsed).length === 0)
    throw validationError("blob");
  const object = parsed as Record<string, unknown>;
  if (object["access"] === undefined || object["access"] === null) throw validationError("access");
  return object;
}

/** Credentials with their blobs encrypted at rest. */
export class CredentialService {
  constructor(
    private readonly deps: {
      readonly credentials: CredentialRepository;
      readonly cipher: CredentialCipher;
      readonly events: IdentityEvents;
      readonly options: IdentityUsersOptions;
    },
  ) {
    // Keystone deletes a user's credentials with the user.
    deps.events.subscribe(async (event) => {
      if (event.type === "user_deleted") await deps.credentials.deleteForUser(event.userId);
    });
  }

  /** Creates one; `bad_request` for a bad EC2 blob, `forbidden` over the limit, `conflict` for a duplicate id. */
  async create(input: CredentialCreate): Promise<Credential> {
    let id = newHexId();
    let blob = input.blob;
    if (input.type.toLowerCase() === "ec2") {
      const parsed = parseEc2Blob(input.blob);
      id = ec2CredentialId(String(parsed["access"]));
      if (input.appCredId !== undefined) blob = JSON.stringify({ ...parsed, app_cred_id: input.appCredId });
    }
    const limit = this.deps.options.credentialUserLimit;
    if (limit >= 0 && (await this.deps.credentials.list({ userId: input.userId })).length >= limit) {
      throw forbidden(`Unable to create additional credentials, maximum of ${limit} already exceeded for user.`);
    }
    const credential: Credential = {
      id,
      userId: input.userId,
      projectId: input.projectId ?? null,
      type: input.type,
      blob,
      extra: { ...(input.extra ?? {}) },
    };
    try {
      await this.deps.credentials.insert(this.seal(credential));
    } catch (err) {
      if (isUniqueViolation(err)) throw duplicateEntry("credential", "ID", id);
      throw err;
    }
    return credential;
  }

  /** The credential, decrypted; `not_found` "Could not find credential: <id>.". */
  async get(id: string): Promise<Credential> {
    const stored = await this.deps.credentials.get(id);
    if (stored === undefined) throw credentialNotFound(id);
    return this.open(stored);
  }

  /** Credentials matching the filter, decrypted. */
  async list(filter: CredentialFilter = {}): Promise<Credential[]> {
    return (await this.deps.credentials.list(filter)).map((c) => this.open(c));
  }

  /**
   * Replaces the blob (the only field Keystone 22 lets PATCH change). For EC2 the identifying keys
   * (trust_id, app_cred_id, access_token_id, access_id) must stay: `bad_request` otherwise.
   */
  async updateBlob(id: string, blob: string): Promise<Credential> {
    const current = await this.get(id);
    if (current.type.toLowerCase() === "ec2") {
      const next = parseEc2Blob(blob);
      const old = parseEc2Blob(current.blob);
      for (const key of ["trust_id", "app_cred_id", "access_token_id", "access_id"]) {
        if (old[key] !== next[key]) throw badRequest(`${key} can not be updated for credential`);
      }
    }
    const sealed = this.deps.cipher.encrypt(blob);
    if (!(await this.deps.credentials.updateBlob(id, sealed.ciphertext, sealed.keyHash))) throw credentialNotFound(id);
    return { ...current, blob };
  }

  /** Deletes one; `not_found` when absent. */
  async delete(id: string): Promise<void> {
    if (!(await this.deps.credentials.delete(id))) throw credentialNotFound(id);
  }

  private seal(credential: Credential): StoredCredential {
    const { blob, ...rest } = credential;
    const { ciphertext, keyHash } = this.deps.cipher.encrypt(blob);
    return { ...rest, encryptedBlob: ciphertext, keyHash };
  }

  private open(stored: StoredCredential): Credential {
    const { encryptedBlob, keyHash: _keyHash, ...rest } = stored;
    return { ...rest, blob: this.deps.cipher.decrypt(encryptedBlob) };
  }
}
