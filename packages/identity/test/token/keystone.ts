/**
 * Runs Keystone's own token formatter (test/fixtures/keystone/make-fixtures.py) under Debian's
 * python3-keystone, and maps its argument and result shapes to ours.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TokenPayload, UnpackedToken } from "../../src/token/index.js";

export const FIXTURE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "keystone");
export const SCRIPT = join(FIXTURE_DIR, "make-fixtures.py");
export const KEY_DIR = join(FIXTURE_DIR, "keys");
const PYTHON = "/usr/bin/python3";

/** Throws, with the fix in the message, unless /usr/bin/python3 can import keystone. */
export function requireKeystone(): void {
  const r = spawnSync(PYTHON, ["-c", "import keystone.token.token_formatters"], { encoding: "utf8" });
  if (r.status !== 0) {
    throw new Error(
      `Keystone's Python sources are needed for the interop tests but ${PYTHON} cannot import them ` +
        `(${(r.stderr || String(r.error)).trim().split("\n").pop()}). Install them: apt-get install python3-keystone`,
    );
  }
}

/** Runs the script with `args`, feeding `input` on stdin; returns its parsed JSON output. */
export function runKeystone(args: string[], input?: unknown): unknown {
  const out = execFileSync(PYTHON, [SCRIPT, ...args], {
    encoding: "utf8",
    input: input === undefined ? undefined : JSON.stringify(input),
    maxBuffer: 64 * 1024 * 1024,
  });
  return out.trim() === "" ? undefined : JSON.parse(out);
}

/** The fields Keystone's `validate_token` returns, by name (make-fixtures.py's FIELDS). */
export interface KeystoneFields {
  user_id: string;
  methods: string[];
  audit_ids: string[];
  system: string | null;
  domain_id: string | null;
  project_id: string | null;
  trust_id: string | null;
  federated_group_ids: Array<{ id: string }> | null;
  identity_provider_id: string | null;
  protocol_id: string | null;
  access_token_id: string | null;
  app_cred_id: string | null;
  issued_at: string;
  expires_at: string;
}

/** Keystone's create_token keyword arguments, as recorded in fixtures.json. */
export type KeystoneInput = Partial<Omit<KeystoneFields, "issued_at">> & { user_id: string; expires_at: string };

const KINDS = [
  "unscoped",
  "domain",
  "project",
  "trust",
  "federated_unscoped",
  "federated_project",
  "federated_domain",
  "oauth1",
  "system",
  "application_credential",
] as const;

/** Our payload for a fixture's Keystone arguments. */
export function payloadOf(version: number, a: KeystoneInput): TokenPayload {
  const kind = KINDS[version]!;
  const p: Record<string, unknown> = {
    kind,
    userId: a.user_id,
    methods: a.methods ?? [],
    expiresAt: new Date(a.expires_at),
    auditIds: a.audit_ids ?? [],
  };
  if (a.project_id) p["projectId"] = a.project_id;
  if (a.domain_id) p["domainId"] = a.domain_id;
  if (a.trust_id) p["trustId"] = a.trust_id;
  if (a.system) p["system"] = a.system;
  if (a.access_token_id) p["accessTokenId"] = a.access_token_id;
  if (a.app_cred_id) p["applicationCredentialId"] = a.app_cred_id;
  if (a.federated_group_ids) {
    p["groupIds"] = a.federated_group_ids.map((g) => g.id);
    p["identityProviderId"] = a.identity_provider_id;
    p["protocolId"] = a.protocol_id;
  }
  return p as unknown as TokenPayload;
}

/** Keystone's rendering of a time: whole seconds, six zero digits, Z (ks_utils.isotime subsecond). */
export function keystoneTime(d: Date): string {
  return `${d.toISOString().slice(0, 19)}.000000Z`;
}

/** Our unpacked token in the shape Keystone's validate_token returns. */
export function fieldsOf(t: UnpackedToken): KeystoneFields {
  const r = t as unknown as Record<string, unknown>;
  const federated = "groupIds" in t;
  return {
    user_id: t.userId,
    methods: [...t.methods],
    audit_ids: [...t.auditIds],
    system: (r["system"] as string | undefined) ?? null,
    domain_id: (r["domainId"] as string | undefined) ?? null,
    project_id: (r["projectId"] as string | undefined) ?? null,
    trust_id: (r["trustId"] as string | undefined) ?? null,
    federated_group_ids: federated ? t.groupIds.map((id) => ({ id })) : null,
    identity_provider_id: federated ? t.identityProviderId : null,
    protocol_id: federated ? t.protocolId : null,
    access_token_id: (r["accessTokenId"] as string | undefined) ?? null,
    app_cred_id: (r["applicationCredentialId"] as string | undefined) ?? null,
    issued_at: keystoneTime(t.issuedAt),
    expires_at: keystoneTime(t.expiresAt),
  };
}
