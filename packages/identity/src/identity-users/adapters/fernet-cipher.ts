/**
 * Keystone's credential encryption (credential/providers/fernet): blobs are Fernet tokens
 * (AES-128-CBC + HMAC-SHA256, spec at github.com/fernet/spec) under the credential key
 * repository's keys, primary first; the stored key hash is sha1 of the primary key's text.
 * Implemented on node:crypto so blobs written by Keystone decrypt here and the other way round.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { internal } from "@stratus/core/errors";
import type { CredentialCipher } from "../ports.js";

const VERSION = 0x80;

interface FernetKey {
  readonly text: string;
  readonly signing: Buffer;
  readonly encryption: Buffer;
}

function parseKey(text: string): FernetKey {
  const raw = Buffer.from(text, "base64url");
  if (raw.length !== 32) throw internal("A Fernet key must be 32 url-safe base64-encoded bytes.");
  return { text, signing: raw.subarray(0, 16), encryption: raw.subarray(16) };
}

/** A Fernet `CredentialCipher` over Keystone-format keys (url-safe base64 of 32 bytes), primary first. */
export class FernetCredentialCipher implements CredentialCipher {
  private readonly keys: readonly FernetKey[];

  /** Throws `internal` when there is no key or a key is malformed. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw internal("The credential key repository has no keys.");
    this.keys = keys.map(parseKey);
  }

  /** A new random key in Keystone's format (what `keystone-manage credential_setup` writes). */
  static generateKey(): string {
    return randomBytes(32).toString("base64url").concat("=");
  }

  encrypt(plain: string): { ciphertext: string; keyHash: string } {
    const key = this.keys[0]!;
    const iv = randomBytes(16);
    const time = Buffer.alloc(8);
    time.writeBigUInt64BE(BigInt(Math.floor(Date.now() / 1000)));
    const cipher = createCipheriv("aes-128-cbc", key.encryption, iv);
    const body = Buffer.concat([Buffer.from([VERSION]), time, iv, cipher.update(plain, "utf8"), cipher.final()]);
    const mac = createHmac("sha256", key.signing).update(body).digest();
    const token = Buffer.concat([body, mac]).toString("base64url");
    return { ciphertext: token + "=".repeat((4 - (token.length % 4)) % 4), keyHash: keyHashOf(key.text) };
  }

  decrypt(ciphertext: string): string {
    const data = Buffer.from(ciphertext, "base64url");
    if (data.length >= 57 && data[0] === VERSION) {
      const body = data.subarray(0, data.length - 32);
      const mac = data.subarray(data.length - 32);
      for (const key of this.keys) {
        const expected = createHmac("sha256", key.signing).update(body).digest();
        if (!timingSafeEqual(expected, mac)) continue;
        try {
          const decipher = createDecipheriv("aes-128-cbc", key.encryption, body.subarray(9, 25));
          return Buffer.concat([decipher.update(body.subarray(25)), decipher.final()]).toString("utf8");
        } catch {
          break;
        }
      }
    }
    throw internal("Credential could not be decrypted. Please contact the administrator");
  }
}

/** Keystone's `primary_key_hash`: hex sha1 of the key's text. */
export const keyHashOf = (keyText: string): string => createHash("sha1").update(keyText, "utf8").digest("hex");
