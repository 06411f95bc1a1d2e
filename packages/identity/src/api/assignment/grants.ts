/**
 * Grants on projects and domains, for users and groups, direct and OS-INHERIT
 * (keystone/api/projects.py, domains.py, os_inherit.py): PUT grants, GET/HEAD checks (204),
 * DELETE revokes, GET `.../roles` lists.
 */
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { groupNotFound, userNotFound } from "../../assignment/messages.js";
import type { Actor, Grant, Target } from "../../assignment/model.js";
import { collectionBody } from "../links.js";
import { enforce } from "../resource/policy-target.js";
import { projectTarget } from "../resource/projects.js";
import type { AssignmentRouteDeps } from "./deps.js";
import { roleTarget, roleView } from "./views.js";

type Params = Record<string, string>;
type TargetKind = "projects" | "domains";
type ActorKind = "users" | "groups";

interface Route {
  readonly target: TargetKind;
  readonly actor: ActorKind;
  readonly inherited: boolean;
}

const ROUTES: readonly Route[] = (["projects", "domains"] as const).flatMap((target) =>
  (["users", "groups"] as const).flatMap((actor) => [false, true].map((inherited) => ({ target, actor, inherited }))),
);

const targetParam = (k: TargetKind) => (k === "projects" ? "project_id" : "domain_id");
const actorParam = (k: ActorKind) => (k === "users" ? "user_id" : "group_id");

function paths(r: Route): { one: string; list: string | null } {
  const base = `${r.target}/:${targetParam(r.target)}/${r.actor}/:${actorParam(r.actor)}/roles`;
  if (!r.inherited) return { one: `/v3/${base}/:role_id`, list: `/v3/${base}` };
  // OS-INHERIT lists inherited grants on domains only, as Keystone does.
  return {
    one: `/v3/OS-INHERIT/${base}/:role_id/inherited_to_projects`,
    list: r.target === "domains" ? `/v3/OS-INHERIT/${base}/inherited_to_projects` : null,
  };
}

/** Registers every project/domain grant route. */
export function registerGrantRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  const { authorizer, assignments, resources, roles, identity } = deps;

  const actorOf = (r: Route, p: Params): Actor =>
    r.actor === "users" ? { userId: p["user_id"] ?? "" } : { groupId: p["group_id"] ?? "" };
  const targetOf = (r: Route, p: Params): Target =>
    r.target === "projects" ? { projectId: p["project_id"] ?? "" } : { domainId: p["domain_id"] ?? "" };

  /** Keystone's _build_enforcement_target(_attr): role, user or group, project or domain; 404s on the way. */
  const policyTarget = async (r: Route, p: Params, allowMissingActor: boolean) => {
    const out: Record<string, unknown> = {};
    if (r.target === "domains") {
      const d = await resources.getDomain(p["domain_id"] ?? "");
      out["domain"] = { id: d.id, name: d.name, description: d.description, enabled: d.enabled };
    }
    if (p["role_id"] !== undefined) out["role"] = roleTarget(await roles.getRole(p["role_id"]));
    if (r.actor === "users") {
      const user = await identity.getUser(p["user_id"] ?? "");
      if (user === null && !allowMissingActor) throw userNotFound(p["user_id"] ?? "");
      if (user !== null) out["user"] = user;
    } else {
      const group = await identity.getGroup(p["group_id"] ?? "");
      if (group === null && !allowMissingActor) throw groupNotFound(p["group_id"] ?? "");
      if (group !== null) out["group"] = group;
    }
    if (r.target === "projects") out["project"] = projectTarget(await resources.getProject(p["project_id"] ?? ""));
    return out;
  };

  const grantOf = (r: Route, p: Params): Grant => ({
    roleId: p["role_id"] ?? "",
    actor: actorOf(r, p),
    target: targetOf(r, p),
    inherited: r.inherited,
  });

  for (const r of ROUTES) {
    const { one, list } = paths(r);
    const check = async (request: FastifyRequest) => {
      const p = request.params as Params;
      enforce(authorizer, request, "identity:check_grant", { target: await policyTarget(r, p, false) });
      await assignments.checkGrant(grantOf(r, p));
    };
    app.get(one, { exposeHeadRoute: false }, async (request, reply) => {
      await check(request);
      return reply.code(204).send();
    });
    app.head(one, async (request, reply) => {
      await check(request);
      return reply.code(204).send();
    });
    app.put(one, async (request, reply) => {
      const p = request.params as Params;
      enforce(authorizer, request, "identity:create_grant", { target: await policyTarget(r, p, false) });
      await assignments.createGrant(grantOf(r, p));
      return reply.code(204).send();
    });
    app.delete(one, async (request, reply) => {
      const p = request.params as Params;
      enforce(authorizer, request, "identity:revoke_grant", { target: await policyTarget(r, p, true) });
      await assignments.deleteGrant(grantOf(r, p));
      return reply.code(204).send();
    });
    if (list !== null) {
      app.get(list, async (request) => {
        const p = request.params as Params;
        enforce(authorizer, request, "identity:list_grants", { target: await policyTarget(r, p, false) });
        const granted = await assignments.listGrants({
          actor: actorOf(r, p),
          target: targetOf(r, p),
          inherited: r.inherited,
        });
        return collectionBody(
          request,
          "roles",
          granted.map((role) => roleView(request, role)),
        );
      });
    }
  }
}
