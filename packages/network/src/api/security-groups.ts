/**
 * `/v2.0/security-groups` and `/v2.0/security-group-rules`: wire schemas.
 */
import { z } from "zod";
import type { SecurityGroup, SecurityGroupRule } from "../domain/model.js";
import type { NeutronService } from "../service/neutron.js";
import {
  type BodySpec,
  nBool,
  nCidr,
  nInt,
  nString,
  nUuid,
  parseCreate,
  parseUpdate,
  projectAttrs,
  standardWritable,
} from "./body.js";
import type { CollectionSpec } from "./resource-routes.js";

const STANDARD = ["id", "description", "project_id", "tenant_id", "created_at", "updated_at", "revision_number"];

export const SECURITY_GROUP_ATTRIBUTES = [...STANDARD, "name", "stateful", "shared", "security_group_rules", "tags"];
export const RULE_ATTRIBUTES = [
  ...STANDARD,
  "security_group_id",
  "direction",
  "ethertype",
  "protocol",
  "port_range_min",
  "port_range_max",
  "remote_ip_prefix",
  "remote_group_id",
  "remote_address_group_id",
  "normalized_cidr",
  "belongs_to_default_sg",
];

const writable = { ...standardWritable, name: nString(255).optional(), stateful: nBool.optional() };

export const securityGroupBody = {
  resource: "security_group",
  attributes: SECURITY_GROUP_ATTRIBUTES,
  create: z.object({ ...writable, ...projectAttrs }),
  update: z.object(writable),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

const port = nInt.pipe(z.number()).nullable().optional();

export const ruleBody = {
  resource: "security_group_rule",
  attributes: RULE_ATTRIBUTES,
  create: z.object({
    ...standardWritable,
    ...projectAttrs,
    security_group_id: nUuid,
    direction: z.enum(["ingress", "egress"], { error: (i) => `'${String(i.input)}' is not in ['ingress', 'egress']` }),
    ethertype: z.enum(["IPv4", "IPv6"], { error: (i) => `'${String(i.input)}' is not in ['IPv4', 'IPv6']` }).optional(),
    protocol: z.union([z.string(), z.number().int()]).nullable().optional(),
    port_range_min: port,
    port_range_max: port,
    remote_ip_prefix: nCidr.nullable().optional(),
    // not checked as a UUID: an id that names no group is Neutron's 404 SecurityGroupNotFound
    remote_group_id: z.string().nullable().optional(),
  }),
  update: z.object({}),
} satisfies BodySpec<z.ZodRawShape, z.ZodRawShape>;

export function securityGroupCollection(neutron: NeutronService): CollectionSpec<SecurityGroup> {
  const s = neutron.securityGroups;
  return {
    singular: "security_group",
    plural: "security_groups",
    path: "security-groups",
    kind: "security_group",
    attributes: SECURITY_GROUP_ATTRIBUTES,
    view: (_caller, sg) => ({ ...sg }),
    list: (caller) => s.list(caller),
    get: (caller, id) => s.get(caller, id),
    create: (caller, body) => s.create(caller, parseCreate(securityGroupBody, body)),
    update: (caller, id, body) => s.update(caller, id, parseUpdate(securityGroupBody, body)),
    delete: (caller, id) => s.delete(caller, id),
  };
}

export function ruleCollection(neutron: NeutronService): CollectionSpec<SecurityGroupRule> {
  const s = neutron.securityGroups;
  return {
    singular: "security_group_rule",
    plural: "security_group_rules",
    path: "security-group-rules",
    kind: "security_group_rule",
    attributes: RULE_ATTRIBUTES,
    view: (_caller, r) => ({ ...r }),
    list: (caller) => s.listRules(caller),
    get: (caller, id) => s.getRule(caller, id),
    create: (caller, body) => s.createRule(caller, parseCreate(ruleBody, body)),
    delete: (caller, id) => s.deleteRule(caller, id),
  };
}
