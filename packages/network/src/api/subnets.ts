/**
 * `/v2.0/subnets`: wire schemas of a subnet.
 */
import { z } from "zod";
import type { Subnet } from "../domain/model.js";
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
import type { CollectionSpec } from "./resource-routes.js";

export const SUBNET_ATTRIBUTES = [
  "id",
  "name",
  "description",
  "project_id",
  "tenant_id",
  "network_id",
  "ip_version",
  "cidr",
  "gateway_ip",
  "allocation_pools",
  "dns_nameservers",
  "host_routes",
  "enable_dhcp",
  "ipv6_ra_mode",
  "ipv6_address_mode",
  "subnetpool_id",
  "service_types",
  "segment_id",
  "tags",
  "created_at",
  "updated_at",
  "revision_number",
] as const;

const ipv6Mode = z
  .enum(["slaac", "dhcpv6-stateful", "dhcpv6-stateless"], {
    error: (i) => `'${String(i.input)}' is not in ['dhcpv6-stateful', 'dhcpv6-stateless', 'slaac']`,
  })
  .nullable();

const pool = z.object({ start: nIp, end: nIp }, { error: "Invalid data format for IP pool" }).strict();
const route = z.object({ destination: nCidr, nexthop: nIp }, { error: "Invalid data format for hostroute" }).strict();

const writable = {
  ...standardWritable,
  name: nString(255).optional(),
  gateway_ip: nIp.nullable().optional(),
  allocation_pools: z.array(pool).optional(),
  dns_nameservers: z.array(z.string()).optional(),
  host_routes: z.array(route).optional(),
  enable_dhcp: nBool.optional(),
};

export const subnetBody = {
  resource: "subnet",
  attributes: SUBNET_ATTRIBUTES,
  create: z.object({
    ...writable,
    ...projectAttrs,
    network_id: nUuid,
    ip_version: z.union([z.literal(4), z.literal(6)], { error: (i) => `${String(i.input)} is not in [4, 6]` }),
    cidr: nCidr,
    ipv6_ra_mode: ipv6Mode.optional(),
    ipv6_address_mode: ipv6Mode.optional(),
    service_types: z.array(z.string()).optional(),
  }),
  update: z.object(writable),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

export function subnetCollection(neutron: NeutronService): CollectionSpec<Subnet> {
  const s = neutron.subnets;
  return {
    singular: "subnet",
    plural: "subnets",
    kind: "subnet",
    attributes: SUBNET_ATTRIBUTES,
    view: (_caller, subnet) => ({ ...subnet }),
    list: (caller) => s.list(caller),
    get: (caller, id) => s.get(caller, id),
    create: (caller, body) => s.create(caller, parseCreate(subnetBody, body)),
    update: (caller, id, body) => s.update(caller, id, parseUpdate(subnetBody, body)),
    delete: (caller, id) => s.delete(caller, id),
  };
}
