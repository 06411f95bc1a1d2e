/**
 * An in-memory index of everything effective roles depend on: assignments by actor and target,
 * roles, implication rules and the project hierarchy. Built from one read of each table, then
 * answered without I/O; the assignment service rebuilds it after any change (see service.ts).
 */
import { indexChildren, parentsOf, subtreeOf } from "../resource/hierarchy.js";
import type { Project } from "../resource/model.js";
import type { Assignment, ImpliedRule, Role } from "./model.js";

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
};

/** The raw data a snapshot is built from. */
export interface SnapshotData {
  /** Every assignment. */
  readonly assignments: readonly Assignment[];
  /** Every role. */
  readonly roles: readonly Role[];
  /** Every implication rule. */
  readonly rules: readonly ImpliedRule[];
  /** Every project, domains included. */
  readonly projects: readonly Project[];
}

/** Immutable indexes over one SnapshotData. */
export class AssignmentSnapshot {
  /** Every assignment, in storage order. */
  readonly assignments: readonly Assignment[];
  /** Roles by id. */
  readonly roles: ReadonlyMap<string, Role>;
  /** Projects (domains included) by id. */
  readonly projects: ReadonlyMap<string, Project>;
  private readonly byActor = new Map<string, Assignment[]>();
  private readonly implied = new Map<string, string[]>();
  private readonly children: (id: string) => readonly Project[];
  private readonly closure = new Map<string, readonly string[]>();

  constructor(data: SnapshotData) {
    this.assignments = data.assignments;
    this.roles = new Map(data.roles.map((r) => [r.id, r]));
    this.projects = new Map(data.projects.map((p) => [p.id, p]));
    for (const a of data.assignments) push(this.byActor, a.actorId, a);
    for (const r of data.rules) push(this.implied, r.priorRoleId, r.impliedRoleId);
    this.children = indexChildren(data.projects);
  }

  /** Assignments held by `actorId` (user or group). */
  ofActor(actorId: string): readonly Assignment[] {
    return this.byActor.get(actorId) ?? [];
  }

  /** Roles directly implied by `roleId`. */
  impliedBy(roleId: string): readonly string[] {
    return this.implied.get(roleId) ?? [];
  }

  /** `roleId` and every role it implies, transitively (cycles are cut). Memoized. */
  withImplied(roleId: string): readonly string[] {
    const known = this.closure.get(roleId);
    if (known !== undefined) return known;
    const out: string[] = [];
    const seen = new Set<string>();
    const stack = [roleId];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      stack.push(...this.impliedBy(id));
    }
    this.closure.set(roleId, out);
    return out;
  }

  /** Parents of a project, nearest first (its domain last); [] for an unknown id. */
  parentsOf(projectId: string): Project[] {
    const p = this.projects.get(projectId);
    return p === undefined ? [] : parentsOf(p, this.projects);
  }

  /** Every project below `projectId`. */
  subtreeOf(projectId: string): Project[] {
    return subtreeOf(projectId, this.children);
  }

  /** Every regular project of a domain (what an inherited domain assignment reaches). */
  projectsInDomain(domainId: string): Project[] {
    return [...this.projects.values()].filter((p) => p.domainId === domainId && !p.isDomain);
  }
}
