/**
 * System grants (keystone/api/system.py): `/v3/system/{users,groups}/{id}/roles[/{role_id}]`.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { groupNotFound, userNotFound } from "../../assignment/messages.js";
import type { Actor } from "../../assignment/model.js";
import { collectionBody } from "../links.js";
import { enforce } from "../resource/policy-target.js";
import type { AssignmentRouteDeps } from "./deps.js";
import { roleTarget, roleView } from "./views.js";

type Params = Record<string, string>;

/** Registers the system grant routes for users and groups. */
export function registerSystemGrantRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  const { authorizer, assignments, roles, identity } = deps;
  for (const kind of ["user", "group"] as const) {
    const idParam = `${kind}_id`;
    const base = `/v3/system/${kind}s/:${idParam}/roles`;
    const actorOf = (p: Params): Actor =>
      kind === "user" ? { userId: p[idParam] ?? "" } : { groupId: p[idParam] ?? "" };
    const target = async (p: Params, allowMissing: boolean) => {
      const out: Record<string, unknown> = {};
      if (p["role_id"] !== undefined) out["role"] = roleTarget(await roles.getRole(p["role_id"]));
      const id = p[idParam] ?? "";
      const actor = kind === "user" ? await identity.getUser(id) : await identity.getGroup(id);
      if (actor === null && !allowMissing) throw kind === "user" ? userNotFound(id) : groupNotFound(id);
      if (actor !== null) out[kind] = actor;
      return out;
    };
    const grant = (p: Params) => ({
      roleId: p["role_id"] ?? "",
      actor: actorOf(p),
      target: { system: "all" as const },
    });
    const check = async (request: FastifyRequest) => {
      const p = request.params as Params;
      enforce(authorizer, request, `identity:check_system_grant_for_${kind}`, { target: await target(p, false) });
      await assignments.checkGrant(grant(p));
    };

    app.get(base, async (request) => {
      const p = request.params as Params;
      enforce(authorizer, request, `identity:list_system_grants_for_${kind}`, { target: await target(p, false) });
      const granted = await assignments.listGrants({ actor: actorOf(p), target: { system: "all" } });
      return collectionBody(
        request,
        "roles",
        granted.map((r) => roleView(request, r)),
      );
    });
    app.get(`${base}/:role_id`, { exposeHeadRoute: false }, async (request, reply) => {
      await check(request);
      return reply.code(204).send();
    });
    app.head(`${base}/:role_id`, async (request, reply) => {
      await check(request);
      return reply.code(204).send();
    });
    app.put(`${base}/:role_id`, async (request, reply) => {
      const p = request.params as Params;
      enforce(authorizer, request, `identity:create_system_grant_for_${kind}`, { target: await target(p, false) });
      await assignments.createGrant(grant(p));
      return reply.code(204).send();
    });
    app.delete(`${base}/:role_id`, async (request, reply) => {
      const p = request.params as Params;
      enforce(authorizer, request, `identity:revoke_system_grant_for_${kind}`, { target: await target(p, true) });
      await assignments.deleteGrant(grant(p));
      return reply.code(204).send();
    });
  }
}
