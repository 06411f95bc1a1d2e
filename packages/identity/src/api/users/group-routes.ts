/** `/v3/groups` and memberships (keystone/api/groups.py). */
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { cannotChangeDomain } from "../../identity-users/service/users.js";
import { collectionBody } from "../links.js";
import { contextOf, type UserRoutesDeps } from "./deps.js";
import { queryString, userFilterOf } from "./filters.js";
import { filterValues } from "./policy-target.js";
import { bodyOf, GroupCreateBody, GroupUpdateBody } from "./schemas.js";
import { extraOf, orUndefined, routeKit } from "./user-routes.js";
import { groupTarget, groupView, userTarget, userView } from "./views.js";

const GROUP_ATTRIBUTES = new Set(["id", "name", "domain_id", "description"]);
const GroupParams = z.object({ group_id: z.string() });
const MemberParams = z.object({ group_id: z.string(), user_id: z.string() });

/** Registers `/v3/groups`, `/v3/groups/{id}`, `/v3/groups/{id}/users[/{user_id}]`. */
export function registerGroupRoutes(app: ServiceApp, deps: UserRoutesDeps): void {
  const kit = routeKit(deps);
  const groupTargetOf = async (groupId: string) =>
    orUndefined(deps.groups.getGroup(groupId)).then((g) => (g === undefined ? {} : { group: groupTarget(g) }));
  const memberTarget = async (groupId: string, userId: string) => {
    const [group, user] = await Promise.all([
      orUndefined(deps.groups.getGroup(groupId)),
      orUndefined(deps.users.get(userId)),
    ]);
    return {
      ...(group === undefined ? {} : { group: groupTarget(group) }),
      ...(user === undefined ? {} : { user: userTarget(user) }),
    };
  };

  app.get("/v3/groups", async (request) => {
    const ctx = contextOf(request);
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_groups", {
      ...(ctx.domainId === null ? {} : { target: { group: { domain_id: ctx.domainId } } }),
      filters: filterValues(query, ["domain_id", "name"]),
    });
    const domainId = queryString(query, "domain_id");
    const name = queryString(query, "name");
    let groups = await deps.groups.list({
      ...(domainId === undefined ? {} : { domainId }),
      ...(name === undefined ? {} : { name }),
    });
    if (ctx.domainId !== null) groups = groups.filter((g) => g.domainId === ctx.domainId);
    const page = kit.limit(groups);
    const base = kit.base(request);
    return collectionBody(
      request,
      "groups",
      page.items.map((g) => groupView(base, g)),
      { base, truncated: page.truncated },
    );
  });

  app.get("/v3/groups/:group_id", { schema: { params: GroupParams } }, async (request) => {
    const { group_id } = request.params;
    kit.enforce(request, "identity:get_group", { viewArgs: { group_id }, target: await groupTargetOf(group_id) });
    return { group: groupView(kit.base(request), await deps.groups.getGroup(group_id)) };
  });

  app.post("/v3/groups", { schema: { body: bodyOf("group", GroupCreateBody) } }, async (request, reply) => {
    const body = request.body.group;
    kit.enforce(request, "identity:create_group", { target: { group: body } });
    const group = await deps.groups.create({
      name: body.name,
      domainId: kit.domainFor(request, body.domain_id),
      ...(body.description === undefined ? {} : { description: body.description }),
      extra: extraOf(body, GROUP_ATTRIBUTES),
    });
    return reply.code(201).send({ group: groupView(kit.base(request), group) });
  });

  app.patch(
    "/v3/groups/:group_id",
    { schema: { params: GroupParams, body: bodyOf("group", GroupUpdateBody) } },
    async (request) => {
      const { group_id } = request.params;
      kit.enforce(request, "identity:update_group", { viewArgs: { group_id }, target: await groupTargetOf(group_id) });
      const body = request.body.group;
      if (body.id !== undefined && body.id !== null && body.id !== group_id) throw badRequest("Cannot change ID");
      const current = await deps.groups.getGroup(group_id);
      if (body.domain_id !== undefined && body.domain_id !== current.domainId) throw cannotChangeDomain();
      const group = await deps.groups.update(group_id, {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.description === undefined ? {} : { description: body.description }),
        extra: extraOf(body, GROUP_ATTRIBUTES),
      });
      return { group: groupView(kit.base(request), group) };
    },
  );

  app.delete("/v3/groups/:group_id", { schema: { params: GroupParams } }, async (request, reply) => {
    const { group_id } = request.params;
    kit.enforce(request, "identity:delete_group", { viewArgs: { group_id } });
    await deps.groups.delete(group_id);
    return reply.code(204).send();
  });

  app.get("/v3/groups/:group_id/users", { schema: { params: GroupParams } }, async (request) => {
    const { group_id } = request.params;
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_users_in_group", {
      viewArgs: { group_id },
      target: await groupTargetOf(group_id),
      filters: filterValues(query, ["domain_id", "enabled", "name", "password_expires_at"]),
    });
    const users = await deps.groups.listUsers(group_id, userFilterOf(query));
    const base = kit.base(request);
    return collectionBody(
      request,
      "users",
      users.map((u) => userView(base, u)),
      { base },
    );
  });

  const memberships: ReadonlyArray<
    readonly [method: "GET" | "PUT" | "DELETE", rule: string, act: (g: string, u: string) => Promise<void>]
  > = [
    ["GET", "identity:check_user_in_group", (g, u) => deps.groups.checkUser(g, u)],
    ["PUT", "identity:add_user_to_group", (g, u) => deps.groups.addUser(g, u)],
    ["DELETE", "identity:remove_user_from_group", (g, u) => deps.groups.removeUser(g, u)],
  ];
  for (const [method, rule, act] of memberships) {
    // GET also answers HEAD (Fastify's automatic HEAD route), which `openstack group contains user` uses.
    app.route({
      method,
      url: "/v3/groups/:group_id/users/:user_id",
      schema: { params: MemberParams },
      handler: async (request, reply) => {
        const { group_id, user_id } = request.params;
        kit.enforce(request, rule, { viewArgs: { group_id, user_id }, target: await memberTarget(group_id, user_id) });
        await act(group_id, user_id);
        return reply.code(204).send();
      },
    });
  }
}
