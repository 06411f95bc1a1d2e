/**
 * Implied roles (`/v3/roles/{prior}/implies[/{implied}]`) and `/v3/role_inferences`
 * (keystone/api/roles.py, role_inferences.py).
 */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import { baseUrl } from "../links.js";
import { enforce } from "../resource/policy-target.js";
import type { AssignmentRouteDeps } from "./deps.js";
import { inferenceRole, roleTarget } from "./views.js";

const ListParams = z.object({ prior_role_id: z.string() });
const Params = z.object({ prior_role_id: z.string(), implied_role_id: z.string() });

/** Registers the implied-role routes and `/v3/role_inferences`. */
export function registerImpliedRoleRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  const { authorizer, roles } = deps;
  const target = async (priorId: string, impliedId?: string) => ({
    prior_role: roleTarget(await roles.getRole(priorId)),
    ...(impliedId === undefined ? {} : { implied_role: roleTarget(await roles.getRole(impliedId)) }),
  });
  const single = async (request: FastifyRequest, priorId: string, impliedId: string) => {
    await roles.getImpliedRole(priorId, impliedId);
    const [prior, implied] = [await roles.getRole(priorId), await roles.getRole(impliedId)];
    return {
      role_inference: { prior_role: inferenceRole(request, prior), implies: inferenceRole(request, implied) },
      links: { self: `${baseUrl(request)}/v3/roles/${priorId}/implies/${impliedId}` },
    };
  };

  app.get("/v3/roles/:prior_role_id/implies", { schema: { params: ListParams } }, async (request) => {
    const priorId = request.params.prior_role_id;
    enforce(authorizer, request, "identity:list_implied_roles", { target: await target(priorId) });
    const prior = await roles.getRole(priorId);
    const rules = await roles.listImpliedRoles(priorId);
    const implied = await roles.listRolesByIds(rules.map((r) => r.impliedRoleId));
    return {
      role_inference: {
        prior_role: inferenceRole(request, prior),
        implies: implied.map((r) => inferenceRole(request, r)),
      },
      links: { self: `${baseUrl(request)}/v3/roles/${priorId}/implies` },
    };
  });

  app.get(
    "/v3/roles/:prior_role_id/implies/:implied_role_id",
    { schema: { params: Params }, exposeHeadRoute: false },
    async (request) => {
      const { prior_role_id: p, implied_role_id: i } = request.params;
      enforce(authorizer, request, "identity:get_implied_role", { target: await target(p, i) });
      return single(request, p, i);
    },
  );

  app.head(
    "/v3/roles/:prior_role_id/implies/:implied_role_id",
    { schema: { params: Params } },
    async (request, reply) => {
      const { prior_role_id: p, implied_role_id: i } = request.params;
      const t = await target(p, i);
      enforce(authorizer, request, "identity:check_implied_role", { target: t });
      enforce(authorizer, request, "identity:get_implied_role", { target: t });
      await single(request, p, i);
      return reply.code(204).send();
    },
  );

  app.put(
    "/v3/roles/:prior_role_id/implies/:implied_role_id",
    { schema: { params: Params } },
    async (request, reply) => {
      const { prior_role_id: p, implied_role_id: i } = request.params;
      enforce(authorizer, request, "identity:create_implied_role", { target: await target(p, i) });
      await roles.createImpliedRole(p, i);
      return reply.code(201).send(await single(request, p, i));
    },
  );

  app.delete(
    "/v3/roles/:prior_role_id/implies/:implied_role_id",
    { schema: { params: Params } },
    async (request, reply) => {
      const { prior_role_id: p, implied_role_id: i } = request.params;
      enforce(authorizer, request, "identity:delete_implied_role", { target: await target(p, i) });
      await roles.deleteImpliedRole(p, i);
      return reply.code(204).send();
    },
  );

  app.get("/v3/role_inferences", async (request) => {
    enforce(authorizer, request, "identity:list_role_inference_rules");
    const rules = await roles.listRoleInferenceRules();
    const byId = new Map((await roles.listRoles()).map((r) => [r.id, r]));
    const grouped = new Map<string, string[]>();
    for (const r of rules) grouped.set(r.priorRoleId, [...(grouped.get(r.priorRoleId) ?? []), r.impliedRoleId]);
    const role_inferences = [...grouped].flatMap(([priorId, implied]) => {
      const prior = byId.get(priorId);
      if (prior === undefined) return [];
      const impliedRoles = implied.flatMap((id) => {
        const role = byId.get(id);
        return role === undefined ? [] : [inferenceRole(request, role)];
      });
      return [{ prior_role: inferenceRole(request, prior), implies: impliedRoles }];
    });
    return { role_inferences };
  });
}
