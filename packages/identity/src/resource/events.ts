/** Events the resource service emits after a change is stored. */
export type ResourceEvents = {
  /** A project (not a domain) went from enabled to disabled; its tokens must stop working. */
  readonly "project.disabled": { readonly projectId: string };
  /** A project was deleted; assignments on it are removed by the assignment service. */
  readonly "project.deleted": { readonly projectId: string; readonly domainId: string | null };
  /** A domain was disabled; tokens scoped to it, its projects, or of its users must stop working. */
  readonly "domain.disabled": { readonly domainId: string };
  /** A domain (and everything in it) was deleted. */
  readonly "domain.deleted": { readonly domainId: string };
  /** Anything about projects changed (created, updated, deleted): caches of the hierarchy are stale. */
  readonly "projects.changed": { readonly projectId: string };
};
