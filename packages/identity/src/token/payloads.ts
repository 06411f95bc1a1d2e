/**
 * Keystone's token payload versions as one table: each version names its msgpack fields in order
 * (keystone/token/token_formatters.py, `*Payload.assemble`). Version 10 (OAuth2 mTLS) appears in
 * later Keystone releases only; this table follows the installed Keystone 22, which stops at 9.
 */
import {
  auditIdsField,
  domainIdField,
  type FieldCodec,
  groupIdsField,
  idField,
  methodsField,
  stringField,
  timeField,
  uuidField,
} from "./payload-fields.js";

/** What every token carries. */
interface PayloadCommon {
  /** The user's id (a federated user's id may be any string). */
  readonly userId: string;
  /** Auth method names; decoded highest bit first, as Keystone lists them. */
  readonly methods: readonly string[];
  /** When the token stops being valid (millisecond precision; Keystone renders whole seconds). */
  readonly expiresAt: Date;
  /** `[audit_id]`, or `[audit_id, parent_audit_id]` for a token obtained from another (rescoped). */
  readonly auditIds: readonly string[];
}

interface Federated {
  /** Group ids from the identity provider's assertion. */
  readonly groupIds: readonly string[];
  /** The identity provider's id. */
  readonly identityProviderId: string;
  /** The federation protocol's id (e.g. "saml2", "openid"). */
  readonly protocolId: string;
}

/** A token's payload, one variant per Keystone payload version, told apart by `kind`. */
export type TokenPayload =
  | (PayloadCommon & { readonly kind: "unscoped" })
  | (PayloadCommon & { readonly kind: "domain"; readonly domainId: string })
  | (PayloadCommon & { readonly kind: "project"; readonly projectId: string })
  | (PayloadCommon & { readonly kind: "trust"; readonly projectId: string; readonly trustId: string })
  | (PayloadCommon & Federated & { readonly kind: "federated_unscoped" })
  | (PayloadCommon & Federated & { readonly kind: "federated_project"; readonly projectId: string })
  | (PayloadCommon & Federated & { readonly kind: "federated_domain"; readonly domainId: string })
  | (PayloadCommon & { readonly kind: "oauth1"; readonly projectId: string; readonly accessTokenId: string })
  | (PayloadCommon & { readonly kind: "system"; readonly system: string })
  | (PayloadCommon & {
      readonly kind: "application_credential";
      readonly projectId: string;
      readonly applicationCredentialId: string;
    });

/** The kinds of payload. */
export type TokenKind = TokenPayload["kind"];

/** One field of a payload version: its property name on TokenPayload and how it is written. */
export interface PayloadField {
  /** The property of TokenPayload this field holds. */
  readonly name: string;
  /** The field's msgpack encoding. */
  readonly codec: FieldCodec;
}

/** A payload version: its number on the wire, its kind, and its fields in wire order. */
export interface PayloadVersion {
  /** The first element of the msgpack array. */
  readonly version: number;
  /** The TokenPayload variant it carries. */
  readonly kind: TokenKind;
  /** Fields after the version, in order. */
  readonly fields: readonly PayloadField[];
}

const f = (name: string, codec: FieldCodec): PayloadField => ({ name, codec });
const user = f("userId", idField);
const methods = f("methods", methodsField);
const expires = f("expiresAt", timeField);
const audit = f("auditIds", auditIdsField);
const project = f("projectId", idField);
const groups = f("groupIds", groupIdsField);
const idp = f("identityProviderId", idField);
const protocol = f("protocolId", stringField);

/** Every payload version Keystone defines, by version number. */
export const PAYLOAD_VERSIONS: readonly PayloadVersion[] = [
  { version: 0, kind: "unscoped", fields: [user, methods, expires, audit] },
  { version: 1, kind: "domain", fields: [user, methods, f("domainId", domainIdField), expires, audit] },
  { version: 2, kind: "project", fields: [user, methods, project, expires, audit] },
  { version: 3, kind: "trust", fields: [user, methods, project, expires, audit, f("trustId", uuidField)] },
  { version: 4, kind: "federated_unscoped", fields: [user, methods, groups, idp, protocol, expires, audit] },
  {
    version: 5,
    kind: "federated_project",
    fields: [user, methods, project, groups, idp, protocol, expires, audit],
  },
  {
    version: 6,
    kind: "federated_domain",
    fields: [user, methods, f("domainId", idField), groups, idp, protocol, expires, audit],
  },
  { version: 7, kind: "oauth1", fields: [user, methods, project, f("accessTokenId", idField), expires, audit] },
  { version: 8, kind: "system", fields: [user, methods, f("system", stringField), expires, audit] },
  {
    version: 9,
    kind: "application_credential",
    fields: [user, methods, project, expires, audit, f("applicationCredentialId", idField)],
  },
];

const BY_KIND = new Map(PAYLOAD_VERSIONS.map((v) => [v.kind, v]));
const BY_NUMBER = new Map(PAYLOAD_VERSIONS.map((v) => [v.version, v]));

/** The version that carries `kind` (every kind has one). */
export function versionOfKind(kind: TokenKind): PayloadVersion {
  return BY_KIND.get(kind)!;
}

/** The version numbered `version`, or undefined when Keystone defines none. */
export function versionByNumber(version: number): PayloadVersion | undefined {
  return BY_NUMBER.get(version);
}
