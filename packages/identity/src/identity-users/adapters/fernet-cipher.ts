/**
 * Keystone's credential encryption (credential/providers/fernet): blobs are Fernet tokens under
 * the credential key repository's keys, primary first, stored with their `=` padding as
 * Python's `cryptography` writes them; the stored key hash is sha1 of the primary key's text.
 * The Fernet work is the token primitive's (`../../token/fernet.ts`).
 */
import { createHash } from "node:crypto";
import { internal, StratusError } from "@stratus/core/errors";
import {
  decrypt,
  encrypt,
  type FernetKey,
  generateFernetKey,
  parseFernetKey,
  restorePadding,
} from "../../token/fernet.js";
import type { CredentialCipher } from "../ports.js";

/** A Fernet `CredentialCipher` over Keystone-format keys (url-safe base64 of 32 bytes), primary first. */
export class FernetCredentialCipher implements CredentialCipher {
  private readonly keys: ReadonlyArray<{ readonly text: string; readonly key: FernetKey }>;

  /** Throws `internal` when there is no key or a key is malformed. */
  constructor(keys: readonly string[]) {
    if (keys.length === 0) throw internal("The credential key repository has no keys.");
    try {
      this.keys = keys.map((text) => ({ text, key: parseFernetKey(text) }));
    } catch (cause) {
      throw internal("A Fernet key must be 32 url-safe base64-encoded bytes.", { cause });
    }
  }

  /** A new random key in Keystone's format (what `keystone-manage credential_setup` writes). */
  static generateKey(): string {
    return generateFernetKey();
  }

  encrypt(plain: string): { ciphertext: string; keyHash: string } {
    const primary = this.keys[0]!;
    const ciphertext = restorePadding(encrypt(primary.key, Buffer.from(plain, "utf8")));
    return { ciphertext, keyHash: keyHashOf(primary.text) };
  }

  decrypt(ciphertext: string): string {
    try {
      return decrypt(
        this.keys.map((k) => k.key),
        ciphertext,
      ).plaintext.toString("utf8");
    } catch (cause) {
      if (!StratusError.is(cause)) throw cause;
      throw internal("Credential could not be decrypted. Please contact the administrator", { cause });
    }
  }
}

/** Keystone's `primary_key_hash`: hex sha1 of the key's text. */
export const keyHashOf = (keyText: string): string => createHash("sha1").update(keyText, "utf8").digest("hex");
