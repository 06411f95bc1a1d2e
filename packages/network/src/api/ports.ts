/**
 * `/v2.0/ports`: wire schemas of a port; binding details for admins only.
 */
import { z } from "zod";
import type { Port } from "../domain/model.js";
import type { Caller } from "../service/context.js";
import type { NeutronService } from "../service/neutron.js";
import { VNIC_TYPES } from "../service/port-attrs.js";
import {
  type BodySpec,
  nBool,
  nIp,
  nString,
  nUuid,
  parseCreate,
  parseUpdate,
  projectAttrs,
  standardWritable,
} from "./body.js";
import type { CollectionSpec } from "./resource-routes.js";

export const PORT_ATTRIBUTES = [
  "id",
  "name",
  "description",
  "project_id",
  "tenant_id",
  "network_id",
  "mac_address",
  "admin_state_up",
  "status",
  "device_id",
  "device_owner",
  "fixed_ips",
  "allowed_address_pairs",
  "extra_dhcp_opts",
  "security_groups",
  "port_security_enabled",
  "binding:host_id",
  "binding:vif_type",
  "binding:vif_details",
  "binding:vnic_type",
  "binding:profile",
  "dns_name",
  "propagate_uplink_status",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
] as const;

const fixedIp = z
  .object({ subnet_id: nUuid.optional(), ip_address: nIp.optional() }, { error: "Invalid data format for fixed IP" })
  .strict()
  .refine((f) => f.subnet_id !== undefined || f.ip_address !== undefined, {
    error: "Invalid data format for fixed IP",
  });
const pair = z
  .object(
    { ip_address: z.string(), mac_address: z.string().optional() },
    { error: "Invalid data format for address pair" },
  )
  .strict();

const writable = {
  ...standardWritable,
  name: nString(255).optional(),
  admin_state_up: nBool.optional(),
  mac_address: z.string().optional(),
  fixed_ips: z.array(fixedIp, { error: "Invalid data format for fixed IP" }).optional(),
  device_id: nString(255).optional(),
  device_owner: nString(255).optional(),
  security_groups: z.array(nUuid).optional(),
  port_security_enabled: nBool.optional(),
  allowed_address_pairs: z.array(pair).optional(),
  "binding:host_id": nString(255).optional(),
  "binding:vnic_type": z
    .enum(VNIC_TYPES, {
      error: (i) => `'${String(i.input)}' is not in [${VNIC_TYPES.map((v) => `'${v}'`).join(", ")}]`,
    })
    .optional(),
  "binding:profile": z.record(z.string(), z.unknown()).optional(),
  dns_name: nString(255).optional(),
};

export const portBody = {
  resource: "port",
  attributes: PORT_ATTRIBUTES,
  create: z.object({ ...writable, ...projectAttrs, network_id: nUuid }),
  update: z.object(writable),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

const ADMIN_ONLY = ["binding:host_id", "binding:vif_type", "binding:vif_details", "binding:profile"];

/** A port as `caller` sees it (binding details are admin-only in Neutron's policy). */
export function portView(caller: Caller, p: Port): Record<string, unknown> {
  const view: Record<string, unknown> = { ...p };
  if (!caller.isAdmin) for (const k of ADMIN_ONLY) delete view[k];
  return view;
}

export function portCollection(neutron: NeutronService): CollectionSpec<Port> {
  const s = neutron.ports;
  return {
    singular: "port",
    plural: "ports",
    kind: "port",
    attributes: PORT_ATTRIBUTES,
    view: portView,
    list: (caller) => s.list(caller),
    get: (caller, id) => s.get(caller, id),
    create: (caller, body) => s.create(caller, parseCreate(portBody, body)),
    update: (caller, id, body) => s.update(caller, id, parseUpdate(portBody, body)),
    delete: (caller, id) => s.delete(caller, id),
  };
}
