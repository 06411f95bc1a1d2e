/**
 * Tags on standard-attr resources (standard-attr-tag): replace all, add one, remove one or all.
 * Every change bumps the resource's revision and is applied as an update.
 */
import type { ResourceChange, ResourceKind } from "../domain/driver.js";
import { httpBadRequest, neutronError, policyNotAuthorized } from "../domain/faults.js";
import type { ProjectOwned, StandardAttrs } from "../domain/model.js";
import type { Caller, NeutronContext } from "./context.js";
import { owns } from "./policy.js";

/** Neutron's limits (neutron-lib's tag extension). */
export const MAX_TAG_LENGTH = 60;
export const MAX_TAGS = 50;

export type TaggableKind = Exclude<ResourceKind, "security_group_rule">;

/** Throws 400 unless `tags` is a list of at most MAX_TAGS strings of 1..MAX_TAG_LENGTH characters. */
export function validateTags(tags: unknown): string[] {
  if (!Array.isArray(tags)) throw httpBadRequest(`Invalid input for tags. Reason: '${String(tags)}' is not a list.`);
  if (tags.length > MAX_TAGS)
    throw httpBadRequest(`Invalid input for tags. Reason: '${tags.length}' exceeds maximum of ${MAX_TAGS} tags.`);
  for (const t of tags) validateTag(t);
  return [...new Set(tags as string[])];
}

export function validateTag(tag: unknown): string {
  if (typeof tag !== "string" || tag === "" || tag.length > MAX_TAG_LENGTH)
    throw httpBadRequest(
      `Invalid input for tags. Reason: '${String(tag)}' is not a valid tag (1 to ${MAX_TAG_LENGTH} characters).`,
    );
  return tag;
}

export class TagService {
  constructor(private readonly ctx: NeutronContext) {}

  /** Replaces `record`'s tags with `next(tags)`; `record` must be visible to the caller already. */
  async change(
    caller: Caller,
    kind: TaggableKind,
    record: StandardAttrs & ProjectOwned,
    next: (tags: string[]) => string[],
  ): Promise<string[]> {
    if (!owns(caller, record)) throw policyNotAuthorized(`rule:update_${kind}_tags`);
    const tags = next([...record.tags]);
    if (tags.length > MAX_TAGS)
      throw httpBadRequest(`Invalid input for tags. Reason: '${tags.length}' exceeds maximum of ${MAX_TAGS} tags.`);
    const previous =
      kind === "security_group"
        ? await this.ctx.store.getSecurityGroup(record.id)
        : await this.ctx.store.get(kind, record.id);
    const stored = await this.ctx.store.update(kind, record.id, (r) => this.ctx.bumped({ ...r, tags }));
    const current = kind === "security_group" ? await this.ctx.store.getSecurityGroup(record.id) : stored;
    await this.ctx.apply({ kind, op: "update", current, previous } as ResourceChange);
    return tags;
  }

  /** 404 TagNotFound unless `record` has `tag`. */
  static assertHas(kind: string, record: StandardAttrs, tag: string): void {
    if (!record.tags.includes(tag))
      throw neutronError("not_found", "TagNotFound", `Tag ${tag} could not be found for ${kind} ${record.id}.`);
  }
}
