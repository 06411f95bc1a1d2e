/**
 * `/v3/auth/*`: issue (`POST`), validate (`GET`), check (`HEAD`) and revoke (`DELETE`) tokens,
 * and the scopes and catalog a token can see.
 */
import { forbidden, notFound } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import type { FastifyRequest } from "fastify";
import { z } from "zod";
import type { AuthRoles, AuthUsers, TokenScopeTarget } from "../../auth/ports.js";
import { AuthRequestBody } from "../../auth/request-body.js";
import type { AuthService } from "../../auth/service.js";
import type { CatalogService } from "../../catalog/service.js";
import type { Authorizer } from "../../ports.js";
import { baseUrl, collectionBody, withSelfLink } from "../links.js";

export interface AuthRouteDeps {
  readonly authorizer: Authorizer;
  readonly auth: AuthService;
  readonly catalog: CatalogService;
  readonly roles: AuthRoles;
  readonly users: AuthUsers;
}

const TokenQuery = z.object({ nocatalog: z.string().optional(), allow_expired: z.string().optional() });
const isTrue = (v: string | undefined) =>
  v !== undefined && ["1", "true", "yes", "on", "y", "t"].includes(v.toLowerCase());

const scopeView = (s: TokenScopeTarget, kind: "projects" | "domains", request: FastifyRequest) =>
  withSelfLink(request, kind, {
    id: s.id,
    name: s.name,
    enabled: s.enabled,
    ...(kind === "projects" ? { domain_id: s.domainId, is_domain: s.isDomain } : {}),
  });

export function registerAuthRoutes(app: ServiceApp, deps: AuthRouteDeps): void {
  const { authorizer, auth } = deps;
  const creds = (request: FastifyRequest) => authorizer.credentialsOf(request.auth!);
  const subjectToken = (request: FastifyRequest) => {
    const raw = request.headers["x-subject-token"];
    const token = Array.isArray(raw) ? raw[0] : raw;
    if (!token) throw notFound("Could not find token: No token in the request.");
    return token;
  };

  app.post(
    "/v3/auth/tokens",
    { schema: { body: AuthRequestBody, querystring: TokenQuery }, config: { public: true } },
    async (request, reply) => {
      const issued = await auth.issue(request.body.auth, { includeCatalog: request.query.nocatalog === undefined });
      return reply.code(201).header("x-subject-token", issued.token).send(issued.body);
    },
  );

  const validate = async (request: FastifyRequest, query: z.infer<typeof TokenQuery>, rule: string) => {
    const token = subjectToken(request);
    const validated = await auth.validate(token, {
      allowExpired: isTrue(query.allow_expired),
      includeCatalog: query.nocatalog === undefined,
    });
    authorizer.enforce(rule, creds(request), { "target.token.user_id": validated.facts.userId });
    return { token, validated };
  };
  app.get(
    "/v3/auth/tokens",
    { schema: { querystring: TokenQuery }, exposeHeadRoute: false },
    async (request, reply) => {
      const { token, validated } = await validate(request, request.query, "identity:validate_token");
      return reply.header("x-subject-token", token).type("application/json; charset=utf-8").send(validated.json);
    },
  );
  app.head("/v3/auth/tokens", { schema: { querystring: TokenQuery } }, async (request, reply) => {
    const { token } = await validate(request, request.query, "identity:check_token");
    return reply.code(200).header("x-subject-token", token).send();
  });
  app.delete("/v3/auth/tokens", async (request, reply) => {
    const token = subjectToken(request);
    const validated = await auth.validate(token, { includeCatalog: false });
    authorizer.enforce("identity:revoke_token", creds(request), { "target.token.user_id": validated.facts.userId });
    await auth.revoke(token);
    return reply.code(204).send();
  });

  app.get("/v3/auth/catalog", async (request) => {
    authorizer.enforce("identity:get_auth_catalog", creds(request), {});
    const { userId, projectId } = request.auth!;
    if (!projectId) throw forbidden("A project-scoped token is required to produce a service catalog.");
    return {
      catalog: await deps.catalog.catalogFor(userId ?? "", projectId),
      links: { self: `${baseUrl(request)}/v3/auth/catalog` },
    };
  });
  app.get("/v3/auth/projects", async (request) => {
    authorizer.enforce("identity:get_auth_projects", creds(request), {});
    const userId = request.auth!.userId ?? "";
    const projects = await deps.roles.projectsOf(userId, await deps.users.groupIdsOfUser(userId));
    return collectionBody(
      request,
      "projects",
      projects.map((p) => scopeView(p, "projects", request)),
    );
  });
  app.get("/v3/auth/domains", async (request) => {
    authorizer.enforce("identity:get_auth_domains", creds(request), {});
    const userId = request.auth!.userId ?? "";
    const domains = await deps.roles.domainsOf(userId, await deps.users.groupIdsOfUser(userId));
    return collectionBody(
      request,
      "domains",
      domains.map((d) => scopeView(d, "domains", request)),
    );
  });
  app.get("/v3/auth/system", async (request) => {
    authorizer.enforce("identity:get_auth_system", creds(request), {});
    const userId = request.auth!.userId ?? "";
    const roles = await deps.roles.effectiveRoles(userId, await deps.users.groupIdsOfUser(userId), { kind: "system" });
    return { system: roles.length > 0 ? [{ all: true }] : [], links: { self: `${baseUrl(request)}/v3/auth/system` } };
  });
}
