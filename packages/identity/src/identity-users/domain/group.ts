/** A Keystone group: a named set of users within a domain. */

/** A group. */
export interface Group {
  /** 32 hex digits. */
  readonly id: string;
  /** The owning domain; immutable. */
  readonly domainId: string;
  /** Unique within the domain. */
  readonly name: string;
  /** Free text; Keystone defaults it to "". */
  readonly description: string | null;
  /** Attributes a client sent beyond Keystone's own (Keystone keeps them in `extra`). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** What a list of groups may be narrowed by (combined with AND). */
export interface GroupFilter {
  /** Only groups of this domain. */
  readonly domainId?: string;
  /** Only groups with exactly this name. */
  readonly name?: string;
  /** Only groups this user is a member of. */
  readonly userId?: string;
}
