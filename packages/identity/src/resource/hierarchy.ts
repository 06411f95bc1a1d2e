/**
 * Pure functions over a project forest: parents, subtrees and Keystone's `*_as_ids` shapes.
 */
import type { Project } from "./model.js";

/** A nested map of ids as Keystone's `parents_as_ids` / `subtree_as_ids` return it (null at leaves). */
export type IdTree = { [id: string]: IdTree | null };

/** The chain of parents of `project`, nearest first, as far as `byId` knows them (cycles stop it). */
export function parentsOf(project: Project, byId: ReadonlyMap<string, Project>): Project[] {
  const out: Project[] = [];
  const seen = new Set<string>([project.id]);
  let parentId = project.parentId;
  while (parentId !== null) {
    const parent = byId.get(parentId);
    if (parent === undefined || seen.has(parentId)) break;
    seen.add(parentId);
    out.push(parent);
    parentId = parent.parentId;
  }
  return out;
}

/** Every project below `rootId`, breadth first (children before grandchildren). */
export function subtreeOf(rootId: string, childrenOf: (id: string) => readonly Project[]): Project[] {
  const out: Project[] = [];
  const seen = new Set<string>([rootId]);
  let level = childrenOf(rootId);
  while (level.length > 0) {
    const next: Project[] = [];
    for (const p of level) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      out.push(p);
      next.push(...childrenOf(p.id));
    }
    level = next;
  }
  return out;
}

/** `{parent: {grandparent: null}}` for a project whose parents are `parents` (nearest first); null without parents. */
export function parentsAsIds(parents: readonly Project[]): IdTree | null {
  let tree: IdTree | null = null;
  for (const p of [...parents].reverse()) tree = { [p.id]: tree };
  return tree;
}

/** `{child: {grandchild: null}, other: null}` for the subtree of `rootId`; null for a leaf. */
export function subtreeAsIds(rootId: string, subtree: readonly Project[]): IdTree | null {
  const byParent = new Map<string, Project[]>();
  for (const p of subtree) {
    if (p.parentId === null) continue;
    const list = byParent.get(p.parentId) ?? [];
    list.push(p);
    byParent.set(p.parentId, list);
  }
  const walk = (id: string): IdTree | null => {
    const children = byParent.get(id);
    if (children === undefined || children.length === 0) return null;
    const out: IdTree = {};
    for (const c of children) out[c.id] = walk(c.id);
    return out;
  };
  return walk(rootId);
}

/** A children lookup over a list of projects. */
export function indexChildren(all: readonly Project[]): (id: string) => readonly Project[] {
  const byParent = new Map<string, Project[]>();
  for (const p of all) {
    if (p.parentId === null) continue;
    const list = byParent.get(p.parentId) ?? [];
    list.push(p);
    byParent.set(p.parentId, list);
  }
  return (id) => byParent.get(id) ?? [];
}
