/** `/v3/credentials` (keystone/api/credentials.py). */
import { badRequest, StratusError } from "@stratus/core/errors";
import { pyRepr, type ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { Credential } from "../../identity-users/domain/credential.js";
import { collectionBody } from "../links.js";
import { contextOf, type UserRoutesDeps } from "./deps.js";
import { queryString } from "./filters.js";
import { filterValues } from "./policy-target.js";
import { bodyOf, CredentialCreateBody, CredentialUpdateBody } from "./schemas.js";
import { extraOf, orUndefined, routeKit } from "./user-routes.js";
import { credentialView } from "./views.js";

const CREDENTIAL_ATTRIBUTES = new Set(["id", "user_id", "project_id", "type", "blob"]);
const Params = z.object({ credential_id: z.string() });

/** The policy view of a credential (`target.credential.*`). */
const credentialTarget = (c: Credential) => {
  const { links: _links, ...rest } = credentialView("", c);
  return rest;
};

const isForbidden = (err: unknown) => StratusError.is(err) && err.code === "forbidden";

/** Registers `/v3/credentials` and `/v3/credentials/{id}`. */
export function registerCredentialRoutes(app: ServiceApp, deps: UserRoutesDeps): void {
  const kit = routeKit(deps);
  const targetOf = async (id: string) =>
    orUndefined(deps.credentials.get(id)).then((c) => (c === undefined ? {} : { credential: credentialTarget(c) }));
  const allowed = (request: FastifyRequest, c: Credential) => {
    try {
      kit.enforce(request, "identity:get_credential", { target: { credential: credentialTarget(c) } });
      return true;
    } catch (err) {
      if (isForbidden(err)) return false;
      throw err;
    }
  };

  app.get("/v3/credentials", async (request) => {
    const ctx = contextOf(request);
    const query = request.query as Record<string, unknown>;
    kit.enforce(request, "identity:list_credentials", {
      ...(ctx.systemScope === null ? { target: { credential: { user_id: ctx.userId } } } : {}),
      filters: filterValues(query, ["user_id", "type"]),
    });
    const userId = queryString(query, "user_id");
    const type = queryString(query, "type");
    const all = await deps.credentials.list({
      ...(userId === undefined ? {} : { userId }),
      ...(type === undefined ? {} : { type }),
    });
    // Keystone shows only the credentials the caller may get one by one.
    const visible = all.filter((c) => allowed(request, c));
    const page = kit.limit(visible);
    const base = kit.base(request);
    return collectionBody(
      request,
      "credentials",
      page.items.map((c) => credentialView(base, c)),
      { base, truncated: page.truncated },
    );
  });

  app.get("/v3/credentials/:credential_id", { schema: { params: Params } }, async (request) => {
    const { credential_id } = request.params;
    kit.enforce(request, "identity:get_credential", {
      viewArgs: { credential_id },
      target: await targetOf(credential_id),
    });
    return { credential: credentialView(kit.base(request), await deps.credentials.get(credential_id)) };
  });

  app.post(
    "/v3/credentials",
    { schema: { body: bodyOf("credential", CredentialCreateBody) } },
    async (request, reply) => {
      const body = request.body.credential;
      kit.enforce(request, "identity:create_credential", { target: { credential: body } });
      if (body.type === "ec2" && body.project_id === undefined)
        throw badRequest(`${pyRepr(body)} is not valid under any of the given schemas`);
      const appCred = deps.applicationCredentialOf?.(contextOf(request)) ?? null;
      const created = await deps.credentials.create({
        userId: body.user_id,
        projectId: body.project_id ?? null,
        type: body.type,
        blob: body.blob,
        extra: extraOf(body, CREDENTIAL_ATTRIBUTES),
        ...(appCred === null ? {} : { appCredId: appCred.id }),
      });
      return reply.code(201).send({ credential: credentialView(kit.base(request), created) });
    },
  );

  app.patch(
    "/v3/credentials/:credential_id",
    { schema: { params: Params, body: bodyOf("credential", CredentialUpdateBody) } },
    async (request) => {
      const { credential_id } = request.params;
      kit.enforce(request, "identity:update_credential", {
        viewArgs: { credential_id },
        target: await targetOf(credential_id),
      });
      const current = await deps.credentials.get(credential_id);
      const merged = { ...credentialTarget(current), blob: request.body.credential.blob };
      kit.enforce(request, "identity:update_credential", {
        viewArgs: { credential_id },
        target: { credential: merged },
      });
      const updated = await deps.credentials.updateBlob(credential_id, request.body.credential.blob);
      return { credential: credentialView(kit.base(request), updated) };
    },
  );

  app.delete("/v3/credentials/:credential_id", { schema: { params: Params } }, async (request, reply) => {
    const { credential_id } = request.params;
    kit.enforce(request, "identity:delete_credential", {
      viewArgs: { credential_id },
      target: await targetOf(credential_id),
    });
    await deps.credentials.delete(credential_id);
    return reply.code(204).send();
  });
}
