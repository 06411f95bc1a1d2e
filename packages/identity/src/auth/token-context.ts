/** The request context of a validated token's body: what keystonemiddleware puts in the environ. */
import type { RequestContext } from "@stratus/core/http";

/** The parts of Keystone's token body a request context is made from. */
export interface TokenBodyFacts {
  readonly user: { readonly id: string; readonly domain: { readonly id: string } };
  readonly project?: { readonly id: string; readonly domain: { readonly id: string } };
  readonly domain?: { readonly id: string };
  readonly system?: { readonly all: boolean };
  readonly roles?: ReadonlyArray<{ readonly name: string }>;
  readonly audit_ids: readonly string[];
  readonly expires_at: string;
  readonly methods: readonly string[];
  readonly is_admin_project?: boolean;
}

/** The part of a request context a token determines (its `token` facts always present). */
export type TokenContext = Omit<RequestContext, "requestId" | "globalRequestId" | "authToken" | "token"> & {
  readonly token: NonNullable<RequestContext["token"]>;
};

/** The context of `token`, less what comes from the request itself (request ids, the token string). */
export function contextOfTokenBody(token: TokenBodyFacts, adminRoles: readonly string[]): TokenContext {
  const roles = (token.roles ?? []).map((r) => r.name.toLowerCase());
  return {
    userId: token.user.id,
    userDomainId: token.user.domain.id,
    projectId: token.project?.id ?? null,
    projectDomainId: token.project?.domain.id ?? null,
    domainId: token.domain?.id ?? token.project?.domain.id ?? null,
    roles,
    systemScope: token.system?.all ? "all" : null,
    isAdmin: roles.some((r) => adminRoles.includes(r)),
    isAdminProject: token.is_admin_project ?? true,
    token: { auditIds: token.audit_ids, expiresAt: token.expires_at, methods: token.methods },
  };
}
