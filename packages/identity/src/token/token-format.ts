/**
 * Keystone's token format: msgpack of `[version, ...fields]` sealed with Fernet, `=` padding
 * stripped. `issued_at` is not in the payload; it is the Fernet timestamp.
 */
import { decode } from "@msgpack/msgpack";
import { AuthMethodTable } from "./auth-methods.js";
import { tokenFailure } from "./failures.js";
import { decrypt, encrypt, type FernetKey } from "./fernet.js";
import { type PyValue, packPy } from "./msgpack-writer.js";
import type { FieldContext } from "./payload-fields.js";
import { type TokenPayload, versionByNumber, versionOfKind } from "./payloads.js";

/** A payload read from a token, with what the token itself says about it. */
export type UnpackedToken = TokenPayload & {
  /** The payload version number on the wire. */
  readonly version: number;
  /** The Fernet timestamp (whole seconds): Keystone's issued_at. */
  readonly issuedAt: Date;
};

/** Configuration the issuer and the validator must share. */
export interface TokenFormatOptions {
  /** `[auth] methods`, in order (default Keystone's: external, password, token, oauth1, mapped, application_credential). */
  readonly authMethods?: readonly string[];
  /** `[identity] default_domain_id` (default "default"). */
  readonly defaultDomainId?: string;
}

/** Options of a single pack. */
export interface PackOptions {
  /** The Fernet timestamp, i.e. issued_at (default now). */
  readonly now?: Date;
  /** The Fernet IV (default random); for reproducible fixtures only. */
  readonly iv?: Uint8Array;
}

/** Packs and unpacks Keystone token payloads under one configuration. */
export class KeystoneTokenFormat {
  readonly #ctx: FieldContext;

  constructor(options: TokenFormatOptions = {}) {
    this.#ctx = {
      methods: new AuthMethodTable(options.authMethods),
      defaultDomainId: options.defaultDomainId ?? "default",
    };
  }

  /** The msgpack bytes Keystone's `create_token` would seal for `payload`. Throws `bad_request` for unencodable fields. */
  serialize(payload: TokenPayload): Uint8Array {
    const spec = versionOfKind(payload.kind);
    const values = payload as unknown as Record<string, unknown>;
    const fields: PyValue[] = [spec.version];
    for (const field of spec.fields) fields.push(field.codec.encode(values[field.name], this.#ctx));
    return packPy(fields);
  }

  /** The payload of msgpack bytes. Throws `unauthorized` with reason "malformed" or "unsupported_version". */
  deserialize(bytes: Uint8Array): TokenPayload & { readonly version: number } {
    let decoded: unknown;
    try {
      decoded = decode(bytes);
    } catch (cause) {
      throw tokenFailure("malformed", "The token payload is not msgpack.", cause);
    }
    if (!Array.isArray(decoded) || typeof decoded[0] !== "number") {
      throw tokenFailure("malformed", "The token payload is not a versioned list.");
    }
    const spec = versionByNumber(decoded[0]);
    if (spec === undefined) {
      throw tokenFailure("unsupported_version", `This is not a recognized Fernet payload version: ${decoded[0]}`);
    }
    if (decoded.length !== spec.fields.length + 1) {
      throw tokenFailure("malformed", `A version ${spec.version} payload has ${spec.fields.length} fields.`);
    }
    const out: Record<string, unknown> = { kind: spec.kind, version: spec.version };
    spec.fields.forEach((field, i) => {
      out[field.name] = field.codec.decode(decoded[i + 1], this.#ctx, field.name);
    });
    return out as unknown as TokenPayload & { readonly version: number };
  }

  /** The Keystone token string (unpadded) sealing `payload` with `key` (the primary key). */
  pack(payload: TokenPayload, key: FernetKey, options: PackOptions = {}): string {
    return encrypt(key, this.serialize(payload), options).replace(/=+$/, "");
  }

  /**
   * The payload of `token`, verified with the first matching of `keys`. Does not check expiry or
   * revocation (TokenProvider does). Throws `unauthorized` with `details.reason`.
   */
  unpack(token: string, keys: readonly FernetKey[]): UnpackedToken {
    const { plaintext, timestamp } = decrypt(keys, token);
    return { ...this.deserialize(plaintext), issuedAt: new Date(timestamp * 1000) };
  }
}

const DEFAULT_FORMAT = new KeystoneTokenFormat();

/** Packs `payload` into a Keystone token with Keystone's default configuration (see KeystoneTokenFormat). */
export function packToken(payload: TokenPayload, key: FernetKey, options: PackOptions = {}): string {
  return DEFAULT_FORMAT.pack(payload, key, options);
}

/** Unpacks a Keystone token with Keystone's default configuration (see KeystoneTokenFormat.unpack). */
export function unpackToken(token: string, keys: readonly FernetKey[]): UnpackedToken {
  return DEFAULT_FORMAT.unpack(token, keys);
}
