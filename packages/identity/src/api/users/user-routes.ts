/** `/v3/users` (keystone/api/users.py UserResource, UserChangePasswordResource, UserGroupsResource). */
import { badRequest, StratusError } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { User, UserOptionsPatch } from "../../identity-users/domain/user.js";
import { cannotChangeDomain } from "../../identity-users/service/users.js";
import { baseUrl, collectionBody } from "../links.js";
import { contextOf, type UserRoutesDeps } from "./deps.js";
import { queryString, userFilterOf } from "./filters.js";
import { filterValues, policyTarget } from "./policy-target.js";
import { bodyOf, PasswordChangeBody, UserCreateBody, UserUpdateBody } from "./schemas.js";
import { userGroupView, userTarget, userView } from "./views.js";

const USER_ATTRIBUTES = new Set([
  "id",
  "name",
  "domain_id",
  "password",
  "enabled",
  "default_project_id",
  "password_expires_at",
  "options",
  "federated",
]);

/** The attributes Keystone keeps in a user's `extra` (everything it has no column for). */
export const extraOf = (body: Readonly<Record<string, unknown>>, known = USER_ATTRIBUTES): Record<string, unknown> =>
  Object.fromEntries(Object.entries(body).filter(([k]) => !known.has(k)));

const UserParams = z.object({ user_id: z.string() });

/** Shared plumbing of the users area's handlers. */
export function routeKit(deps: UserRoutesDeps) {
  return {
    base: (request: FastifyRequest) => baseUrl(request, deps.publicEndpoint),
    enforce(request: FastifyRequest, rule: string, parts: Parameters<typeof policyTarget>[0] = {}): void {
      deps.authorizer.enforce(rule, deps.authorizer.credentialsOf(contextOf(request)), policyTarget(parts));
    },
    /** `{ user }` for the policy target when the user exists (Keystone defers the 404). */
    async userTarget(userId: string): Promise<Record<string, unknown>> {
      return orUndefined(deps.users.get(userId)).then((u) => (u === undefined ? {} : { user: userTarget(u) }));
    },
    /** Applies `[identity] list_limit`. */
    limit<T>(items: readonly T[]): { items: readonly T[]; truncated: boolean } {
      const max = deps.listLimit;
      return max === undefined || items.length <= max
        ? { items, truncated: false }
        : { items: items.slice(0, max), truncated: true };
    },
    /** Keystone's `_normalize_domain_id`: the body's, else the token's domain, else the default domain. */
    domainFor(request: FastifyRequest, bodyDomain: string | undefined): string {
      return bodyDomain ?? contextOf(request).domainId ?? deps.defaultDomainId ?? "default";
    },
  };
}

/** Resolves to undefined when `work` fails with not_found. */
export async function orUndefined<T>(work: Promise<T>): Promise<T | undefined> {
  try {
    return await work;
  } catch (err) {
    if (StratusError.is(err) && err.code === "not_found") return undefined;
    throw err;
  }
}

const rejectFederated = (federated: ReadonlyArray<{ idp_id: string }> | undefined) => {
  const idp = federated?.[0];
  if (idp !== undefined) throw badRequest(`Could not find Identity Provider: ${idp.idp_id}`);
};

/** Registers `/v3/users`, `/v3/users/{id}`, `/v3/users/{id}/password` and `/v3/users/{id}/groups`. */
export function registerUserCrudRoutes(app: ServiceApp, deps: UserRoutesDeps): void {
  const kit = routeKit(deps);
  const USER_FILTERS = ["domain_id", "enabled", "idp_id", "name", "protocol_id", "unique_id", "password_expires_at"];

  app.get("/v3/users", async (request) => {
    const ctx = contextOf(request);
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_users", {
      ...(ctx.domainId === null ? {} : { target: { domain_id: ctx.domainId } }),
      filters: filterValues(query, USER_FILTERS),
    });
    // Federation attributes never match a local user.
    const federatedFilter = ["idp_id", "protocol_id", "unique_id"].some((f) => queryString(query, f) !== undefined);
    let users: User[] = federatedFilter ? [] : await deps.users.list(userFilterOf(query));
    if (ctx.domainId !== null) users = users.filter((u) => u.domainId === ctx.domainId);
    const page = kit.limit(users);
    const base = kit.base(request);
    return collectionBody(
      request,
      "users",
      page.items.map((u) => userView(base, u)),
      { base, truncated: page.truncated },
    );
  });

  app.get("/v3/users/:user_id", { schema: { params: UserParams } }, async (request) => {
    const { user_id } = request.params;
    kit.enforce(request, "identity:get_user", { viewArgs: { user_id }, target: await kit.userTarget(user_id) });
    return { user: userView(kit.base(request), await deps.users.get(user_id)) };
  });

  app.post("/v3/users", { schema: { body: bodyOf("user", UserCreateBody) } }, async (request, reply) => {
    const body = request.body.user;
    kit.enforce(request, "identity:create_user", { target: { user: body } });
    rejectFederated(body.federated);
    const user = await deps.users.create({
      name: body.name,
      domainId: kit.domainFor(request, body.domain_id),
      ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
      ...(body.password === undefined ? {} : { password: body.password }),
      ...(body.default_project_id === undefined ? {} : { defaultProjectId: body.default_project_id }),
      ...(body.options === undefined ? {} : { options: body.options as UserOptionsPatch }),
      extra: extraOf(body),
    });
    return reply.code(201).send({ user: userView(kit.base(request), user) });
  });

  app.patch(
    "/v3/users/:user_id",
    { schema: { params: UserParams, body: bodyOf("user", UserUpdateBody) } },
    async (request) => {
      const { user_id } = request.params;
      kit.enforce(request, "identity:update_user", { viewArgs: { user_id }, target: await kit.userTarget(user_id) });
      const current = await deps.users.get(user_id);
      const body = request.body.user;
      if (body.id !== undefined && body.id !== null && body.id !== user_id) throw badRequest("Cannot change ID");
      if (body.domain_id !== undefined && body.domain_id !== current.domainId) throw cannotChangeDomain();
      rejectFederated(body.federated);
      const user = await deps.users.update(user_id, {
        ...(body.name === undefined ? {} : { name: body.name }),
        ...(body.enabled === undefined ? {} : { enabled: body.enabled }),
        ...(body.password === undefined ? {} : { password: body.password }),
        ...(body.default_project_id === undefined ? {} : { defaultProjectId: body.default_project_id }),
        ...(body.options === undefined ? {} : { options: body.options as UserOptionsPatch }),
        extra: extraOf(body),
      });
      return { user: userView(kit.base(request), user) };
    },
  );

  app.delete("/v3/users/:user_id", { schema: { params: UserParams } }, async (request, reply) => {
    const { user_id } = request.params;
    kit.enforce(request, "identity:delete_user", { viewArgs: { user_id }, target: await kit.userTarget(user_id) });
    await deps.users.delete(user_id);
    return reply.code(204).send();
  });

  // Unenforced in Keystone: knowing the original password is the authorization.
  app.post(
    "/v3/users/:user_id/password",
    { schema: { params: UserParams, body: bodyOf("user", PasswordChangeBody) } },
    async (request, reply) => {
      const { original_password, password } = request.body.user;
      await deps.passwords.changePassword(request.params.user_id, original_password, password);
      return reply.code(204).send();
    },
  );

  app.get("/v3/users/:user_id/groups", { schema: { params: UserParams } }, async (request) => {
    const { user_id } = request.params;
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_groups_for_user", {
      viewArgs: { user_id },
      target: await kit.userTarget(user_id),
      filters: filterValues(query, ["name"]),
    });
    const name = queryString(query, "name");
    let groups = await deps.groups.listForUser(user_id, name === undefined ? {} : { name });
    const domainId = contextOf(request).domainId;
    if (domainId !== null) groups = groups.filter((g) => g.domainId === domainId);
    const base = kit.base(request);
    return collectionBody(
      request,
      "groups",
      groups.map((g) => userGroupView(base, g)),
      { base },
    );
  });
}
