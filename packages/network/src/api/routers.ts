/**
 * `/v2.0/routers` with `add_router_interface` / `remove_router_interface`, and `/v2.0/floatingips`.
 */
import type { ServiceApp } from "@stratus/core/http";
import { z } from "zod";
import { httpBadRequest } from "../domain/faults.js";
import type { FloatingIp, Router } from "../domain/model.js";
import type { NeutronService } from "../service/neutron.js";
import {
  type BodySpec,
  nBool,
  nCidr,
  nIp,
  nString,
  nUuid,
  parseCreate,
  parseUpdate,
  projectAttrs,
  standardWritable,
} from "./body.js";
import { type ApiSettings, type CollectionSpec, callerOf } from "./resource-routes.js";

const STANDARD = [
  "id",
  "description",
  "project_id",
  "tenant_id",
  "created_at",
  "updated_at",
  "revision_number",
  "tags",
];

export const ROUTER_ATTRIBUTES = [
  ...STANDARD,
  "name",
  "admin_state_up",
  "status",
  "external_gateway_info",
  "routes",
  "distributed",
  "ha",
  "availability_zone_hints",
  "availability_zones",
  "flavor_id",
];

const fixedIp = z.object({ subnet_id: nUuid.optional(), ip_address: nIp.optional() }).strict();
// `{}` is how clients (Tempest, neutronclient) say "no gateway": the same as null
const gateway = z.preprocess(
  (v) => (v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 0 ? null : v),
  z
    .object({
      network_id: nUuid,
      enable_snat: nBool.optional(),
      external_fixed_ips: z.array(fixedIp).optional(),
    })
    .strict()
    .nullable(),
);

const routerWritable = {
  ...standardWritable,
  name: nString(255).optional(),
  admin_state_up: nBool.optional(),
  external_gateway_info: gateway.optional(),
};

export const routerBody = {
  resource: "router",
  attributes: ROUTER_ATTRIBUTES,
  create: z.object({ ...routerWritable, ...projectAttrs }),
  update: z.object({
    ...routerWritable,
    // null clears the routes, as Neutron's convert_none_to_empty_list does
    routes: z
      .array(z.object({ destination: nCidr, nexthop: nIp }).strict())
      .nullable()
      .transform((r) => r ?? [])
      .optional(),
  }),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

export function routerCollection(neutron: NeutronService): CollectionSpec<Router> {
  const s = neutron.routers;
  return {
    singular: "router",
    plural: "routers",
    kind: "router",
    attributes: ROUTER_ATTRIBUTES,
    view: (_caller, r) => ({ ...r }),
    list: (caller) => s.list(caller),
    get: (caller, id) => s.get(caller, id),
    create: (caller, body) => s.create(caller, parseCreate(routerBody, body)),
    update: (caller, id, body) => s.update(caller, id, parseUpdate(routerBody, body)),
    delete: (caller, id) => s.delete(caller, id),
  };
}

const interfaceBody = z
  .object({ subnet_id: nUuid.optional(), port_id: nUuid.optional() }, { error: "Body contains invalid data" })
  .strict();

/** `PUT /v2.0/routers/:id/add_router_interface` and `.../remove_router_interface`. */
export function registerRouterInterfaceRoutes(app: ServiceApp, settings: ApiSettings, neutron: NeutronService): void {
  for (const action of ["add_router_interface", "remove_router_interface"] as const)
    app.put(`/v2.0/routers/:id/${action}`, async (request) => {
      const parsed = interfaceBody.safeParse(request.body ?? {});
      if (!parsed.success)
        throw httpBadRequest(`Invalid input for operation: ${parsed.error.issues[0]?.message ?? "invalid body"}.`);
      const { id } = request.params as { id: string };
      const caller = callerOf(request, settings);
      const i = neutron.routerInterfaces;
      return action === "add_router_interface" ? i.add(caller, id, parsed.data) : i.remove(caller, id, parsed.data);
    });
}

export const FLOATING_IP_ATTRIBUTES = [
  ...STANDARD,
  "floating_network_id",
  "floating_ip_address",
  "fixed_ip_address",
  "port_id",
  "router_id",
  "status",
  "dns_name",
  "dns_domain",
  "subnet_id",
  "qos_policy_id",
];

export const floatingIpBody = {
  resource: "floatingip",
  attributes: FLOATING_IP_ATTRIBUTES,
  create: z.object({
    ...standardWritable,
    ...projectAttrs,
    floating_network_id: nUuid,
    floating_ip_address: nIp.optional(),
    subnet_id: nUuid.optional(),
    port_id: nUuid.nullable().optional(),
    fixed_ip_address: nIp.nullable().optional(),
  }),
  update: z.object({
    ...standardWritable,
    port_id: nUuid.nullable().optional(),
    fixed_ip_address: nIp.nullable().optional(),
  }),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

export function floatingIpCollection(neutron: NeutronService): CollectionSpec<FloatingIp> {
  const s = neutron.floatingIps;
  return {
    singular: "floatingip",
    plural: "floatingips",
    kind: "floatingip",
    attributes: FLOATING_IP_ATTRIBUTES,
    view: (_caller, f) => ({ ...f }),
    list: (caller) => s.list(caller),
    get: (caller, id) => s.get(caller, id),
    create: (caller, body) => s.create(caller, parseCreate(floatingIpBody, body)),
    update: (caller, id, body) => s.update(caller, id, parseUpdate(floatingIpBody, body)),
    delete: (caller, id) => s.delete(caller, id),
  };
}
