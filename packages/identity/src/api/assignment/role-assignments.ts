/**
 * `GET /v3/role_assignments` (keystone/api/role_assignments.py) with its filters, `effective`,
 * `include_names` and `include_subtree`.
 */
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { RoleAssignmentQuery } from "../../assignment/listing.js";
import type { AssignmentEntity } from "../../assignment/model.js";
import { baseUrl, collectionBody } from "../links.js";
import { queryString } from "../resource/filters.js";
import { enforce, queryFlag } from "../resource/policy-target.js";
import { projectTarget } from "../resource/projects.js";
import { formatAssignment, type Names } from "./assignment-format.js";
import type { AssignmentRouteDeps } from "./deps.js";

const FILTERS = [
  "group.id",
  "role.id",
  "scope.domain.id",
  "scope.project.id",
  "scope.OS-INHERIT:inherited_to",
  "user.id",
];

/** Registers `GET /v3/role_assignments`. */
export function registerRoleAssignmentRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  const { authorizer, assignments, resources } = deps;

  app.get("/v3/role_assignments", async (request) => {
    const q = request.query as Record<string, unknown>;
    const get = (k: string) => queryString(q, k) || undefined;
    const subtree = queryFlag(request, "include_subtree");
    const ctxDomain = request.auth?.projectId === null ? (request.auth?.domainId ?? null) : null;
    if (subtree) {
      const projectId = get("scope.project.id");
      const target = projectId === undefined ? null : { project: projectTarget(await resources.getProject(projectId)) };
      enforce(authorizer, request, "identity:list_role_assignments_for_tree", { filters: FILTERS, target });
      if (projectId === undefined)
        throw badRequest("scope.project.id must be specified if include_subtree is also specified");
    } else {
      enforce(authorizer, request, "identity:list_role_assignments", {
        filters: [...FILTERS, "scope.system"],
        target: ctxDomain === null ? null : { domain_id: ctxDomain },
      });
    }
    const effective = queryFlag(request, "effective");
    const inheritedParam = queryString(q, "scope.OS-INHERIT:inherited_to");
    const inherited = inheritedParam === undefined ? undefined : inheritedParam === "projects";
    assertCombinations(get, effective, inherited);
    const opt = <T>(k: string, v: T | undefined) => (v === undefined ? {} : { [k]: v });
    const query: RoleAssignmentQuery = {
      ...opt("roleId", get("role.id")),
      ...opt("userId", get("user.id")),
      ...opt("groupId", get("group.id")),
      ...opt("domainId", get("scope.domain.id")),
      ...opt("projectId", get("scope.project.id")),
      ...opt("inherited", inherited),
      system: get("scope.system") === "all",
      includeSubtree: subtree,
      effective,
    };
    let entries = await assignments.listRoleAssignments(query);
    if (ctxDomain !== null && !subtree) entries = await inDomain(deps, entries, ctxDomain);
    const names = queryFlag(request, "include_names") ? await namesFor(deps, entries) : null;
    const base = `${baseUrl(request)}/v3`;
    return collectionBody(
      request,
      "role_assignments",
      entries.map((e) => formatAssignment(e, base, names)),
    );
  });
}

function assertCombinations(
  get: (k: string) => string | undefined,
  effective: boolean,
  inherited: boolean | undefined,
) {
  if (get("scope.domain.id") && get("scope.project.id")) throw badRequest("Specify a domain or project, not both");
  if (get("scope.domain.id") && get("scope.system")) throw badRequest("Specify system or domain, not both");
  if (get("scope.project.id") && get("scope.system")) throw badRequest("Specify system or project, not both");
  if (get("user.id") && get("group.id")) throw badRequest("Specify a user or group, not both");
  if (effective && get("group.id"))
    throw badRequest("Combining effective and group filter will always result in an empty list.");
  if (effective && inherited && get("scope.domain.id"))
    throw badRequest("Combining effective, domain and inherited filters will always result in an empty list.");
}

/** Keystone keeps, for a domain-scoped caller, the entries on that domain or its projects. */
async function inDomain(deps: AssignmentRouteDeps, entries: AssignmentEntity[], domainId: string) {
  const out: AssignmentEntity[] = [];
  for (const e of entries) {
    if (e.domainId === domainId) out.push(e);
    else if (e.projectId !== undefined && (await deps.resources.getProject(e.projectId)).domainId === domainId)
      out.push(e);
  }
  return out;
}

/** Looks up every name `include_names` needs once. */
async function namesFor(deps: AssignmentRouteDeps, entries: readonly AssignmentEntity[]): Promise<Names> {
  const domains = new Map((await deps.resources.listDomains()).map((d) => [d.id, d.name]));
  const domainName = (id: string) => domains.get(id) ?? "";
  const actors = new Map<string, { name: string; domain: { id: string; name: string } }>();
  const roles = new Map((await deps.roles.listRoles()).map((r) => [r.id, r]));
  for (const e of entries) {
    if (e.userId !== undefined && !actors.has(`user:${e.userId}`)) {
      const u = await deps.identity.getUser(e.userId);
      actors.set(
        `user:${e.userId}`,
        u === null
          ? { name: "", domain: { id: "", name: "" } }
          : { name: u.name, domain: { id: u.domain_id, name: domainName(u.domain_id) } },
      );
    }
    if (e.groupId !== undefined && !actors.has(`group:${e.groupId}`)) {
      const g = await deps.identity.getGroup(e.groupId);
      actors.set(
        `group:${e.groupId}`,
        g === null
          ? { name: "", domain: { id: "", name: "" } }
          : { name: g.name, domain: { id: g.domain_id, name: domainName(g.domain_id) } },
      );
    }
    if (e.projectId !== undefined && !actors.has(`project:${e.projectId}`)) {
      const p = await deps.resources.getProject(e.projectId);
      const d = p.domainId ?? "";
      actors.set(`project:${e.projectId}`, { name: p.name, domain: { id: d, name: domainName(d) } });
    }
  }
  return {
    actorOrProject: (kind, id) => actors.get(`${kind}:${id}`) ?? { name: "", domain: { id: "", name: "" } },
    domain: domainName,
    role: (id) => {
      const r = roles.get(id);
      if (r === undefined) return { name: "" };
      return r.domainId === null
        ? { name: r.name }
        : { name: r.name, domain: { id: r.domainId, name: domainName(r.domainId) } };
    },
  };
}
