/**
 * `/v3/projects` (keystone/api/projects.py): list with filters and tags, get with parents/subtree,
 * create, update, delete.
 */
import { badRequest, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Project } from "../../resource/model.js";
import { PROJECT_NAME_MAX } from "../../resource/model.js";
import { collectionBody } from "../links.js";
import type { ResourceRouteDeps } from "./deps.js";
import { inexactFilter, queryBool, queryString } from "./filters.js";
import { enforce, queryFlag } from "./policy-target.js";
import {
  atLeastOne,
  entityOf,
  idString,
  NOT_ENOUGH,
  nameField,
  optionsField,
  tagList,
  validateEntity,
} from "./validate.js";
import { projectView } from "./views.js";

const props = {
  description: z.string().nullable().optional(),
  domain_id: idString.nullable().optional(),
  enabled: z.boolean().optional(),
  is_domain: z.boolean().optional(),
  parent_id: idString.nullable().optional(),
  name: nameField(PROJECT_NAME_MAX).optional(),
  tags: tagList.optional(),
  options: optionsField.optional(),
};
const ProjectCreate = z.looseObject({ ...props, name: nameField(PROJECT_NAME_MAX) });
const ProjectUpdate = z.looseObject(props).refine(atLeastOne, { message: NOT_ENOUGH });
const KNOWN = new Set([...Object.keys(props), "id", "links"]);

/** Properties beyond Keystone's own, kept in `extra`. */
export const extraOf = (entity: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(entity).filter(([k]) => !KNOWN.has(k)));

/** A project as policy targets see it (Keystone's to_dict). */
export const projectTarget = (p: Project) => ({
  id: p.id,
  name: p.name,
  domain_id: p.domainId,
  description: p.description,
  enabled: p.enabled,
  parent_id: p.parentId,
  is_domain: p.isDomain,
  tags: [...p.tags],
});

const Params = z.object({ project_id: z.string() });
const LIST_FILTERS = ["domain_id", "enabled", "name", "parent_id", "is_domain"];

/** Registers `/v3/projects` and `/v3/projects/{project_id}`. */
export function registerProjectRoutes(app: ServiceApp, deps: ResourceRouteDeps): void {
  const { authorizer, resources } = deps;
  /** Keystone's _build_project_target_enforcement: the project when it exists, else nothing. */
  const projectTargetOf = async (id: string) => {
    try {
      return { project: projectTarget(await resources.getProject(id)) };
    } catch (err) {
      if (StratusError.is(err) && err.code === "not_found") return {};
      throw err;
    }
  };

  app.get("/v3/projects", async (request) => {
    const ctxDomain = request.auth?.projectId === null ? (request.auth?.domainId ?? null) : null;
    enforce(authorizer, request, "identity:list_projects", {
      filters: LIST_FILTERS,
      target: ctxDomain === null ? null : { domain_id: ctxDomain },
    });
    const q = request.query as Record<string, unknown>;
    const optional = <T>(key: string, v: T | undefined) => (v === undefined ? {} : { [key]: v });
    const projects = await resources.listProjects(
      {
        ...optional("domainId", queryString(q, "domain_id")),
        ...optional("parentId", queryString(q, "parent_id")),
        ...optional("name", queryString(q, "name")),
        ...optional("enabled", queryBool(q, "enabled")),
        isDomain: queryBool(q, "is_domain") ?? false,
      },
      {
        ...optional("tags", queryString(q, "tags")),
        ...optional("tagsAny", queryString(q, "tags-any")),
        ...optional("notTags", queryString(q, "not-tags")),
        ...optional("notTagsAny", queryString(q, "not-tags-any")),
      },
    );
    const nameOk = inexactFilter(q, "name");
    const visible = projects.filter((p) => nameOk(p.name) && (ctxDomain === null || p.domainId === ctxDomain));
    return collectionBody(
      request,
      "projects",
      visible.map((p) => projectView(request, p)),
    );
  });

  app.get("/v3/projects/:project_id", { schema: { params: Params } }, async (request) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:get_project", { target: await projectTargetOf(id) });
    const project = await resources.getProject(id);
    return { project: { ...projectView(request, project), ...(await expansions(request, deps, project)) } };
  });

  app.post("/v3/projects", async (request, reply) => {
    const entity = entityOf(request.body, "project");
    enforce(authorizer, request, "identity:create_project", { target: { project: entity } });
    const body = validateEntity(ProjectCreate, entity);
    let domainId = body.domain_id ?? null;
    if (!body.is_domain && !domainId) domainId = defaultDomainOf(request);
    try {
      const project = await resources.createProject({
        name: body.name,
        domainId,
        parentId: body.parent_id || domainId,
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        ...(body.is_domain === undefined ? {} : { isDomain: body.is_domain }),
        ...(body.tags === undefined ? {} : { tags: body.tags }),
        extra: extraOf(body),
      });
      return reply.code(201).send({ project: projectView(request, project) });
    } catch (err) {
      // Keystone reports an unknown domain or parent of a new project as a bad request.
      if (StratusError.is(err) && err.code === "not_found") throw badRequest(err.message);
      throw err;
    }
  });

  app.patch("/v3/projects/:project_id", { schema: { params: Params } }, async (request) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:update_project", { target: await projectTargetOf(id) });
    const body = validateEntity(ProjectUpdate, entityOf(request.body, "project"));
    if (body["id"] !== undefined && body["id"] !== null && body["id"] !== id) throw badRequest("Cannot change ID");
    const project = await resources.updateProject(id, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.domain_id === undefined ? {} : { domainId: body.domain_id }),
      ...(body.parent_id === undefined ? {} : { parentId: body.parent_id }),
      ...(body.is_domain === undefined ? {} : { isDomain: body.is_domain }),
      ...(body.tags === undefined ? {} : { tags: body.tags }),
      extra: extraOf(body),
    });
    return { project: projectView(request, project) };
  });

  app.delete("/v3/projects/:project_id", { schema: { params: Params } }, async (request, reply) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:delete_project", { target: await projectTargetOf(id) });
    await resources.deleteProject(id);
    return reply.code(204).send();
  });
}

/** Keystone's _normalize_domain_id: the token's domain for a domain-scoped token, else the default domain. */
function defaultDomainOf(request: FastifyRequest): string {
  const auth = request.auth;
  if (auth !== null && auth.projectId === null && auth.domainId !== null) return auth.domainId;
  return "default";
}

async function expansions(request: FastifyRequest, deps: ResourceRouteDeps, project: Project) {
  const parentsList = queryFlag(request, "parents_as_list");
  const parentsIds = queryFlag(request, "parents_as_ids");
  const subtreeList = queryFlag(request, "subtree_as_list");
  const subtreeIds = queryFlag(request, "subtree_as_ids");
  if (parentsList && parentsIds)
    throw badRequest("Cannot use parents_as_list and parents_as_ids query params at the same time.");
  if (subtreeList && subtreeIds)
    throw badRequest("Cannot use subtree_as_list and subtree_as_ids query params at the same time.");
  const out: Record<string, unknown> = {};
  const wrap = (p: Project) => ({ project: projectView(request, p) });
  const userId = request.auth?.userId ?? null;
  const allowed =
    deps.projectIdsForUser === undefined || userId === null ? null : new Set(await deps.projectIdsForUser(userId));
  const visible = (list: Project[]) => (allowed === null ? list : list.filter((p) => allowed.has(p.id)));
  if (parentsList) out["parents"] = visible(await deps.resources.listProjectParents(project.id)).map(wrap);
  else if (parentsIds) out["parents"] = await deps.resources.parentsAsIds(project.id);
  if (subtreeList) out["subtree"] = visible(await deps.resources.listProjectsInSubtree(project.id)).map(wrap);
  else if (subtreeIds) out["subtree"] = await deps.resources.subtreeAsIds(project.id);
  return out;
}
