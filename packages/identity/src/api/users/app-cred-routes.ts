/** `/v3/users/{user_id}/application_credentials` (keystone/api/users.py UserAppCred*Resource). */
import { badRequest, forbidden } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { ApplicationCredential } from "../../identity-users/domain/app-cred.js";
import { collectionBody } from "../links.js";
import { contextOf, type UserRoutesDeps } from "./deps.js";
import { queryString } from "./filters.js";
import { filterValues } from "./policy-target.js";
import { AppCredCreateBody, bodyOf } from "./schemas.js";
import { orUndefined, routeKit } from "./user-routes.js";
import { appCredView } from "./views.js";

const UserParams = z.object({ user_id: z.string() });
const AppCredParams = z.object({ user_id: z.string(), application_credential_id: z.string() });

const forbiddenAction = (action: string) =>
  forbidden(`You are not authorized to perform the requested action: ${action}.`);

/** Keystone's utils.parse_expiration_date: ISO 8601, UTC when no zone, not in the past (checked by the service). */
export function parseExpiresAt(value: string): Date {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`;
  const at = new Date(zoned);
  if (!/^\d{4}-\d\d-\d\d/.test(value) || Number.isNaN(at.getTime())) {
    throw badRequest(
      "Timestamp not in expected format. The server could not comply with the request since it is either " +
        "malformed or otherwise incorrect. The client is assumed to be in error.",
    );
  }
  return at;
}

/** Registers the application credential routes. */
export function registerAppCredRoutes(app: ServiceApp, deps: UserRoutesDeps): void {
  const kit = routeKit(deps);
  const view = async (request: FastifyRequest, a: ApplicationCredential, secret?: string) =>
    appCredView(kit.base(request), a, await deps.appCreds.rolesOf(a), secret);
  const requireUnrestricted = (request: FastifyRequest) => {
    const appCred = deps.applicationCredentialOf?.(contextOf(request)) ?? null;
    if (appCred !== null && !appCred.unrestricted) {
      throw forbiddenAction(
        "Using method 'application_credential' is not allowed for managing additional application credentials",
      );
    }
  };
  // Keystone takes the owner from the stored credential, not from the URL (a loophole it closed).
  const ownerArgs = async (params: { user_id: string; application_credential_id: string }) => {
    const found = await orUndefined(deps.appCreds.get(params.application_credential_id));
    const userId = found?.userId ?? params.user_id;
    return { viewArgs: { ...params, user_id: userId }, target: found === undefined ? {} : { user_id: userId } };
  };

  app.get("/v3/users/:user_id/application_credentials", { schema: { params: UserParams } }, async (request) => {
    const { user_id } = request.params;
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_application_credentials", {
      viewArgs: { user_id },
      filters: filterValues(query, ["name"]),
    });
    const name = queryString(query, "name");
    const list = await deps.appCreds.list(user_id, name === undefined ? {} : { name });
    const items = await Promise.all(list.map((a) => view(request, a)));
    return collectionBody(request, "application_credentials", items, { base: kit.base(request) });
  });

  app.post(
    "/v3/users/:user_id/application_credentials",
    { schema: { params: UserParams, body: bodyOf("application_credential", AppCredCreateBody) } },
    async (request, reply) => {
      const { user_id } = request.params;
      kit.enforce(request, "identity:create_application_credential", { viewArgs: { user_id } });
      requireUnrestricted(request);
      const ctx = contextOf(request);
      if (ctx.userId !== user_id) throw forbiddenAction("Cannot create an application credential for another user.");
      const body = request.body.application_credential;
      const created = await deps.appCreds.create({
        userId: user_id,
        projectId: ctx.projectId,
        name: body.name,
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.secret === undefined ? {} : { secret: body.secret }),
        ...(body.expires_at ? { expiresAt: parseExpiresAt(body.expires_at) } : {}),
        ...(body.roles === undefined ? {} : { roles: body.roles }),
        ...(body.unrestricted === undefined ? {} : { unrestricted: body.unrestricted }),
        ...(body.access_rules === undefined
          ? {}
          : {
              accessRules: body.access_rules.map((r) => ({
                service: r.service ?? "",
                path: r.path ?? "",
                method: r.method ?? "",
                ...(r.id === undefined ? {} : { id: r.id }),
              })),
            }),
      });
      const item = await view(request, created.applicationCredential, created.secret);
      return reply.code(201).send({ application_credential: item });
    },
  );

  app.get(
    "/v3/users/:user_id/application_credentials/:application_credential_id",
    { schema: { params: AppCredParams } },
    async (request) => {
      kit.enforce(request, "identity:get_application_credential", await ownerArgs(request.params));
      const appCred = await deps.appCreds.get(request.params.application_credential_id);
      return { application_credential: await view(request, appCred) };
    },
  );

  app.delete(
    "/v3/users/:user_id/application_credentials/:application_credential_id",
    { schema: { params: AppCredParams } },
    async (request, reply) => {
      kit.enforce(request, "identity:delete_application_credential", await ownerArgs(request.params));
      requireUnrestricted(request);
      await deps.appCreds.delete(request.params.application_credential_id);
      return reply.code(204).send();
    },
  );
}
