/**
 * What happened to users and credentials that invalidates tokens: the token layer subscribes and
 * records revocation events (Keystone's PERSIST_REVOCATION_EVENT_FOR_USER and friends).
 */

/** One event; `type` names it. */
export type IdentityEvent =
  | { readonly type: "user_disabled"; readonly userId: string }
  | { readonly type: "user_deleted"; readonly userId: string }
  | { readonly type: "password_changed"; readonly userId: string }
  | { readonly type: "user_removed_from_group"; readonly userId: string; readonly groupId: string }
  | { readonly type: "group_deleted"; readonly groupId: string; readonly memberIds: readonly string[] }
  | {
      readonly type: "application_credential_deleted";
      readonly applicationCredentialId: string;
      readonly userId: string;
    };

/** A subscriber; may be async. Its failure fails the operation (a revocation must not be lost). */
export type IdentityEventListener = (event: IdentityEvent) => void | Promise<void>;

/** A small typed list of listeners. */
export class IdentityEvents {
  private readonly listeners = new Set<IdentityEventListener>();

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: IdentityEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls every listener in subscription order and waits for them; rethrows the first failure. */
  async emit(event: IdentityEvent): Promise<void> {
    for (const listener of [...this.listeners]) await listener(event);
  }
}
