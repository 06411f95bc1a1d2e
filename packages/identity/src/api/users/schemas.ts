/**
 * Request bodies as keystone/identity/schema.py, application_credential/schema.py and
 * credential/schema.py define them. Users, groups and credentials accept extra attributes
 * (additionalProperties: true); user options, password changes and credential updates do not.
 */
import { z } from "zod";

/** parameter_types.id_string. */
export const IdString = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9-]+$/);
/** identity's `_identity_name` / parameter_types.name. */
export const Name = z.string().min(1).max(255).regex(/[\S]+/);

const uniqueJson = (items: readonly unknown[]) => new Set(items.map((i) => JSON.stringify(i))).size === items.length;

const MfaRules = z
  .array(z.array(z.string()).min(1).refine(uniqueJson, "has non-unique elements"))
  .refine(uniqueJson, "has non-unique elements");

/** USER_OPTIONS_REGISTRY.json_schema: known options only, each nullable (null removes it). */
export const UserOptionsBody = z.strictObject({
  ignore_change_password_upon_first_use: z.boolean().nullable().optional(),
  ignore_password_expiry: z.boolean().nullable().optional(),
  ignore_lockout_failure_attempts: z.boolean().nullable().optional(),
  lock_password: z.boolean().nullable().optional(),
  ignore_user_inactivity: z.boolean().nullable().optional(),
  multi_factor_auth_rules: MfaRules.nullable().optional(),
  multi_factor_auth_enabled: z.boolean().nullable().optional(),
});

const Federated = z.array(
  z.looseObject({
    idp_id: z.string(),
    protocols: z.array(z.looseObject({ protocol_id: z.string(), unique_id: z.string() })).min(1),
  }),
);

const userProperties = {
  default_project_id: IdString.nullable().optional(),
  description: z.string().nullable().optional(),
  domain_id: IdString.optional(),
  enabled: z.boolean().optional(),
  federated: Federated.optional(),
  name: Name,
  password: z.string().nullable().optional(),
  options: UserOptionsBody.optional(),
};

/** `POST /v3/users` body's `user`. */
export const UserCreateBody = z.looseObject(userProperties);
/** `PATCH /v3/users/{id}` body's `user` (at least one property). */
export const UserUpdateBody = z
  .looseObject({ ...userProperties, name: Name.optional(), id: z.unknown().optional() })
  .refine((u) => Object.keys(u).length > 0, "{} does not have enough properties");

/** `POST /v3/users/{id}/password` body's `user`. */
export const PasswordChangeBody = z.strictObject({ original_password: z.string(), password: z.string() });

const groupProperties = {
  description: z.string().nullable().optional(),
  domain_id: IdString.optional(),
  name: Name,
};
/** `POST /v3/groups` body's `group`. */
export const GroupCreateBody = z.looseObject(groupProperties);
/** `PATCH /v3/groups/{id}` body's `group`. */
export const GroupUpdateBody = z
  .looseObject({ ...groupProperties, name: Name.optional(), id: z.unknown().optional() })
  .refine((g) => Object.keys(g).length > 0, "{} does not have enough properties");

const RoleByIdOrName = z.union([z.strictObject({ id: IdString }), z.strictObject({ name: Name })]);
const AccessRuleBody = z.strictObject({
  path: z.string().max(225).regex(/^\/.*/).optional(),
  method: z
    .string()
    .regex(/^(POST|GET|HEAD|PATCH|PUT|DELETE)$/)
    .optional(),
  service: IdString.optional(),
  id: IdString.optional(),
});

/** `POST /v3/users/{id}/application_credentials` body's `application_credential`. */
export const AppCredCreateBody = z.looseObject({
  name: Name,
  description: z.string().nullable().optional(),
  secret: z.string().nullable().optional(),
  expires_at: z.string().nullable().optional(),
  roles: z.array(RoleByIdOrName).optional(),
  unrestricted: z.boolean().optional(),
  access_rules: z.array(AccessRuleBody).optional(),
});

/** `POST /v3/credentials` body's `credential` (project_id required for ec2: checked in the handler). */
export const CredentialCreateBody = z.looseObject({
  blob: z.string(),
  project_id: z.string().optional(),
  type: z.string(),
  user_id: z.string(),
});

/** `PATCH /v3/credentials/{id}` body's `credential`: only the blob may change. */
export const CredentialUpdateBody = z.strictObject({ blob: z.string() });

/** Wraps a member schema as `{ <key>: schema }`. */
export const bodyOf = <K extends string, S extends z.ZodType>(key: K, schema: S) =>
  z.object({ [key]: schema } as { [P in K]: S });
