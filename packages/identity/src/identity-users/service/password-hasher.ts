/**
 * bcrypt as Keystone uses it: `$2b$` hashes at a configurable cost, the password's UTF-8 cut at
 * 72 bytes (passlib would otherwise do it silently). bcrypt's async calls run on libuv's thread
 * pool, so hashing never blocks the event loop.
 */
import bcrypt from "bcrypt";
import { passwordBytes } from "../domain/password-policy.js";

/** Options of the hasher. */
export interface PasswordHasherOptions {
  /** bcrypt cost (log2 rounds); Keystone's default is 12. */
  readonly rounds: number;
  /** Keystone's max_password_length. */
  readonly maxLength: number;
  /** Reject over-long passwords (403) instead of truncating them. */
  readonly strict: boolean;
}

// passlib accepts every bcrypt ident; node's bcrypt knows 2a/2b, and 2y is 2b under another name.
const normalizeIdent = (hash: string): string => (hash.startsWith("$2y$") ? `$2b$${hash.slice(4)}` : hash);

/** Hashes and checks passwords and application credential secrets. */
export class PasswordHasher {
  constructor(private readonly options: PasswordHasherOptions) {}

  /** A new `$2b$` hash of `password`; throws `forbidden` for an over-long password in strict mode. */
  async hash(password: string): Promise<string> {
    return bcrypt.hash(this.bytes(password), this.options.rounds);
  }

  /**
   * True when `password` matches `hash` (ours or Keystone's). False for a null hash or a hash of
   * an algorithm we cannot check (scrypt, pbkdf2_sha512, sha512_crypt).
   */
  async verify(password: string, hash: string | null): Promise<boolean> {
    if (hash === null || !/^\$2[aby]\$\d\d\$/.test(hash)) return false;
    return bcrypt.compare(this.bytes(password), normalizeIdent(hash));
  }

  private bytes(password: string): Buffer {
    return passwordBytes(password, { maxLength: this.options.maxLength, strict: this.options.strict });
  }
}
