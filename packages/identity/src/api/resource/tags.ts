/**
 * `/v3/projects/{project_id}/tags[/{value}]` (keystone/api/projects.py, tag resources).
 */
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { baseUrl } from "../links.js";
import type { ResourceRouteDeps } from "./deps.js";
import { enforce } from "./policy-target.js";
import { projectTarget } from "./projects.js";
import { entityOf, tagList, validateEntity } from "./validate.js";

const Params = z.object({ project_id: z.string() });
const TagParams = z.object({ project_id: z.string(), value: z.string() });
const Tag = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^,/]*$/);

/** Registers the project tag routes. */
export function registerProjectTagRoutes(app: ServiceApp, deps: ResourceRouteDeps): void {
  const { authorizer, resources } = deps;
  const targetOf = async (id: string) => {
    const project = await resources.getProject(id).catch(() => null);
    return project === null ? {} : { project: projectTarget(project) };
  };
  const tagsBody = (request: { url: string; headers: Record<string, unknown> }, tags: readonly string[]) => ({
    links: { self: `${baseUrl(request as never)}${request.url}` },
    tags,
  });

  app.get("/v3/projects/:project_id/tags", { schema: { params: Params } }, async (request) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:list_project_tags", { target: await targetOf(id) });
    return tagsBody(request, await resources.listTags(id));
  });

  app.put("/v3/projects/:project_id/tags", { schema: { params: Params } }, async (request) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:update_project_tags", { target: await targetOf(id) });
    const tags = validateEntity(tagList, entityOf(request.body, "tags"));
    return tagsBody(request, await resources.replaceTags(id, tags));
  });

  app.delete("/v3/projects/:project_id/tags", { schema: { params: Params } }, async (request, reply) => {
    const id = request.params.project_id;
    enforce(authorizer, request, "identity:delete_project_tags", { target: await targetOf(id) });
    await resources.replaceTags(id, []);
    return reply.code(204).send();
  });

  app.get("/v3/projects/:project_id/tags/:value", { schema: { params: TagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    enforce(authorizer, request, "identity:get_project_tag", { target: await targetOf(id) });
    await resources.checkTag(id, value);
    return reply.code(204).send();
  });

  app.put("/v3/projects/:project_id/tags/:value", { schema: { params: TagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    enforce(authorizer, request, "identity:create_project_tag", { target: await targetOf(id) });
    validateEntity(Tag, value);
    validateEntity(tagList, [...(await resources.listTags(id)), value]);
    await resources.addTag(id, value);
    return reply
      .code(201)
      .header("location", `${baseUrl(request)}/v3/projects/${id}/tags/${value}`)
      .send("");
  });

  app.delete("/v3/projects/:project_id/tags/:value", { schema: { params: TagParams } }, async (request, reply) => {
    const { project_id: id, value } = request.params;
    enforce(authorizer, request, "identity:delete_project_tag", { target: await targetOf(id) });
    await resources.deleteTag(id, value);
    return reply.code(204).send();
  });
}
