/** Application credentials: a user's delegated, project-scoped secret (Keystone >= Queens). */

/** One access rule restricting what an application credential may call. */
export interface AccessRule {
  /** 32 hex digits (or the client's own id string). */
  readonly id: string;
  /** The service type, e.g. "compute". */
  readonly service: string;
  /** A path glob, e.g. "/v2.1/servers/**". */
  readonly path: string;
  /** An HTTP method. */
  readonly method: string;
}

/** An application credential as stored (the secret only as its hash). */
export interface ApplicationCredential {
  /** 32 hex digits. */
  readonly id: string;
  /** Unique per user. */
  readonly name: string;
  /** Free text, or null. */
  readonly description: string | null;
  /** The owner. */
  readonly userId: string;
  /** The project the credential is scoped to (the creator's token project). */
  readonly projectId: string | null;
  /** "all" for a system-scoped credential, else null. */
  readonly system: string | null;
  /** bcrypt hash of the secret. */
  readonly secretHash: string;
  /** When it stops working, or null for never. */
  readonly expiresAt: Date | null;
  /** Whether it may create or delete other application credentials and trusts. */
  readonly unrestricted: boolean;
  /** The ids of the roles it delegates (a subset of the creator's roles on the project). */
  readonly roleIds: readonly string[];
  /** Access rules, or null when unrestricted by rules. */
  readonly accessRules: readonly AccessRule[] | null;
}

/** True when the credential has an expiry at or before `now` (Keystone compares `now >= expires_at`). */
export const isExpired = (appCred: Pick<ApplicationCredential, "expiresAt">, now: Date): boolean =>
  appCred.expiresAt !== null && now.getTime() >= appCred.expiresAt.getTime();
