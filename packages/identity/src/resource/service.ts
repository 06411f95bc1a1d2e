/**
 * ResourceService: domains and projects with Keystone's rules (resource/core.py): hierarchy,
 * names unique per domain, enable/disable rules, delete only leaves, domains disabled before delete.
 */
import { newHexId } from "@stratus/core";
import { StratusError } from "@stratus/core/errors";
import type { ResourceEvents } from "./events.js";
import { type IdTree, indexChildren, parentsAsIds, parentsOf, subtreeAsIds, subtreeOf } from "./hierarchy.js";
import { Listeners } from "./listeners.js";
import {
  domainNotFound,
  forbiddenNotSecurity,
  projectConflict,
  projectNotFound,
  projectTagNotFound,
  validationError,
} from "./messages.js";
import {
  DEFAULT_DOMAIN_ID,
  type Domain,
  domainOf,
  type Project,
  type ProjectCreate,
  type ProjectFilter,
  type ProjectUpdate,
} from "./model.js";
import type { ProjectRepository } from "./repository.js";
import { isEmptyTagFilter, matchesTags, type TagFilter } from "./tags.js";

/** Options of the resource service. */
export interface ResourceServiceOptions {
  /** Keystone's `max_project_tree_depth` (default 5). */
  readonly maxProjectTreeDepth?: number;
}

/** The fields of a new domain. */
export interface DomainCreate {
  /** Explicit id (Keystone's `explicit_domain_id`); a new 32-hex id when absent. */
  readonly id?: string;
  /** Unique among domains. */
  readonly name: string;
  /** Description ('' when absent). */
  readonly description?: string | null;
  /** Enabled (true when absent). */
  readonly enabled?: boolean;
  /** Initial tags. */
  readonly tags?: readonly string[];
  /** Additional properties. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

const isConflict = (err: unknown): boolean => StratusError.is(err) && err.code === "conflict";

/** Domains and projects; every method may throw the StratusErrors named on it. */
export class ResourceService {
  /** Listeners for disable/delete events (revocation, cache invalidation). */
  readonly events = new Listeners<ResourceEvents>();
  private readonly maxDepth: number;

  constructor(
    private readonly projects: ProjectRepository,
    options: ResourceServiceOptions = {},
  ) {
    this.maxDepth = options.maxProjectTreeDepth ?? 5;
  }

  /** The project (or domain-project) `id`; throws 404 `Could not find project: id.` */
  async getProject(id: string): Promise<Project> {
    const stored = await this.projects.get(id);
    if (stored === null) throw projectNotFound(id);
    return stored.project;
  }

  /** The project named `name` in domain `domainId`; throws 404 when absent. */
  async getProjectByName(name: string, domainId: string): Promise<Project> {
    const project = await this.projects.getByName(name, domainId);
    if (project === null) throw projectNotFound(name);
    return project;
  }

  /** The domain `id`; throws 404 `Could not find domain: id.` (also for a regular project id). */
  async getDomain(id: string): Promise<Domain> {
    const stored = await this.projects.get(id);
    if (stored === null || !stored.project.isDomain) throw domainNotFound(id);
    return domainOf(stored.project);
  }

  /** The domain named `name`; throws 404 `Could not find domain: name.` */
  async getDomainByName(name: string): Promise<Domain> {
    const project = await this.projects.getByName(name, null);
    if (project === null) throw domainNotFound(name);
    return domainOf(project);
  }

  /** Domains matching the filter, ordered by id. */
  async listDomains(filter: { readonly name?: string; readonly enabled?: boolean } = {}): Promise<Domain[]> {
    return (await this.projects.list({ ...filter, isDomain: true })).map(domainOf);
  }

  /** Projects matching `filter` and the tag filters, ordered by id. */
  async listProjects(filter: ProjectFilter = {}, tags: TagFilter = {}): Promise<Project[]> {
    const list = await this.projects.list(filter);
    return isEmptyTagFilter(tags) ? list : list.filter((p) => matchesTags(p.tags, tags));
  }

  /** The projects with these ids (unknown ids are skipped). */
  async listProjectsByIds(ids: readonly string[]): Promise<Project[]> {
    return this.projects.list({ ids });
  }

  /** Every project, domains included: the hierarchy snapshot the assignment service indexes. */
  async listAll(): Promise<Project[]> {
    return this.projects.list();
  }

  /** Parents of `id`, nearest first, ending with its domain. Throws 404 for an unknown project. */
  async listProjectParents(id: string): Promise<Project[]> {
    const project = await this.getProject(id);
    const all = await this.projects.list();
    return parentsOf(project, new Map(all.map((p) => [p.id, p])));
  }

  /** Every project below `id`, breadth first. Throws 404 for an unknown project. */
  async listProjectsInSubtree(id: string): Promise<Project[]> {
    await this.getProject(id);
    return subtreeOf(id, indexChildren(await this.projects.list()));
  }

  /** Keystone's `parents_as_ids` of a project. */
  async parentsAsIds(id: string): Promise<IdTree | null> {
    return parentsAsIds(await this.listProjectParents(id));
  }

  /** Keystone's `subtree_as_ids` of a project. */
  async subtreeAsIds(id: string): Promise<IdTree | null> {
    return subtreeAsIds(id, await this.listProjectsInSubtree(id));
  }

  /**
   * Creates a project. Throws 404 for an unknown domain or parent (the API turns those into 400 as
   * Keystone does), 400 for a parent in another domain or a disabled branch, 403 past the maximum
   * depth, 409 for a name taken in the domain.
   */
  async createProject(input: ProjectCreate): Promise<Project> {
    const isDomain = input.isDomain ?? false;
    let domainId = isDomain ? null : (input.domainId ?? null);
    let parentId = input.parentId ?? null;
    if (!isDomain && domainId === null) {
      domainId = parentId === null ? DEFAULT_DOMAIN_ID : ((await this.getProject(parentId)).domainId ?? parentId);
    }
    if (parentId === null) parentId = domainId;
    const project: Project = {
      id: input.id ?? newHexId(),
      name: input.name.trim(),
      domainId,
      description: input.description === undefined ? "" : input.description,
      enabled: input.enabled ?? true,
      parentId,
      isDomain,
      tags: (input.tags ?? []).map((t) => t.trim()),
      extra: input.extra ?? {},
    };
    if (isDomain) {
      if (project.parentId !== null) throw validationError("only root projects are allowed to act as domains.");
    } else {
      await this.assertPlacement(project);
    }
    try {
      await this.projects.create(project);
    } catch (err) {
      if (isConflict(err)) throw projectConflict(project);
      throw err;
    }
    await this.events.emit("projects.changed", { projectId: project.id });
    return project;
  }

  /** Creates a domain (a project acting as a domain). Throws 409 for a taken name or id. */
  async createDomain(input: DomainCreate): Promise<Domain> {
    const project = await this.createProject({ ...input, isDomain: true, domainId: null, parentId: null });
    return domainOf(project);
  }

  /**
   * Updates a project (or domain-project). Throws 404, 400 for a changed domain or is_domain, 403
   * for a changed parent, for enabling under a disabled parent or disabling over an enabled
   * subtree (unless `cascade`), 409 for a taken name or a lost race.
   */
  async updateProject(id: string, changes: ProjectUpdate, options: { cascade?: boolean } = {}): Promise<Project> {
    const stored = await this.projects.get(id);
    if (stored === null) throw projectNotFound(id);
    const original = stored.project;
    if (changes.domainId !== undefined && changes.domainId !== original.domainId)
      throw validationError("Cannot change Domain ID");
    if (changes.parentId !== undefined && changes.parentId !== original.parentId)
      throw forbiddenNotSecurity("Update of `parent_id` is not allowed.");
    if (changes.isDomain !== undefined && changes.isDomain !== original.isDomain)
      throw validationError("Update of `is_domain` is not allowed.");
    const enabled = changes.enabled ?? original.enabled;
    const all = await this.projects.list();
    if (!original.enabled && enabled) {
      const byId = new Map(all.map((p) => [p.id, p]));
      if (parentsOf(original, byId).some((p) => !p.enabled))
        throw forbiddenNotSecurity(`Cannot enable project ${id} since it has disabled parents`);
    }
    const subtree = subtreeOf(id, indexChildren(all));
    const disabling = original.enabled && !enabled;
    if (disabling && !original.isDomain && !options.cascade && subtree.some((p) => p.enabled))
      throw forbiddenNotSecurity(`Cannot disable project ${id} since its subtree contains enabled projects.`);
    const updated: Project = {
      ...original,
      ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
      ...(changes.description === undefined ? {} : { description: changes.description }),
      ...(changes.tags === undefined ? {} : { tags: changes.tags.map((t) => t.trim()) }),
      extra: { ...original.extra, ...changes.extra },
      enabled,
    };
    try {
      await this.projects.update(updated, stored.generation);
    } catch (err) {
      if (isConflict(err) && (err as StratusError).details?.["expectedGeneration"] === undefined)
        throw projectConflict(updated);
      throw err;
    }
    if (options.cascade) await this.cascadeEnabled(subtree, enabled);
    if (disabling && original.isDomain) await this.events.emit("domain.disabled", { domainId: id });
    else if (disabling) await this.events.emit("project.disabled", { projectId: id });
    await this.events.emit("projects.changed", { projectId: id });
    return updated;
  }

  /** Updates a domain; throws 404 `Could not find domain` for anything but a domain. */
  async updateDomain(id: string, changes: ProjectUpdate): Promise<Domain> {
    await this.getDomain(id);
    return domainOf(await this.updateProject(id, changes));
  }

  /**
   * Deletes a project (a domain-project goes through `deleteDomain`). Throws 404, 403 when it has
   * children (unless `cascade` over a wholly disabled subtree).
   */
  async deleteProject(id: string, options: { cascade?: boolean } = {}): Promise<void> {
    const project = await this.getProject(id);
    if (project.isDomain) return this.deleteDomain(id);
    const subtree = subtreeOf(id, indexChildren(await this.projects.list()));
    if (subtree.length > 0 && !options.cascade)
      throw forbiddenNotSecurity(
        `Cannot delete the project ${id} since it is not a leaf in the hierarchy. Use the cascade option if you want to delete a whole subtree.`,
      );
    if (subtree.some((p) => p.enabled))
      throw forbiddenNotSecurity(`Cannot delete project ${id} since its subtree contains enabled projects.`);
    await this.removeProjects([...subtree.reverse(), project]);
  }

  /** Deletes a disabled domain and every project in it. Throws 404, 403 while it is enabled. */
  async deleteDomain(id: string): Promise<void> {
    const stored = await this.projects.get(id);
    if (stored === null || !stored.project.isDomain) throw domainNotFound(id);
    if (stored.project.enabled)
      throw forbiddenNotSecurity("Cannot delete a domain that is enabled, please disable it first.");
    const inside = subtreeOf(id, indexChildren(await this.projects.list({ domainId: id })));
    await this.removeProjects(inside.reverse());
    await this.projects.delete([id]);
    await this.events.emit("domain.deleted", { domainId: id });
    await this.events.emit("projects.changed", { projectId: id });
  }

  /** The tags of a project; 404 for an unknown project. */
  async listTags(id: string): Promise<readonly string[]> {
    return (await this.getProject(id)).tags;
  }

  /** Succeeds when the project carries `tag`; 404 `Could not find project tag` otherwise. */
  async checkTag(id: string, tag: string): Promise<void> {
    if (!(await this.getProject(id)).tags.includes(tag)) throw projectTagNotFound(tag);
  }

  /** Adds one tag (kept once); returns the tag. */
  async addTag(id: string, tag: string): Promise<string> {
    const tags = await this.listTags(id);
    const name = tag.trim();
    if (!tags.includes(name)) await this.updateProject(id, { tags: [...tags, name] });
    return name;
  }

  /** Replaces every tag; returns the new list. */
  async replaceTags(id: string, tags: readonly string[]): Promise<readonly string[]> {
    return (await this.updateProject(id, { tags })).tags;
  }

  /** Removes one tag; 404 when the project does not carry it. */
  async deleteTag(id: string, tag: string): Promise<void> {
    const tags = await this.listTags(id);
    if (!tags.includes(tag)) throw projectTagNotFound(tag);
    await this.updateProject(id, { tags: tags.filter((t) => t !== tag) });
  }

  private async assertPlacement(project: Project): Promise<void> {
    const domain = await this.getDomain(project.domainId ?? "");
    const parent = await this.getProject(project.parentId ?? "");
    if (parent.isDomain && parent.id !== domain.id)
      throw validationError(
        `Cannot create project, the parent (${parent.id}) is acting as a domain, but this project's domain id (${domain.id}) does not match the parent's id.`,
      );
    if (!parent.isDomain && parent.domainId !== domain.id)
      throw validationError(
        `Cannot create project, since it specifies its domain_id ${domain.id}, but specifies a parent in a different domain (${parent.domainId}).`,
      );
    const all = await this.projects.list();
    const branch = [...parentsOf(parent, new Map(all.map((p) => [p.id, p]))), parent];
    const disabled = branch.find((p) => !p.enabled);
    if (disabled !== undefined)
      throw validationError(`cannot create a project in a branch containing a disabled project: ${disabled.id}`);
    if (branch.length + 1 > this.maxDepth + 1)
      throw forbiddenNotSecurity(`Max hierarchy depth reached for ${parent.id} branch.`);
  }

  private async cascadeEnabled(subtree: readonly Project[], enabled: boolean): Promise<void> {
    for (const child of subtree) {
      if (child.enabled === enabled) continue;
      const stored = await this.projects.get(child.id);
      if (stored === null) continue;
      await this.projects.update({ ...stored.project, enabled }, stored.generation);
      if (!enabled) await this.events.emit("project.disabled", { projectId: child.id });
    }
  }

  private async removeProjects(ordered: readonly Project[]): Promise<void> {
    for (const p of ordered) {
      await this.projects.delete([p.id]);
      await this.events.emit("project.deleted", { projectId: p.id, domainId: p.domainId });
      await this.events.emit("projects.changed", { projectId: p.id });
    }
  }
}
