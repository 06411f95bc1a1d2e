/**
 * How each field of a Keystone token payload is written, following keystone/token/token_formatters.py:
 * ids as `[is_bytes, value]` (a UUID compressed to its 16 bytes), methods as a bitmask, expires_at as
 * float seconds, audit ids as the bytes their url-safe base64 stands for.
 */
import { badRequest } from "@stratus/core/errors";
import type { AuthMethodTable } from "./auth-methods.js";
import { tokenFailure } from "./failures.js";
import { PyFloat, type PyValue } from "./msgpack-writer.js";

/** What field codecs need from the configuration. */
export interface FieldContext {
  /** The configured auth methods (issuer and validator must agree). */
  readonly methods: AuthMethodTable;
  /** `[identity] default_domain_id`: the one non-UUID domain id a domain-scoped token may carry. */
  readonly defaultDomainId: string;
}

/** Writes a field to its msgpack value and reads it back. */
export interface FieldCodec {
  /** The msgpack value of `value`; throws `bad_request` when Keystone could not encode it either. */
  encode(value: unknown, ctx: FieldContext): PyValue;
  /** The field's value from the decoded msgpack; throws `unauthorized` (reason "malformed"). */
  decode(raw: unknown, ctx: FieldContext, field: string): unknown;
}

const HEX32 = /^[0-9a-fA-F]{32}$/;

/** The 16 bytes of `value` when Python's `uuid.UUID(value)` accepts it, else undefined. */
export function uuidBytes(value: string): Buffer | undefined {
  // uuid.UUID drops "urn:" and "uuid:", strips braces and removes every hyphen before parsing.
  const hex = value
    .replaceAll("urn:", "")
    .replaceAll("uuid:", "")
    .replace(/^[{}]+|[{}]+$/g, "")
    .replaceAll("-", "");
  return HEX32.test(hex) ? Buffer.from(hex, "hex") : undefined;
}

function bad(field: string, what: string): never {
  throw tokenFailure("malformed", `The token payload's ${field} ${what}.`);
}

function text(raw: unknown, field: string): string {
  if (typeof raw === "string") return raw;
  if (raw instanceof Uint8Array) return Buffer.from(raw).toString("utf8");
  return bad(field, "is not a string");
}

function uuidHex(raw: unknown, field: string): string {
  if (!(raw instanceof Uint8Array) || raw.length !== 16) bad(field, "is not 16 UUID bytes");
  return Buffer.from(raw).toString("hex");
}

function str(value: unknown, field = "value"): string {
  if (typeof value !== "string" || value === "") throw badRequest(`A token's ${field} must be a non-empty string.`);
  return value;
}

/** `[is_bytes, value]`: Keystone's `attempt_convert_uuid_hex_to_bytes` / `_convert_or_decode`. */
export const idField: FieldCodec = {
  encode: (value) => {
    const bytes = uuidBytes(str(value, "id"));
    return bytes === undefined ? [false, value as string] : [true, bytes];
  },
  decode: (raw, _ctx, field) => {
    if (!Array.isArray(raw) || raw.length !== 2 || typeof raw[0] !== "boolean") bad(field, "is not [is_bytes, id]");
    return raw[0] ? uuidHex(raw[1], field) : text(raw[1], field);
  },
};

/** A UUID always as 16 raw bytes (a trust id: `convert_uuid_hex_to_bytes`, which refuses anything else). */
export const uuidField: FieldCodec = {
  encode: (value) => {
    const bytes = uuidBytes(str(value, "trust id"));
    if (bytes === undefined) throw badRequest(`A trust id must be a UUID; ${String(value)} is not.`);
    return bytes;
  },
  decode: (raw, _ctx, field) => uuidHex(raw, field),
};

/** A domain id: 16 raw bytes, or the bare string when it is the configured default domain id. */
export const domainIdField: FieldCodec = {
  encode: (value, ctx) => {
    const bytes = uuidBytes(str(value, "domain id"));
    if (bytes !== undefined) return bytes;
    if (value === ctx.defaultDomainId) return value;
    throw badRequest(`A domain id must be a UUID or the default domain id; ${String(value)} is neither.`);
  },
  decode: (raw, ctx, field) => {
    if (raw instanceof Uint8Array && raw.length === 16) return uuidHex(raw, field);
    const id = text(raw, field);
    if (id !== ctx.defaultDomainId) bad(field, "is neither a UUID nor the default domain id");
    return id;
  },
};

/** A plain string (protocol id, system scope). */
export const stringField: FieldCodec = {
  encode: (value) => str(value),
  decode: (raw, _ctx, field) => text(raw, field),
};

/** Auth method names as a bitmask. */
export const methodsField: FieldCodec = {
  encode: (value, ctx) => ctx.methods.toBits(value as readonly string[]),
  decode: (raw, ctx, field) => (typeof raw === "number" ? ctx.methods.fromBits(raw) : bad(field, "is not an integer")),
};

/** A Date as float seconds since the epoch (Keystone's `_convert_time_string_to_float`). */
export const timeField: FieldCodec = {
  encode: (value) => {
    if (!(value instanceof Date) || Number.isNaN(value.getTime()))
      throw badRequest("A token's expires_at must be a valid Date.");
    return new PyFloat(value.getTime() / 1000);
  },
  decode: (raw, _ctx, field) => {
    if (typeof raw !== "number" || !Number.isFinite(raw)) bad(field, "is not a timestamp");
    return new Date(Math.round(raw * 1000));
  },
};

/** Audit ids (url-safe base64 without padding, 22 chars for Keystone's) as the bytes they encode. */
export const auditIdsField: FieldCodec = {
  encode: (value) => {
    const ids = value as readonly string[];
    if (!Array.isArray(ids) || ids.length < 1 || ids.length > 2) throw badRequest("A token has one or two audit ids.");
    return ids.map((id: unknown) => {
      const bytes = Buffer.from(str(id, "audit id"), "base64url");
      if (bytes.toString("base64url") !== id)
        throw badRequest(`Audit id ${String(id)} is not unpadded url-safe base64.`);
      return bytes;
    });
  },
  decode: (raw, _ctx, field) => {
    if (!Array.isArray(raw) || raw.length < 1) bad(field, "is not a list of audit ids");
    return raw.map((b) =>
      b instanceof Uint8Array ? Buffer.from(b).toString("base64url") : bad(field, "holds a non-bytes id"),
    );
  },
};

/** Federated group ids: a list of `[is_bytes, id]`, exposed as plain ids. */
export const groupIdsField: FieldCodec = {
  encode: (value, ctx) => (value as readonly string[]).map((id) => idField.encode(id, ctx)),
  decode: (raw, ctx, field) => {
    if (!Array.isArray(raw)) bad(field, "is not a list");
    return raw.map((g) => idField.decode(g, ctx, field));
  },
};
