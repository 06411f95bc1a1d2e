/**
 * Keystone's project tag filters: `tags` (all of), `tags-any` (any of), `not-tags` (not all of),
 * `not-tags-any` (none of); each a comma-separated list.
 */

/** The tag filters of a project list; each value is Keystone's comma-separated list. */
export interface TagFilter {
  /** Projects carrying every one of these tags. */
  readonly tags?: string;
  /** Projects carrying at least one of these tags. */
  readonly tagsAny?: string;
  /** Projects not carrying all of these tags together. */
  readonly notTags?: string;
  /** Projects carrying none of these tags. */
  readonly notTagsAny?: string;
}

const split = (v: string): string[] => v.split(",");

/** True when a project with `projectTags` passes every filter given. Pure. */
export function matchesTags(projectTags: readonly string[], filter: TagFilter): boolean {
  const has = new Set(projectTags);
  if (filter.tags !== undefined && !split(filter.tags).every((t) => has.has(t))) return false;
  if (filter.tagsAny !== undefined && !split(filter.tagsAny).some((t) => has.has(t))) return false;
  if (filter.notTags !== undefined && split(filter.notTags).every((t) => has.has(t))) return false;
  if (filter.notTagsAny !== undefined && split(filter.notTagsAny).some((t) => has.has(t))) return false;
  return true;
}

/** True when no tag filter is set. */
export function isEmptyTagFilter(filter: TagFilter): boolean {
  return (
    filter.tags === undefined &&
    filter.tagsAny === undefined &&
    filter.notTags === undefined &&
    filter.notTagsAny === undefined
  );
}
