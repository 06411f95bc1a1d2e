/**
 * `/v2.0/networks`: wire schemas and the rendering of a network (provider attributes for admins only).
 */
import { z } from "zod";
import type { Network } from "../domain/model.js";
import type { Caller } from "../service/context.js";
import type { NetworkService } from "../service/networks.js";
import {
  type BodySpec,
  nBool,
  nInt,
  nString,
  parseCreate,
  parseUpdate,
  projectAttrs,
  standardWritable,
} from "./body.js";
import type { CollectionSpec } from "./resource-routes.js";

export const NETWORK_ATTRIBUTES = [
  "id",
  "name",
  "description",
  "project_id",
  "tenant_id",
  "admin_state_up",
  "status",
  "shared",
  "router:external",
  "mtu",
  "subnets",
  "provider:network_type",
  "provider:physical_network",
  "provider:segmentation_id",
  "port_security_enabled",
  "availability_zone_hints",
  "availability_zones",
  "ipv4_address_scope",
  "ipv6_address_scope",
  "l2_adjacency",
  "is_default",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
] as const;

const writable = {
  ...standardWritable,
  name: nString(255).optional(),
  admin_state_up: nBool.optional(),
  shared: nBool.optional(),
  "router:external": nBool.optional(),
  mtu: nInt.pipe(z.number().min(68, { error: "'{value}' is too small - must be at least '68'" })).optional(),
  port_security_enabled: nBool.optional(),
  is_default: nBool.optional(),
  "provider:network_type": nString(255).optional(),
  "provider:physical_network": nString(64).nullable().optional(),
  "provider:segmentation_id": nInt.nullable().optional(),
};

export const networkBody = {
  resource: "network",
  attributes: NETWORK_ATTRIBUTES,
  create: z.object({
    ...writable,
    ...projectAttrs,
    availability_zone_hints: z.array(nString(255)).optional(),
  }),
  update: z.object(writable),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

const ADMIN_ONLY = ["provider:network_type", "provider:physical_network", "provider:segmentation_id"];

/** A network as `caller` sees it. */
export function networkView(caller: Caller, n: Network): Record<string, unknown> {
  const view: Record<string, unknown> = { ...n };
  if (!caller.isAdmin) for (const k of ADMIN_ONLY) delete view[k];
  return view;
}

export function networkCollection(
  service: NetworkService,
  remove: (caller: Caller, id: string) => Promise<void>,
): CollectionSpec<Network> {
  return {
    singular: "network",
    plural: "networks",
    kind: "network",
    attributes: NETWORK_ATTRIBUTES,
    view: networkView,
    list: (caller) => service.list(caller),
    get: (caller, id) => service.get(caller, id),
    create: (caller, body) => service.create(caller, parseCreate(networkBody, body)),
    update: (caller, id, body) => service.update(caller, id, parseUpdate(networkBody, body)),
    delete: remove,
  };
}
