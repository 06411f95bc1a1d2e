/** The token body Keystone returns from `POST`/`GET /v3/auth/tokens`, field for field. */
import type { CatalogEntry } from "../catalog/types.js";
import type { AppCredentialGrant, RoleRef, TokenFacts, TokenScopeTarget, TokenUser } from "./ports.js";

export interface TokenBody {
  readonly token: Record<string, unknown> & {
    readonly methods: readonly string[];
    readonly user: { readonly id: string; readonly name: string; readonly domain: { id: string; name: string } };
    readonly audit_ids: readonly string[];
    readonly expires_at: string;
    readonly issued_at: string;
    readonly roles?: readonly RoleRef[];
  };
}

/**
 * Keystone's token timestamps: ISO 8601 in UTC, whole seconds written with six zero decimals
 * (`2026-11-22T05:00:00.000000Z`), as a real Keystone renders them.
 */
export function keystoneTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}.000000Z`;
}

export interface RenderInput {
  readonly facts: TokenFacts;
  readonly user: TokenUser;
  readonly userDomain: TokenScopeTarget | undefined;
  readonly project: TokenScopeTarget | undefined;
  readonly projectDomain: TokenScopeTarget | undefined;
  readonly domain: TokenScopeTarget | undefined;
  readonly roles: readonly RoleRef[];
  /** Absent for `nocatalog` and for unscoped tokens. */
  readonly catalog: readonly CatalogEntry[] | undefined;
  /** The application credential the token was made with, if any. */
  readonly appCredential?: AppCredentialGrant | undefined;
  /** The deployment's admin project, when one is configured (sets `is_admin_project`). */
  readonly adminProject?: { readonly name: string; readonly domainName: string };
}

export function renderToken(input: RenderInput): TokenBody {
  const { facts, user } = input;
  const token: Record<string, unknown> = {
    methods: facts.methods,
    user: {
      domain: { id: user.domainId, name: input.userDomain?.name ?? "" },
      id: user.id,
      name: user.name,
      password_expires_at: user.passwordExpiresAt,
    },
    audit_ids: facts.auditIds,
    expires_at: keystoneTime(facts.expiresAt),
    issued_at: keystoneTime(facts.issuedAt),
  };
  const roles = input.roles.map((r) => ({ id: r.id, name: r.name }));
  switch (facts.scope.kind) {
    case "system":
      token["roles"] = roles;
      token["system"] = { all: true };
      break;
    case "domain":
      token["domain"] = { id: input.domain?.id ?? facts.scope.domainId, name: input.domain?.name ?? "" };
      token["roles"] = roles;
      break;
    case "project": {
      const domainId = input.project?.domainId ?? "";
      token["project"] = {
        domain: { id: domainId, name: input.projectDomain?.name ?? "" },
        id: facts.scope.projectId,
        name: input.project?.name ?? "",
      };
      token["is_domain"] = input.project?.isDomain ?? false;
      token["roles"] = roles;
      if (input.adminProject) {
        token["is_admin_project"] =
          input.project?.name === input.adminProject.name &&
          input.projectDomain?.name === input.adminProject.domainName;
      }
      break;
    }
    case "unscoped":
      break;
  }
  if (input.catalog !== undefined) token["catalog"] = input.catalog;
  if (facts.appCredentialId !== null) {
    token["application_credential"] = {
      id: facts.appCredentialId,
      name: input.appCredential?.name ?? "",
      restricted: !(input.appCredential?.unrestricted ?? false),
    };
  }
  return { token: token as TokenBody["token"] };
}
