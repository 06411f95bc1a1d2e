/**
 * A Fernet key repository laid out as Keystone's (`[fernet_tokens] key_repository`, and the same
 * for `[credential] key_repository`): files named 0..N, `0` the staged key, the highest number the
 * primary (encrypts), every key decrypts. Setup and rotation follow keystone-manage fernet_setup
 * and fernet_rotate (keystone/common/fernet_utils.py).
 */
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { internal } from "@stratus/core/errors";
import { type FernetKey, generateFernetKey, parseFernetKey } from "./fernet.js";

/** Options of a repository. */
export interface KeyRepositoryOptions {
  /** Keys kept after a rotation, the staged key included (`max_active_keys`, default 3, at least 1). */
  readonly maxActiveKeys?: number;
  /** How often, at most, to look at the directory for changes (default 1000 ms; 0 = every call). */
  readonly recheckMs?: number;
  /** A name for messages: "fernet_tokens" (default) or "credential". */
  readonly name?: string;
}

/** One loaded key. */
export interface LoadedKey {
  /** Its file name as a number: 0 staged, the highest primary. */
  readonly id: number;
  /** The parsed key. */
  readonly key: FernetKey;
}

interface Loaded {
  readonly signature: string;
  readonly keys: readonly LoadedKey[];
  readonly fernetKeys: readonly FernetKey[];
}

const KEY_FILE = /^(0|[1-9][0-9]*)$/;

/** Keys on disk, loaded once and reloaded only when the directory or a key file changes. */
export class FernetKeyRepository {
  readonly #dir: string;
  readonly #maxActiveKeys: number;
  readonly #recheckMs: number;
  readonly #name: string;
  #loaded: Loaded | undefined;
  #checkedAt = 0;

  constructor(dir: string, options: KeyRepositoryOptions = {}) {
    this.#dir = dir;
    this.#maxActiveKeys = options.maxActiveKeys ?? 3;
    this.#recheckMs = options.recheckMs ?? 1000;
    this.#name = options.name ?? "fernet_tokens";
    if (!Number.isInteger(this.#maxActiveKeys) || this.#maxActiveKeys < 1) {
      throw internal(`[${this.#name}] max_active_keys must be at least 1.`);
    }
  }

  /** The repository's directory. */
  get directory(): string {
    return this.#dir;
  }

  /**
   * Creates the directory (0700) with a staged key 0 and a primary key 1, as `fernet_setup`.
   * Idempotent: does nothing when key 0 already exists. Returns the repository.
   */
  static setup(dir: string, options: KeyRepositoryOptions = {}): FernetKeyRepository {
    const repo = new FernetKeyRepository(dir, options);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (existsSync(join(dir, "0"))) return repo;
    repo.#writeStagedKey();
    repo.rotate();
    return repo;
  }

  /**
   * Rotates as `fernet_rotate`: key 0 becomes max+1 (the new primary), a new key 0 is staged, and
   * the oldest keys beyond max_active_keys are deleted. Throws `internal` on an empty or malformed
   * repository. Not idempotent: each call is one rotation. Returns the ids now on disk, descending.
   */
  rotate(): number[] {
    const before = this.#scan();
    if (before.length === 0)
      throw internal(`[${this.#name}] key repository ${this.#dir} has no keys; run setup first.`);
    if (!before.some((k) => k.id === 0)) {
      throw internal(`[${this.#name}] key repository ${this.#dir} has no staged key 0 to promote.`);
    }
    const primary = Math.max(...before.map((k) => k.id));
    writeKeyFile(join(this.#dir, "0.tmp"));
    renameSync(join(this.#dir, "0"), join(this.#dir, String(primary + 1)));
    renameSync(join(this.#dir, "0.tmp"), join(this.#dir, "0"));
    // The old active keys (not the new 0), newest first; keep max_active_keys - 1 of them.
    const active = [...before.filter((k) => k.id !== 0).map((k) => k.id), primary + 1].sort((a, b) => b - a);
    for (const id of active.slice(Math.max(this.#maxActiveKeys - 1, 0))) rmSync(join(this.#dir, String(id)));
    this.#loaded = undefined;
    return this.#scan().map((k) => k.id);
  }

  /**
   * The keys, primary first then descending to the staged key 0 (the order Keystone tries them).
   * Loads them at the first call; afterwards re-reads only when a stat of the directory and key
   * files (done at most every recheckMs) shows a change. Throws `internal` for a malformed key file
   * or an empty repository.
   */
  keys(): readonly LoadedKey[] {
    return this.#current().keys;
  }

  /** The same keys as bare FernetKeys, primary first (for `decrypt`). Throws as `keys()`. */
  fernetKeys(): readonly FernetKey[] {
    return this.#current().fernetKeys;
  }

  /** The primary key (the highest id), which encrypts. Throws as `keys()`. */
  primary(): FernetKey {
    return this.#current().fernetKeys[0]!;
  }

  /** Forgets the loaded keys so the next call reads the directory again. Idempotent. */
  invalidate(): void {
    this.#loaded = undefined;
  }

  #current(): Loaded {
    const now = Date.now();
    if (this.#loaded !== undefined && now - this.#checkedAt < this.#recheckMs) return this.#loaded;
    const signature = this.#signature();
    this.#checkedAt = now;
    if (this.#loaded?.signature === signature) return this.#loaded;
    const keys = this.#scan();
    if (keys.length === 0) throw internal(`[${this.#name}] key repository ${this.#dir} has no keys; run setup first.`);
    this.#loaded = { signature, keys, fernetKeys: keys.map((k) => k.key) };
    return this.#loaded;
  }

  #signature(): string {
    try {
      const parts = [String(statSync(this.#dir).mtimeMs)];
      for (const name of readdirSync(this.#dir)
        .filter((n) => KEY_FILE.test(n))
        .sort()) {
        const st = statSync(join(this.#dir, name));
        parts.push(`${name}:${st.mtimeMs}:${st.size}:${st.ino}`);
      }
      return parts.join("|");
    } catch (cause) {
      throw internal(`[${this.#name}] key repository ${this.#dir} does not exist or cannot be read; run setup first.`, {
        cause,
      });
    }
  }

  /** Reads every key file (numeric name, non-empty, as Keystone), descending. Empty files are skipped as Keystone does. */
  #scan(): LoadedKey[] {
    let names: string[];
    try {
      names = readdirSync(this.#dir).filter((n) => KEY_FILE.test(n));
    } catch (cause) {
      throw internal(`[${this.#name}] key repository ${this.#dir} does not exist or cannot be read.`, { cause });
    }
    const keys: LoadedKey[] = [];
    for (const name of names) {
      const path = join(this.#dir, name);
      if (!statSync(path).isFile()) continue;
      const content = readFileSync(path, "utf8");
      if (content.length === 0) continue;
      try {
        keys.push({ id: Number(name), key: parseFernetKey(content) });
      } catch (cause) {
        throw internal(`[${this.#name}] key file ${path} is not a Fernet key (32 url-safe base64 bytes).`, { cause });
      }
    }
    return keys.sort((a, b) => b.id - a.id);
  }

  #writeStagedKey(): void {
    writeKeyFile(join(this.#dir, "0.tmp"));
    renameSync(join(this.#dir, "0.tmp"), join(this.#dir, "0"));
  }
}

/** Writes a fresh key readable by its owner only (Keystone writes under umask 0177). */
function writeKeyFile(path: string): void {
  writeFileSync(path, generateFernetKey(), { mode: 0o600 });
  chmodSync(path, 0o600);
}
