/**
 * Keystone's resource model: domains are projects that act as domains (`is_domain`), every other
 * project has a domain and a parent (a top-level project's parent is its domain).
 */

/** The id of the domain created by the first migration, as Keystone's bootstrap names it. */
export const DEFAULT_DOMAIN_ID = "default";
/** The name of the default domain. */
export const DEFAULT_DOMAIN_NAME = "Default";
/** Name limits of Keystone's resource schema (`_name_properties`). */
export const PROJECT_NAME_MAX = 64;
/** Tag limits of Keystone's resource schema. */
export const TAG_MAX_LENGTH = 255;
/** At most this many tags per project. */
export const TAGS_MAX = 80;

/** A project row as stored; domains are projects with `isDomain` true and `domainId` null. */
export interface Project {
  /** 32-hex id (or an explicit id such as `default`). */
  readonly id: string;
  /** Unique within the domain (domains: unique among domains). */
  readonly name: string;
  /** The owning domain; null for a project acting as a domain. */
  readonly domainId: string | null;
  /** Free text; Keystone defaults it to the empty string. */
  readonly description: string | null;
  /** Disabled projects (and projects of disabled domains) cannot be scoped to. */
  readonly enabled: boolean;
  /** The parent project; a top-level project's parent is its domain; null for domains. */
  readonly parentId: string | null;
  /** True when the project acts as a domain. */
  readonly isDomain: boolean;
  /** Tags in insertion order. */
  readonly tags: readonly string[];
  /** Properties Keystone keeps in `extra` (the schemas allow additional properties). */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** The fields a caller may set when creating a project. */
export interface ProjectCreate {
  /** Explicit id; a new 32-hex id when absent. */
  readonly id?: string;
  /** The project's name. */
  readonly name: string;
  /** The domain; defaults to the parent's domain, or the default domain when neither is given. */
  readonly domainId?: string | null;
  /** Description ('' when absent). */
  readonly description?: string | null;
  /** Enabled (true when absent). */
  readonly enabled?: boolean;
  /** Parent project id; the domain when absent. */
  readonly parentId?: string | null;
  /** Create a project acting as a domain. */
  readonly isDomain?: boolean;
  /** Initial tags. */
  readonly tags?: readonly string[];
  /** Additional properties kept as Keystone keeps them. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** The fields a caller may change; absent means unchanged. */
export interface ProjectUpdate {
  /** New name. */
  readonly name?: string;
  /** New description. */
  readonly description?: string | null;
  /** Enable or disable. */
  readonly enabled?: boolean;
  /** Must equal the current domain (Keystone refuses a move). */
  readonly domainId?: string | null;
  /** Must equal the current parent (Keystone refuses a move). */
  readonly parentId?: string | null;
  /** Must equal the current value. */
  readonly isDomain?: boolean;
  /** Replaces the tag list. */
  readonly tags?: readonly string[];
  /** Additional properties merged into `extra`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** A domain as the domains API shows it (a project acting as a domain, minus hierarchy fields). */
export interface Domain {
  /** The domain id. */
  readonly id: string;
  /** Unique among domains. */
  readonly name: string;
  /** Free text. */
  readonly description: string | null;
  /** A disabled domain disables every project and user in it for authentication. */
  readonly enabled: boolean;
  /** Tags of the underlying project. */
  readonly tags: readonly string[];
  /** Additional properties. */
  readonly extra: Readonly<Record<string, unknown>>;
}

/** Returns the domain view of a project acting as a domain. Pure. */
export function domainOf(project: Project): Domain {
  return {
    id: project.id,
    name: project.name,
    description: project.description,
    enabled: project.enabled,
    tags: project.tags,
    extra: project.extra,
  };
}

/** Filters of a project list (all exact except the inexact name/description comparators). */
export interface ProjectFilter {
  /** Only projects of this domain. */
  readonly domainId?: string;
  /** Only children of this project. */
  readonly parentId?: string;
  /** Only projects with this exact name. */
  readonly name?: string;
  /** Only enabled (true) or disabled (false) ones. */
  readonly enabled?: boolean;
  /** Domains (true) or regular projects (false); both when absent. */
  readonly isDomain?: boolean;
  /** Only projects with these ids. */
  readonly ids?: readonly string[];
}
