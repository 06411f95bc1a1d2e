/**
 * `/v3/roles` (keystone/api/roles.py): global and domain-specific roles.
 */
import { badRequest } from "@stratus/core/errors";
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import type { Role } from "../../assignment/model.js";
import { ROLE_NAME_MAX } from "../../assignment/model.js";
import { collectionBody } from "../links.js";
import { queryString } from "../resource/filters.js";
import { enforce } from "../resource/policy-target.js";
import { atLeastOne, entityOf, NOT_ENOUGH, nameField, optionsField, validateEntity } from "../resource/validate.js";
import type { AssignmentRouteDeps } from "./deps.js";
import { roleTarget, roleView } from "./views.js";

const props = {
  name: nameField(ROLE_NAME_MAX).optional(),
  description: z.string().optional(),
  options: optionsField.optional(),
};
const RoleCreate = z.looseObject({ ...props, name: nameField(ROLE_NAME_MAX) });
const RoleUpdate = z.looseObject(props).refine(atLeastOne, { message: NOT_ENOUGH });
const Params = z.object({ role_id: z.string() });
const KNOWN = new Set(["name", "description", "options", "domain_id", "id", "links"]);
const extraOf = (e: Record<string, unknown>) => Object.fromEntries(Object.entries(e).filter(([k]) => !KNOWN.has(k)));
const isDomainRole = (role: { domain_id?: unknown } | Role | null) =>
  role !== null && Boolean("domainId" in role ? role.domainId : (role as { domain_id?: unknown }).domain_id);

/** Registers `/v3/roles` and `/v3/roles/{role_id}`. */
export function registerRoleRoutes(app: ServiceApp, deps: AssignmentRouteDeps): void {
  const { authorizer, roles } = deps;
  /** Keystone enforces before reporting a missing role, with the domain rule for a domain role. */
  const enforceOnRole = async (request: Parameters<typeof enforce>[1], id: string, rule: string) => {
    let role: Role | null = null;
    let error: unknown = null;
    try {
      role = await roles.getRole(id);
    } catch (err) {
      error = err;
    }
    if (error !== null || !isDomainRole(role)) {
      enforce(authorizer, request, `identity:${rule}_role`);
      if (error !== null) throw error;
    } else {
      enforce(authorizer, request, `identity:${rule}_domain_role`, { target: { role: roleTarget(role!) } });
    }
    return role as Role;
  };

  app.get("/v3/roles", async (request) => {
    const q = request.query as Record<string, unknown>;
    const domainFilter = queryString(q, "domain_id");
    enforce(authorizer, request, domainFilter ? "identity:list_domain_roles" : "identity:list_roles", {
      filters: ["name", "domain_id"],
    });
    const name = queryString(q, "name");
    const list = await roles.listRoles({ ...(name === undefined ? {} : { name }), domainId: domainFilter || null });
    return collectionBody(
      request,
      "roles",
      list.map((r) => roleView(request, r)),
    );
  });

  app.get("/v3/roles/:role_id", { schema: { params: Params } }, async (request) => {
    const role = await enforceOnRole(request, request.params.role_id, "get");
    return { role: roleView(request, role) };
  });

  app.post("/v3/roles", async (request, reply) => {
    const entity = entityOf(request.body, "role");
    enforce(
      authorizer,
      request,
      isDomainRole(entity as never) ? "identity:create_domain_role" : "identity:create_role",
    );
    const body = validateEntity(RoleCreate, entity);
    const domainId = typeof body["domain_id"] === "string" && body["domain_id"] !== "" ? body["domain_id"] : null;
    const role = await roles.createRole({
      name: body.name,
      domainId,
      ...(body.description === undefined ? {} : { description: body.description }),
      extra: extraOf(body),
    });
    return reply.code(201).send({ role: roleView(request, role) });
  });

  app.patch("/v3/roles/:role_id", { schema: { params: Params } }, async (request) => {
    const id = request.params.role_id;
    await enforceOnRole(request, id, "update");
    const body = validateEntity(RoleUpdate, entityOf(request.body, "role"));
    if (body["id"] !== undefined && body["id"] !== null && body["id"] !== id) throw badRequest("Cannot change ID");
    const role = await roles.updateRole(id, {
      ...(body.name === undefined ? {} : { name: body.name }),
      ...(body.description === undefined ? {} : { description: body.description }),
      ...("domain_id" in body ? { domainId: (body["domain_id"] as string | null) ?? null } : {}),
      extra: extraOf(body),
    });
    return { role: roleView(request, role) };
  });

  app.delete("/v3/roles/:role_id", { schema: { params: Params } }, async (request, reply) => {
    const id = request.params.role_id;
    await enforceOnRole(request, id, "delete");
    await roles.deleteRole(id);
    return reply.code(204).send();
  });
}
