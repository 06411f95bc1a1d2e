/**
 * The Fernet format (github.com/fernet/spec): base64url(0x80 || timestamp (u64 BE) || IV (16) ||
 * AES-128-CBC/PKCS#7 ciphertext || HMAC-SHA256 of all that). The key is base64url of 32 bytes:
 * the signing key (first 16) then the encryption key (last 16).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { badRequest } from "@stratus/core/errors";
import { tokenFailure } from "./failures.js";

const VERSION = 0x80;
const HEADER = 1 + 8 + 16;
const MAC = 32;
const MAX_CLOCK_SKEW_SECONDS = 60;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** A parsed Fernet key: the two 16-byte halves. */
export interface FernetKey {
  /** HMAC-SHA256 key: the first 16 bytes of the decoded key. */
  readonly signingKey: Buffer;
  /** AES-128 key: the last 16 bytes of the decoded key. */
  readonly encryptionKey: Buffer;
}

/** Options of `encrypt`; both exist for test vectors and reproducible fixtures. */
export interface FernetEncryptOptions {
  /** The token's timestamp (default: now). Truncated to whole seconds. */
  readonly now?: Date;
  /** The 16-byte IV (default: random). Never reuse an IV in production. */
  readonly iv?: Uint8Array;
}

/** Options of `decrypt`. */
export interface FernetDecryptOptions {
  /** Refuse tokens whose timestamp is older than this many seconds (and more than 60 s in the future). */
  readonly ttl?: number;
  /** The clock used for the ttl check (default: now). */
  readonly now?: Date;
}

/** Parses a base64url Fernet key (padded or not). Throws `bad_request` unless it decodes to 32 bytes. */
export function parseFernetKey(text: string): FernetKey {
  const trimmed = text.trim();
  const raw = strictBase64url(trimmed);
  if (raw === undefined || raw.length !== 32) {
    throw badRequest("A Fernet key must be 32 url-safe base64-encoded bytes.");
  }
  return { signingKey: raw.subarray(0, 16), encryptionKey: raw.subarray(16, 32) };
}

/** A new random key in the form `Fernet.generate_key()` writes (base64url with padding, 44 chars). */
export function generateFernetKey(): string {
  return `${randomBytes(32).toString("base64url")}=`;
}

/** Restores the `=` padding Keystone strips (from the length mod 4). */
export function restorePadding(token: string): string {
  const rest = token.length % 4;
  return rest === 0 ? token : token + "=".repeat(4 - rest);
}

/** Encrypts `plaintext` into a Fernet token (padded base64url, as the spec writes it). */
export function encrypt(key: FernetKey, plaintext: Uint8Array, options: FernetEncryptOptions = {}): string {
  const iv = options.iv ?? randomBytes(16);
  if (iv.length !== 16) throw badRequest("A Fernet IV must be 16 bytes.");
  const seconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const cipher = createCipheriv("aes-128-cbc", key.encryptionKey, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  const signed = Buffer.allocUnsafe(HEADER + body.length);
  signed[0] = VERSION;
  signed.writeBigUInt64BE(BigInt(seconds), 1);
  signed.set(iv, 9);
  body.copy(signed, HEADER);
  const mac = createHmac("sha256", key.signingKey).update(signed).digest();
  return restorePadding(Buffer.concat([signed, mac]).toString("base64url"));
}

/** What a verified token holds. */
export interface FernetMessage {
  /** The decrypted plaintext. */
  readonly plaintext: Buffer;
  /** The token's timestamp in whole seconds since the epoch (Keystone's issued_at). */
  readonly timestamp: number;
  /** Index in `keys` of the key that verified the token. */
  readonly keyIndex: number;
}

/**
 * Verifies and decrypts `token` (padding optional) with the first of `keys` whose HMAC matches,
 * compared in constant time before anything is decrypted. Throws `unauthorized` with
 * `details.reason` "malformed", "bad_signature", "expired", "clock_skew" or "no_keys".
 */
export function decrypt(keys: readonly FernetKey[], token: string, options: FernetDecryptOptions = {}): FernetMessage {
  if (keys.length === 0) throw tokenFailure("no_keys", "No Fernet keys to verify the token with.");
  const raw = strictBase64url(restorePadding(token));
  if (raw === undefined) throw tokenFailure("malformed", "The token is not url-safe base64.");
  if (raw.length < HEADER + 16 + MAC || (raw.length - HEADER - MAC) % 16 !== 0) {
    throw tokenFailure("malformed", "The token has an impossible length for Fernet.");
  }
  if (raw[0] !== VERSION) throw tokenFailure("malformed", "The token is not Fernet version 0x80.");
  const signed = raw.subarray(0, raw.length - MAC);
  const mac = raw.subarray(raw.length - MAC);
  const keyIndex = keys.findIndex((k) =>
    timingSafeEqual(createHmac("sha256", k.signingKey).update(signed).digest(), mac),
  );
  if (keyIndex < 0) throw tokenFailure("bad_signature", "The token's signature matches none of our Fernet keys.");
  const timestamp = Number(raw.readBigUInt64BE(1));
  if (options.ttl !== undefined) {
    const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
    if (timestamp + options.ttl < now) throw tokenFailure("expired", "The Fernet token is older than its ttl.");
    if (now + MAX_CLOCK_SKEW_SECONDS < timestamp) {
      throw tokenFailure("clock_skew", "The Fernet token's timestamp is too far in the future.");
    }
  }
  const key = keys[keyIndex]!;
  try {
    const decipher = createDecipheriv("aes-128-cbc", key.encryptionKey, raw.subarray(9, HEADER));
    const plaintext = Buffer.concat([decipher.update(raw.subarray(HEADER, raw.length - MAC)), decipher.final()]);
    return { plaintext, timestamp, keyIndex };
  } catch (cause) {
    throw tokenFailure("malformed", "The Fernet token's ciphertext has bad padding.", cause);
  }
}

/** Decodes strict base64url (RFC 4648 §5, optional `=` padding to a multiple of 4), else undefined. */
function strictBase64url(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !BASE64URL.test(text)) return undefined;
  return Buffer.from(text, "base64url");
}
